"""Org API patient medications (seed 003): the documented examples, then every rule."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import httpx
import pytest

from canonical import Cond, Medication, MedicationStatus, Query
from gateway.backends.store import Store
from tests.dialects.orgapi.clinical_examples import backend, demo, run_example, snapshot
from tests.support import examples

EXAMPLES = examples("orgapi/medications")
# Not demo patient 15: its Open Dental example allergy would warn.
PAT = demo("patient", 16)
BASE = f"patients/{PAT}/medications"
LISINOPRIL = demo("medication_definition", 2)


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
async def test_documented_example(
    org: httpx.AsyncClient, name: str, example: dict[str, Any]
) -> None:
    await run_example(org, example)


async def create(org: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    r = await org.post(BASE, json={"medication_definition_uuid": LISINOPRIL, **body})
    assert r.status_code == 201, r.text
    out: dict[str, Any] = r.json()
    return out


async def test_round_trip(org: httpx.AsyncClient) -> None:
    body = {
        "date_start": "2025-01-15",
        "dosage": "10 mg",
        "frequency": "daily",
        "route": "oral",
        "rx_cui": "314076",
        "is_cpoe": True,
        "med_descript": "Lisinopril",
        "patient_note": "with food",
        "provider_uuid": demo("provider", 1),
    }
    m = await create(org, **body)
    again = (await org.get(f"{BASE}/{m['id']}")).json()
    for key, value in body.items():
        if key != "provider_uuid":
            assert again[key] == value
    assert again["provider"]["id"] == body["provider_uuid"]
    assert again["medication_definition"]["name"] == "Lisinopril 10 mg tablet"


async def test_is_active_filter_and_drchrono_inactive_shown_as_discontinued(
    org: httpx.AsyncClient, store: Store
) -> None:
    on, off = await create(org), await create(org)
    record = await backend(store).get(Medication, uuid=UUID(off["id"]))
    await backend(store).update(record.model_copy(update={"status": MedicationStatus.inactive}))
    ids = lambda r: [m["id"] for m in r.json()["items"]]  # noqa: E731
    assert ids(await org.get(BASE, params={"is_active": "true"})) == [on["id"]]
    assert ids(await org.get(BASE, params={"is_active": "false"})) == [off["id"]]
    assert (await org.get(f"{BASE}/{off['id']}")).json()["status"] == "discontinued"


async def test_status_update_and_stale_version(org: httpx.AsyncClient, store: Store) -> None:
    m = await create(org)
    r = await org.patch(
        f"{BASE}/{m['id']}",
        json={"base_version": 1, "status": "on_hold", "discontinuation_reason": "surgery"},
    )
    assert (r.json()["status"], r.json()["discontinuation_reason"]) == ("on_hold", "surgery")
    before = await snapshot(store, Medication)
    r = await org.patch(f"{BASE}/{m['id']}", json={"base_version": 1, "status": "active"})
    assert r.status_code == 409
    assert await snapshot(store, Medication) == before


@pytest.mark.parametrize(
    ("body", "status", "detail"),
    [
        ({"status": "active"}, 422, ["body", "status"]),
        ({"is_cpoe": "yes"}, 422, ["body", "is_cpoe"]),
        ({"provider_uuid": demo("provider", 999)}, 404, "Provider not found."),
        (
            {"medication_definition_uuid": demo("medication_definition", 99)},
            404,
            "Medication definition not found.",
        ),
    ],
)
async def test_bad_create_changes_nothing(
    org: httpx.AsyncClient, store: Store, body: dict[str, Any], status: int, detail: Any
) -> None:
    before = await snapshot(store, Medication)
    r = await org.post(BASE, json={"med_descript": "x", **body})
    assert r.status_code == status, r.text
    if status == 422:
        assert detail in [e["loc"] for e in r.json()["detail"]]
    else:
        assert r.json() == {"detail": detail}
    assert await snapshot(store, Medication) == before


async def test_interaction_warning_on_create(org: httpx.AsyncClient) -> None:
    await org.post(
        f"patients/{PAT}/allergies",
        json={"allergy_definition_uuid": demo("allergy_definition", 1)},
    )
    m = await create(org, med_descript="Penicillin G")
    assert [w["allergy"]["name"] for w in m["interaction_warnings"]] == ["Penicillin"]
    quiet = await create(org, med_descript="Lisinopril")
    assert quiet["interaction_warnings"] == []


async def test_archive(org: httpx.AsyncClient, store: Store) -> None:
    m = await create(org)
    r = await org.post(f"{BASE}/{m['id']}/archive")
    assert r.json()["deleted_at"] is not None
    assert (await org.get(BASE)).json()["total"] == 0
    assert (await backend(store).find(Medication, Query([Cond("patient", "eq", 16)]))).items == []
