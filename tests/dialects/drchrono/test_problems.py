"""DrChrono /api/problems (seed 004), the same records as the org API's patient
diseases/problems (seed 003)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from gateway.demo import demo_uuid
from tests.dialects.drchrono.openapi import assert_schema, check_example
from tests.support import examples

EXAMPLES = examples("drchrono/problems")
PATIENT = demo_uuid("patient", 23)


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
async def test_documented_example(
    drc: httpx.AsyncClient, name: str, example: dict[str, Any]
) -> None:
    made = await check_example(drc, example, "PatientProblem")
    assert (await drc.get(f"/api/problems/{made['id']}")).json() == made


async def test_icd_version_and_status(drc: httpx.AsyncClient) -> None:
    made = (
        await drc.post("/api/problems", json={"doctor": 1, "patient": 23, "icd_version": "9"})
    ).json()
    assert (made["icd_version"], made["status"]) == (9, "active")
    path = f"/api/problems/{made['id']}"
    for status in ("resolved", "inactive", "active"):
        assert (await drc.patch(path, json={"status": status})).status_code == 204
        assert (await drc.get(path)).json()["status"] == status
    assert (await drc.patch(path, json={"icd_version": 11})).status_code == 400
    assert (await drc.patch(path, json={"info_url": "http://x"})).status_code == 204
    assert (await drc.get(path)).json()["info_url"] == ""  # read-only
    listed = (await drc.get("/api/problems?patient=23")).json()["results"]
    assert_schema(listed, "PatientProblem")
    assert (await drc.get("/api/problems?patient=15")).json()["results"] == []


@pytest.mark.parametrize(
    ("body", "keys"),
    [
        ({}, {"doctor", "patient"}),
        ({"doctor": 1, "patient": 23, "status": "cured"}, {"status"}),
        ({"doctor": 1, "patient": 23, "icd_version": 8}, {"icd_version"}),
        ({"doctor": 1, "patient": 23, "date_onset": "2023-02-30"}, {"date_onset"}),
    ],
)
async def test_bad_input_is_400_and_creates_nothing(
    drc: httpx.AsyncClient, body: dict[str, Any], keys: set[str]
) -> None:
    before = (await drc.get("/api/problems")).json()["results"]
    r = await drc.post("/api/problems", json=body)
    assert r.status_code == 400 and set(r.json()) == keys
    assert (await drc.get("/api/problems")).json()["results"] == before


async def test_org_problem_read_and_changed_through_drchrono(
    drc: httpx.AsyncClient, org: httpx.AsyncClient
) -> None:
    r = await org.post(
        f"/patients/{PATIENT}/diseases",
        json={"disease_definition_uuid": str(demo_uuid("disease_definition", 2)),
              "date_start": "2021-08-01", "problem_status": "active",
              "patient_note": "Diet controlled", "function_status": "problem"},
    )  # fmt: skip
    assert r.status_code == 201, r.text
    created = r.json()
    [prob] = (await drc.get("/api/problems?patient=23")).json()["results"]
    assert (prob["name"], prob["date_onset"], prob["status"]) == (
        "Type 2 diabetes mellitus", "2021-08-01", "active",
    )  # fmt: skip
    r = await drc.patch(
        f"/api/problems/{prob['id']}",
        json={
            "status": "resolved",
            "notes": "A1c normal",
            "doctor": 2,
            "date_changed": "2024-01-05",
        },
    )
    assert r.status_code == 204
    back = (await org.get(f"/patients/{PATIENT}/diseases/{created['id']}")).json()
    same = {
        k: v for k, v in created.items() if k not in ("updated_at", "version", "problem_status")
    }
    assert {k: back[k] for k in same} == same
    assert back["problem_status"] == "resolved" and back["version"] == created["version"] + 1
    again = (await drc.get(f"/api/problems/{prob['id']}")).json()
    assert again == {**prob, "status": "resolved", "notes": "A1c normal", "doctor": 2,
                     "date_changed": "2024-01-05"}  # fmt: skip
