"""Org API bulk patient import (seed 003): per-row results and counts, meta
options (dry_run, on_existing, atomic), bad input, idempotency."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from gateway.backends.store import Store
from tests.dialects.orgapi.schemas import assert_schema
from tests.dialects.orgapi.support import NOWHERE, make, patient_count, snapshot


async def bulk(org: httpx.AsyncClient, rows: list[Any], **meta: Any) -> dict[str, Any]:
    r = await org.post("patients/bulk", json={"meta": meta, "rows": rows})
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    assert_schema(body, "patient_bulk_result.json")
    return body


def counts(body: dict[str, Any]) -> tuple[int, ...]:
    return tuple(body[k] for k in ("created", "updated", "skipped", "failed", "validated", "total"))


async def test_mixed_rows_report_each_row(org: httpx.AsyncClient, store: Store) -> None:
    before = await patient_count(store)
    body = await bulk(
        org,
        [
            {"first_name": "Row", "last_name": "Zero", "chart_number": "B-0"},
            {"first_name": "Row"},
            {"first_name": "Row", "last_name": "Two", "gender": "robot"},
            "not an object",
            {"first_name": "Row", "last_name": "Four", "primary_provider_uuid": NOWHERE},
            {"first_name": "Row", "last_name": "Five", "date_of_birth": "1990-02-29"},
        ],
    )
    assert counts(body) == (1, 0, 0, 5, 0, 6)
    results = body["results"]
    assert [r["row"] for r in results] == list(range(6))
    assert [r["status"] for r in results] == ["created"] + ["failed"] * 5
    assert results[0]["id"] is not None and results[0]["errors"] == []
    assert results[1]["errors"] == [
        {"loc": ["body", "rows", 1, "last_name"], "msg": "Field required", "type": "missing"}
    ]
    assert results[2]["errors"][0]["loc"] == ["body", "rows", 2, "gender"]
    assert results[3]["errors"][0]["type"] == "dict_type"
    assert results[4]["errors"] == [
        {"loc": ["body", "rows", 4], "msg": "Primary provider not found.", "type": "not_found"}
    ]
    assert results[5]["errors"][0]["loc"] == ["body", "rows", 5, "date_of_birth"]
    assert await patient_count(store) == before + 1
    created = (await org.get(f"patients/{results[0]['id']}")).json()
    assert created["chart_number"] == "B-0"


async def test_dry_run_writes_nothing(org: httpx.AsyncClient, store: Store) -> None:
    before = await snapshot(store)
    body = await bulk(
        org,
        [{"first_name": "A", "last_name": "B"}, {"first_name": "C"}],
        dry_run=True,
    )
    assert counts(body) == (0, 0, 0, 1, 1, 2)
    assert body["results"][0] == {"row": 0, "status": "validated", "id": None, "errors": []}
    assert await snapshot(store) == before


@pytest.mark.parametrize(
    ("on_existing", "status", "city"),
    [("skip", "skipped", "Old"), ("update", "updated", "New"), ("fail", "failed", "Old")],
)
async def test_existing_rows(
    org: httpx.AsyncClient, on_existing: str, status: str, city: str
) -> None:
    old = await make(org, chart_number="EX-1", city="Old")
    by_chart = {"first_name": "Test", "last_name": "Patient", "chart_number": "EX-1", "city": "New"}
    by_id = {"id": old["id"], "city": "New"}
    for row in (by_chart, by_id):
        body = await bulk(org, [row], on_existing=on_existing)
        assert body["results"][0]["status"] == status
        assert body["results"][0]["id"] == (None if status == "failed" else old["id"])
        assert (await org.get(f"patients/{old['id']}")).json()["city"] == city


async def test_unknown_id_row_fails(org: httpx.AsyncClient) -> None:
    body = await bulk(org, [{"id": NOWHERE, "city": "X"}], on_existing="update")
    assert body["results"][0]["errors"][0]["msg"] == "Patient not found."


async def test_chart_number_repeated_within_the_batch(org: httpx.AsyncClient) -> None:
    rows = [
        {"first_name": "A", "last_name": "A", "chart_number": "SAME-1"},
        {"first_name": "B", "last_name": "B", "chart_number": "SAME-1"},
    ]
    body = await bulk(org, rows, on_existing="fail")
    assert [r["status"] for r in body["results"]] == ["created", "failed"]
    assert body["results"][1]["errors"][0]["type"] == "conflict"


async def test_atomic_import_is_all_or_nothing(org: httpx.AsyncClient, store: Store) -> None:
    before = await snapshot(store)
    body = await bulk(
        org,
        [{"first_name": "A", "last_name": "B"}, {"first_name": "C", "last_name": 1}],
        atomic=True,
    )
    assert counts(body) == (0, 0, 0, 1, 1, 2)
    assert body["results"][0] == {"row": 0, "status": "validated", "id": None, "errors": []}
    assert await snapshot(store) == before
    body = await bulk(
        org,
        [{"first_name": "A", "last_name": "B"}, {"first_name": "C", "last_name": "D"}],
        atomic=True,
    )
    assert counts(body) == (2, 0, 0, 0, 0, 2)


@pytest.mark.parametrize(
    ("payload", "loc"),
    [
        ({}, ["body", "rows"]),
        ({"rows": {}}, ["body", "rows"]),
        ({"rows": [], "extra": 1}, ["body", "extra"]),
        ({"rows": [], "meta": []}, ["body", "meta"]),
        ({"rows": [], "meta": {"dry_run": "yes"}}, ["body", "meta", "dry_run"]),
        ({"rows": [], "meta": {"on_existing": "merge"}}, ["body", "meta", "on_existing"]),
        ({"rows": [], "meta": {"parallel": True}}, ["body", "meta", "parallel"]),
        ({"rows": [{}] * 1001}, ["body", "rows"]),
    ],
)
async def test_bad_requests_are_422_and_change_nothing(
    org: httpx.AsyncClient, store: Store, payload: dict[str, Any], loc: list[str]
) -> None:
    before = await snapshot(store)
    r = await org.post("patients/bulk", json=payload)
    assert r.status_code == 422, r.text
    assert r.json()["detail"][0]["loc"] == loc
    assert await snapshot(store) == before


async def test_idempotent_bulk_import(org: httpx.AsyncClient, store: Store) -> None:
    before = await patient_count(store)
    payload = {"rows": [{"first_name": "I", "last_name": "Dem"}]}
    headers = {"Idempotency-Key": "bulk-1"}
    first = await org.post("patients/bulk", json=payload, headers=headers)
    second = await org.post("patients/bulk", json=payload, headers=headers)
    assert first.json() == second.json()
    assert await patient_count(store) == before + 1
