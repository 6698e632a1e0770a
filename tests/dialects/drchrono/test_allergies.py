"""DrChrono /api/allergies (seed 004), the same records as the org API's patient
allergies (seed 003)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from gateway.demo import demo_uuid
from tests.dialects.drchrono.openapi import assert_schema, check_example
from tests.support import examples

EXAMPLES = examples("drchrono/allergies")
PATIENT = demo_uuid("patient", 23)  # no demo allergies (15 has the Open Dental example's)


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
async def test_documented_example(
    drc: httpx.AsyncClient, name: str, example: dict[str, Any]
) -> None:
    await check_example(drc, example, "PatientAllergy")


async def test_description_needs_verbose(drc: httpx.AsyncClient) -> None:
    made = (
        await drc.post("/api/allergies", json={"doctor": 1, "patient": 23, "description": "Dust"})
    ).json()
    plain = (await drc.get(f"/api/allergies/{made['id']}")).json()
    assert "description" not in plain
    full = (await drc.get(f"/api/allergies/{made['id']}?verbose=true")).json()
    assert full == made
    listed = (await drc.get("/api/allergies?patient=23&verbose=true")).json()["results"]
    assert_schema(listed, "PatientAllergy")
    assert [a["description"] for a in listed] == ["Dust"]


async def test_patient_filter_and_defaults(drc: httpx.AsyncClient) -> None:
    for patient in (16, 16, 23):
        r = await drc.post("/api/allergies", json={"doctor": 1, "patient": patient})
        assert r.json()["status"] == "active"
    assert len((await drc.get("/api/allergies?patient=16")).json()["results"]) == 2
    assert len((await drc.get("/api/allergies?patient=23")).json()["results"]) == 1
    assert len((await drc.get("/api/allergies?doctor=2")).json()["results"]) == 0


@pytest.mark.parametrize(
    ("body", "keys"),
    [
        ({}, {"doctor", "patient"}),
        ({"doctor": 1, "patient": 99999}, {"patient"}),
        ({"doctor": 98, "patient": 15}, {"doctor"}),
        ({"doctor": 1, "patient": 15, "status": "resolved"}, {"status"}),
        ({"doctor": "a", "patient": 15, "status": "x"}, {"doctor", "status"}),
    ],
)
async def test_bad_input_is_400_and_creates_nothing(
    drc: httpx.AsyncClient, body: dict[str, Any], keys: set[str]
) -> None:
    before = (await drc.get("/api/allergies")).json()["results"]
    r = await drc.post("/api/allergies", json=body)
    assert r.status_code == 400 and set(r.json()) == keys
    assert (await drc.get("/api/allergies")).json()["results"] == before


async def test_patch_put_and_no_delete(drc: httpx.AsyncClient) -> None:
    made = (
        await drc.post(
            "/api/allergies", json={"doctor": 1, "patient": 15, "reaction": "Rash", "notes": "n"}
        )
    ).json()
    path = f"/api/allergies/{made['id']}"
    assert (await drc.patch(path, json={"status": "inactive"})).status_code == 204
    got = (await drc.get(path)).json()
    assert (got["status"], got["reaction"], got["notes"]) == ("inactive", "Rash", "n")
    assert (await drc.patch(path, json={"patient": None})).status_code == 400
    assert (await drc.put(path, json={"doctor": 2, "patient": 15})).status_code == 204
    got = (await drc.get(path)).json()
    assert (got["doctor"], got["status"], got["reaction"]) == (2, "active", "")
    assert (await drc.delete(path)).status_code == 405


async def test_org_allergy_read_and_changed_through_drchrono(
    drc: httpx.AsyncClient, org: httpx.AsyncClient
) -> None:
    r = await org.post(
        f"/patients/{PATIENT}/allergies",
        json={"allergy_definition_uuid": str(demo_uuid("allergy_definition", 1)),
              "reaction": "Anaphylaxis", "severity": "severe", "snomed_reaction": "39579001",
              "date_adverse_reaction": "2019-05-01"},
    )  # fmt: skip
    assert r.status_code == 201, r.text
    created = r.json()
    [allergy] = (await drc.get("/api/allergies?patient=23&verbose=true")).json()["results"]
    assert (allergy["description"], allergy["reaction"], allergy["status"]) == (
        "Penicillin", "Anaphylaxis", "active",
    )  # fmt: skip
    assert allergy["snomed_reaction"] == "39579001" and allergy["doctor"] is None
    r = await drc.patch(
        f"/api/allergies/{allergy['id']}",
        json={"doctor": 1, "status": "inactive", "notes": "Tolerated cefalexin"},
    )
    assert r.status_code == 204
    back = (await org.get(f"/patients/{PATIENT}/allergies/{created['id']}")).json()
    same = {
        k: v
        for k, v in created.items()
        if k not in ("updated_at", "version", "status_is_active", "interaction_warnings")
    }
    assert {k: back[k] for k in same} == same
    assert back["status_is_active"] is False and back["version"] == created["version"] + 1
    # What DrChrono wrote reads back through DrChrono unchanged, the org-only values kept.
    again = (await drc.get(f"/api/allergies/{allergy['id']}?verbose=true")).json()
    assert again == {**allergy, "doctor": 1, "status": "inactive", "notes": "Tolerated cefalexin"}


async def test_org_archive_hides_it_from_drchrono(
    drc: httpx.AsyncClient, org: httpx.AsyncClient
) -> None:
    created = (await org.post(
        f"/patients/{PATIENT}/allergies",
        json={"allergy_definition_uuid": str(demo_uuid("allergy_definition", 2))},
    )).json()  # fmt: skip
    [allergy] = (await drc.get("/api/allergies?patient=23")).json()["results"]
    r = await org.post(
        f"/patients/{PATIENT}/allergies/{created['id']}/archive", json={"base_version": 1}
    )
    assert r.status_code in (200, 204), r.text
    assert (await drc.get("/api/allergies?patient=23")).json()["results"] == []
    assert (await drc.get(f"/api/allergies/{allergy['id']}")).status_code == 404
