"""What every per-patient record shares (dialects/orgapi/resource.py, the org
API's resource conventions): idempotent creates (the documented 409 on a
reused Idempotency-Key), 404 for a missing patient, records of one patient
invisible through another, and page/page_size paging."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.dialects.orgapi.clinical_examples import demo

P15, P16 = demo("patient", 15), demo("patient", 16)
CREATES = [
    ("alerts", {"alert_definition_uuid": demo("alert_definition", 1)}),
    ("allergies", {"allergy_definition_uuid": demo("allergy_definition", 2)}),
    ("diseases", {"disease_definition_uuid": demo("disease_definition", 1)}),
    ("medications", {"med_descript": "Lisinopril"}),
    ("vital-signs", {"date_taken": "2025-01-15"}),
    ("referral-attributions", {"referral_source_uuid": demo("referral_source", 2)}),
    ("relationships", {"relationship_type": "spouse", "to_patient_uuid": P16}),
    ("communication-logs", {"communication_datetime": "2025-01-15T09:00:00Z"}),
    ("tags", {"tag_definition_uuid": demo("tag_definition", 2)}),
]
IDS = [c[0] for c in CREATES]
OTHER = {
    "alerts": {"note": "other"},
    "allergies": {"reaction": "other"},
    "diseases": {"patient_note": "other"},
    "medications": {"dosage": "other"},
    "vital-signs": {"note": "other"},
    "referral-attributions": {"source_note": "other"},
    "relationships": {"note": "other"},
    "communication-logs": {"note": "other"},
    "tags": {"tag_definition_uuid": demo("tag_definition", 1)},
}
"""A different, valid request for each create."""


@pytest.mark.parametrize(("segment", "body"), CREATES, ids=IDS)
async def test_idempotent_create(
    org: httpx.AsyncClient, segment: str, body: dict[str, Any]
) -> None:
    url = f"patients/{P15}/{segment}"
    headers = {"Idempotency-Key": f"key-{segment}"}
    first = await org.post(url, json=body, headers=headers)
    assert first.status_code == 201, first.text
    again = await org.post(url, json=body, headers=headers)
    assert (again.status_code, again.json()) == (201, first.json())
    clash = await org.post(url, json={**body, **OTHER[segment]}, headers=headers)
    assert clash.status_code == 409 and "Idempotency-Key" in clash.json()["detail"]
    listed = (await org.get(url)).json()
    assert sum(1 for item in listed["items"] if item["id"] == first.json()["id"]) == 1


@pytest.mark.parametrize(("segment", "body"), CREATES, ids=IDS)
async def test_missing_patient(org: httpx.AsyncClient, segment: str, body: dict[str, Any]) -> None:
    url = f"patients/{demo('patient', 99999)}/{segment}"
    for r in (await org.get(url), await org.post(url, json=body)):
        assert r.status_code == 404 and r.json() == {"detail": "Patient not found."}


@pytest.mark.parametrize(("segment", "body"), CREATES, ids=IDS)
async def test_other_patients_record_is_not_found(
    org: httpx.AsyncClient, segment: str, body: dict[str, Any]
) -> None:
    made = (await org.post(f"patients/{P15}/{segment}", json=body)).json()
    r = await org.get(f"patients/{demo('patient', 23)}/{segment}/{made['id']}")
    assert r.status_code == 404
    r = await org.get(f"patients/{P15}/{segment}/{made['id']}")
    assert r.status_code == 200 and r.json()["id"] == made["id"]


@pytest.mark.parametrize(("segment", "body"), CREATES, ids=IDS)
async def test_paging(org: httpx.AsyncClient, segment: str, body: dict[str, Any]) -> None:
    url = f"patients/{P15}/{segment}"
    r = await org.get(url, params={"page": 2, "page_size": 1})
    assert r.status_code == 200 and (r.json()["page"], r.json()["page_size"]) == (2, 1)
    for bad in ({"page": 0}, {"page_size": 0}, {"page_size": 500}, {"page": "x"}):
        assert (await org.get(url, params=bad)).status_code == 422
