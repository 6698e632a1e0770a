"""Org API patient diseases/problems (seed 003): the documented examples, then every rule."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from canonical import Cond, Problem, Query
from gateway.backends.store import Store
from tests.dialects.orgapi.clinical_examples import backend, demo, run_example, snapshot
from tests.support import examples

EXAMPLES = examples("orgapi/diseases")
P15 = demo("patient", 15)
BASE = f"patients/{P15}/diseases"
HYPERTENSION, ASTHMA = demo("disease_definition", 1), demo("disease_definition", 3)


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
async def test_documented_example(
    org: httpx.AsyncClient, name: str, example: dict[str, Any]
) -> None:
    await run_example(org, example)


async def create(org: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    r = await org.post(BASE, json={"disease_definition_uuid": HYPERTENSION, **body})
    assert r.status_code == 201, r.text
    out: dict[str, Any] = r.json()
    return out


async def test_defaults_and_canonical_codes(org: httpx.AsyncClient, store: Store) -> None:
    d = await create(org)
    assert (d["problem_status"], d["function_status"]) == ("active", "problem")
    (record,) = (await backend(store).find(Problem, Query([Cond("patient", "eq", 15)]))).items
    assert (record.name, record.icd_code, record.snomed_code) == ("Hypertension", "I10", "38341003")


async def test_status_filter_and_lifecycle(org: httpx.AsyncClient) -> None:
    a, b = await create(org), await create(org, disease_definition_uuid=ASTHMA)
    r = await org.patch(
        f"{BASE}/{b['id']}",
        json={"base_version": 1, "problem_status": "resolved", "date_stop": "2025-01-10"},
    )
    assert (r.json()["problem_status"], r.json()["date_stop"]) == ("resolved", "2025-01-10")
    active = (await org.get(BASE, params={"problem_status": "active"})).json()["items"]
    resolved = (await org.get(BASE, params={"problem_status": "resolved"})).json()["items"]
    assert [x["id"] for x in active] == [a["id"]]
    assert [x["id"] for x in resolved] == [b["id"]]
    assert (await org.get(BASE, params={"problem_status": "cured"})).status_code == 422


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"disease_definition_uuid": HYPERTENSION, "function_status": "x"}, "function_status"),
        ({"disease_definition_uuid": HYPERTENSION, "problem_status": "x"}, "problem_status"),
        ({"function_status": "problem"}, "disease_definition_uuid"),
        ({"disease_definition_uuid": HYPERTENSION, "date_start": "2025-02-30"}, "date_start"),
    ],
)
async def test_bad_create_changes_nothing(
    org: httpx.AsyncClient, store: Store, body: dict[str, Any], loc: str
) -> None:
    before = await snapshot(store, Problem)
    r = await org.post(BASE, json=body)
    assert r.status_code == 422, r.text
    assert ["body", loc] in [e["loc"] for e in r.json()["detail"]]
    assert await snapshot(store, Problem) == before


async def test_unknown_definition_and_stale_version(org: httpx.AsyncClient, store: Store) -> None:
    r = await org.post(BASE, json={"disease_definition_uuid": demo("disease_definition", 99)})
    assert r.status_code == 404 and r.json() == {"detail": "Disease definition not found."}
    d = await create(org)
    await org.patch(f"{BASE}/{d['id']}", json={"base_version": 1, "patient_note": "a"})
    before = await snapshot(store, Problem)
    r = await org.patch(f"{BASE}/{d['id']}", json={"base_version": 1, "patient_note": "b"})
    assert r.status_code == 409
    assert await snapshot(store, Problem) == before


async def test_archive_and_get(org: httpx.AsyncClient) -> None:
    d = await create(org)
    assert (await org.get(f"{BASE}/{d['id']}")).json()["id"] == d["id"]
    r = await org.post(f"{BASE}/{d['id']}/archive")
    assert r.json()["deleted_at"] is not None
    assert (await org.get(BASE)).json()["items"] == []
    missing = await org.post(f"{BASE}/{demo('problem', 9)}/archive")
    assert missing.status_code == 404 and missing.json() == {"detail": "Disease not found."}
