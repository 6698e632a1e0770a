"""Org API medical summary (seed 003): one answer from the clinical records."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.dialects.orgapi.clinical_examples import demo, run_example
from tests.dialects.orgapi.schemas import assert_schema
from tests.support import examples

EXAMPLES = examples("orgapi/medical_summary")
P23 = demo("patient", 23)
BASE = f"patients/{P23}"


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
async def test_documented_example(
    org: httpx.AsyncClient, name: str, example: dict[str, Any]
) -> None:
    await run_example(org, example)


async def post(org: httpx.AsyncClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    r = await org.post(f"{BASE}/{path}", json=body)
    assert r.status_code == 201, r.text
    out: dict[str, Any] = r.json()
    return out


async def test_sections(org: httpx.AsyncClient) -> None:
    empty = (await org.get(f"{BASE}/medical-summary")).json()
    assert_schema(empty, "medical_summary.json")
    assert empty["latest_vitals"] is None and empty["allergies"] == []
    assert empty["patient"]["id"] == P23

    htn = await post(org, "diseases", {"disease_definition_uuid": demo("disease_definition", 1)})
    old = await post(
        org,
        "diseases",
        {"disease_definition_uuid": demo("disease_definition", 3), "problem_status": "resolved"},
    )
    allergy = await post(
        org,
        "allergies",
        {"allergy_definition_uuid": demo("allergy_definition", 2), "status_is_active": False},
    )
    now = await post(org, "medications", {"med_descript": "Lisinopril"})
    stopped = await post(org, "medications", {"med_descript": "Metformin"})
    await org.patch(
        f"{BASE}/medications/{stopped['id']}", json={"base_version": 1, "status": "completed"}
    )
    held = await post(org, "medications", {"med_descript": "Warfarin"})
    await org.patch(
        f"{BASE}/medications/{held['id']}", json={"base_version": 1, "status": "on_hold"}
    )
    await post(org, "vital-signs", {"date_taken": "2025-01-01", "pulse": 60})
    newest = await post(
        org, "vital-signs", {"date_taken": "2025-02-01", "time_taken": "15:00", "pulse": 70}
    )
    await post(org, "vital-signs", {"date_taken": "2025-02-01", "time_taken": "09:00", "pulse": 65})
    alert = await post(org, "alerts", {"alert_definition_uuid": demo("alert_definition", 3)})
    gone = await post(org, "alerts", {"alert_definition_uuid": demo("alert_definition", 1)})
    await org.post(f"{BASE}/alerts/{gone['id']}/archive")

    s = (await org.get(f"{BASE}/medical-summary")).json()
    assert_schema(s, "medical_summary.json")
    assert [p["id"] for p in s["active_problems"]] == [htn["id"]]
    assert old["id"] not in {p["id"] for p in s["active_problems"]}
    assert [a["id"] for a in s["allergies"]] == [allergy["id"]]
    assert [m["id"] for m in s["current_medications"]] == [now["id"]]
    assert [m["id"] for m in s["past_medications"]] == [stopped["id"]]
    assert s["latest_vitals"]["id"] == newest["id"]
    assert [a["id"] for a in s["alerts"]] == [alert["id"]]
    assert s["social_history"] == []


async def test_missing_patient(org: httpx.AsyncClient) -> None:
    r = await org.get(f"patients/{demo('patient', 99999)}/medical-summary")
    assert r.status_code == 404 and r.json() == {"detail": "Patient not found."}
