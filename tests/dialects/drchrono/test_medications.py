"""DrChrono /api/medications and append_to_pharmacy_note (seed 004), the same
records as the org API's patient medications (seed 003)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from gateway.demo import demo_uuid
from tests.dialects.drchrono.openapi import assert_schema, check_example
from tests.support import examples

EXAMPLES = examples("drchrono/medications")
PATIENT = demo_uuid("patient", 15)


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
async def test_documented_example(
    drc: httpx.AsyncClient, name: str, example: dict[str, Any]
) -> None:
    made = await check_example(drc, example, "PatientDrug")
    assert (await drc.get(f"/api/medications/{made['id']}")).json() == made


async def test_defaults_and_decimals(drc: httpx.AsyncClient) -> None:
    made = (await drc.post("/api/medications", json={"doctor": 1, "patient": 15})).json()
    assert (made["status"], made["order_status"], made["dispense_quantity"]) == ("active", "", None)
    assert (made["daw"], made["prn"], made["number_refills"]) == (False, False, None)
    path = f"/api/medications/{made['id']}"
    for given, shown in ((10, "10.00"), (2.999, "2.99"), ("7.5", "7.50")):
        assert (await drc.patch(path, json={"dispense_quantity": given})).status_code == 204
        assert (await drc.get(path)).json()["dispense_quantity"] == shown
    # dosage_quantity used to be a decimal: a number is still accepted, kept as text.
    assert (await drc.patch(path, json={"dosage_quantity": 2.5})).status_code == 204
    assert (await drc.get(path)).json()["dosage_quantity"] == "2.5"
    listed = (await drc.get("/api/medications?patient=15")).json()["results"]
    assert [m["id"] for m in listed] == [made["id"]]
    assert (await drc.get("/api/medications?patient=23")).json()["results"] == []


@pytest.mark.parametrize(
    ("body", "keys"),
    [
        ({"patient": 15}, {"doctor"}),
        ({"doctor": 1, "patient": 15, "order_status": "Mailed"}, {"order_status"}),
        ({"doctor": 1, "patient": 15, "status": "discontinued"}, {"status"}),
        ({"doctor": 1, "patient": 15, "dispense_quantity": "lots"}, {"dispense_quantity"}),
        ({"doctor": 1, "patient": 15, "date_prescribed": "06/03/2024"}, {"date_prescribed"}),
        ({"doctor": 1, "patient": 15, "appointment": 4242}, {"appointment"}),
        (
            {"doctor": 1, "patient": 15, "number_refills": "two", "prn": "often"},
            {"number_refills", "prn"},
        ),
    ],
)
async def test_bad_input_is_400_and_creates_nothing(
    drc: httpx.AsyncClient, body: dict[str, Any], keys: set[str]
) -> None:
    before = (await drc.get("/api/medications")).json()["results"]
    r = await drc.post("/api/medications", json=body)
    assert r.status_code == 400 and set(r.json()) == keys, r.text
    assert (await drc.get("/api/medications")).json()["results"] == before


async def test_append_to_pharmacy_note(drc: httpx.AsyncClient) -> None:
    made = (await drc.post("/api/medications", json={"doctor": 1, "patient": 15})).json()
    path = f"/api/medications/{made['id']}/append_to_pharmacy_note"
    r = await drc.patch(path, json={"text": "Patient prefers generic."})
    assert r.status_code == 200 and r.json() == {"pharmacy_note": "Patient prefers generic."}
    r = await drc.patch(path, data={"text": "Call before filling."})
    assert r.json() == {"pharmacy_note": "Patient prefers generic.\n\nCall before filling."}
    got = (await drc.get(f"/api/medications/{made['id']}")).json()
    assert got["pharmacy_note"] == "Patient prefers generic.\n\nCall before filling."
    for bad in ({}, {"text": ""}, {"text": "  "}, {"text": 5}):
        r = await drc.patch(path, json=bad)
        assert r.status_code == 400 and "text" in r.json()
    assert (await drc.get(f"/api/medications/{made['id']}")).json() == got
    assert (
        await drc.patch("/api/medications/999/append_to_pharmacy_note", json={"text": "x"})
    ).status_code == 404
    assert (await drc.post(path, json={"text": "x"})).status_code == 405


async def test_org_medication_read_and_changed_through_drchrono(
    drc: httpx.AsyncClient, org: httpx.AsyncClient
) -> None:
    r = await org.post(
        f"/patients/{PATIENT}/medications",
        json={"medication_definition_uuid": str(demo_uuid("medication_definition", 2)),
              "med_descript": "Lisinopril 10 mg tablet", "dosage": "10 mg", "frequency": "daily",
              "route": "oral", "rx_cui": "314076", "date_start": "2023-01-10",
              "provider_uuid": str(demo_uuid("provider", 2)), "patient_note": "Morning"},
    )  # fmt: skip
    assert r.status_code == 201, r.text
    created = r.json()
    [med] = (await drc.get("/api/medications?patient=15")).json()["results"]
    assert_schema(med, "PatientDrug")
    assert (med["name"], med["doctor"], med["rxnorm"], med["date_started_taking"]) == (
        "Lisinopril 10 mg tablet", 2, "314076", "2023-01-10",
    )  # fmt: skip
    assert (med["frequency"], med["route"], med["status"]) == ("daily", "oral", "active")
    r = await drc.patch(
        f"/api/medications/{med['id']}",
        json={"signature_note": "1 tab PO qd", "number_refills": 3, "daw": True},
    )
    assert r.status_code == 204
    r = await drc.patch(
        f"/api/medications/{med['id']}/append_to_pharmacy_note", json={"text": "90-day supply"}
    )
    assert r.status_code == 200
    back = (await org.get(f"/patients/{PATIENT}/medications/{created['id']}")).json()
    same = {
        k: v
        for k, v in created.items()
        if k not in ("updated_at", "version", "interaction_warnings")
    }
    assert {k: back[k] for k in same} == same
    assert back["version"] == created["version"] + 2
    again = (await drc.get(f"/api/medications/{med['id']}")).json()
    assert again == {**med, "signature_note": "1 tab PO qd", "number_refills": 3, "daw": True,
                     "pharmacy_note": "90-day supply"}  # fmt: skip
