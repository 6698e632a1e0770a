"""Open Dental ProcedureLogs POST and PUT (seed 002): every rule beyond the
field map (dialects/opendental/procedure_writes.py): defaults, silently ignored
keys, treatment areas, appointments, what a complete procedure keeps."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from canonical import Appointment, Patient, Ref
from canonical.references import AppointmentStatus
from gateway.backends.store import Store
from tests.dialects.opendental.procedure_helpers import (
    D2331,
    WRITE_FIELDS,
    backend,
    edit,
    nums,
    snapshot,
)

# -- POST -------------------------------------------------------------------------------


async def test_post_then_get_round_trip(od: httpx.AsyncClient) -> None:
    body = {
        "PatNum": 23,
        "AptNum": 1023,
        "ProcDate": "2022-04-25",
        "ProcFee": "310.50",
        "Surf": "MOD",
        "ToothNum": "A",
        "Priority": 150,
        "ProcStatus": "C",
        "ProvNum": 3,
        "dxName": "None",
        "ClinicNum": 1,
        "procCode": "D2393",
    }
    r = await od.post("/procedurelogs", json=body)
    assert r.status_code == 201, r.text
    created = r.json()
    assert list(created) == WRITE_FIELDS
    again = (await od.get(f"/procedurelogs/{created['ProcNum']}")).json()
    assert {k: again[k] for k in WRITE_FIELDS if k != "serverDateTime"} == {
        k: created[k] for k in WRITE_FIELDS if k != "serverDateTime"
    }
    assert (again["AptNum"], again["Priority"], again["priority"]) == (1023, 150, "High")
    assert (again["ProvNum"], again["provAbbr"], again["Dx"], again["ClinicNum"]) == (
        3,
        "HYG1",
        139,
        1,
    )
    assert (again["ProcFee"], again["ToothNum"], again["ProcStatus"]) == ("310.50", "A", "C")
    assert (await od.get(f"/procedurelogs/{created['ProcNum']}")).json()["DateTStamp"] == again[
        "DateTStamp"
    ]


async def test_post_defaults(od: httpx.AsyncClient, store: Store) -> None:
    got = (await od.post("/procedurelogs", json=D2331)).json()
    # Priority and Dx: the first definition of their category; fee: the code's default.
    assert (got["Priority"], got["priority"], got["Dx"], got["dxName"]) == (
        148,
        "Low",
        126,
        "Cracked Tooth",
    )
    assert (got["ProcFee"], got["UnitQty"], got["BaseUnits"]) == ("150.00", 1, 0)
    explicit = (await od.post("/procedurelogs", json={**D2331, "Priority": 0, "Dx": 0})).json()
    assert (explicit["Priority"], explicit["priority"], explicit["Dx"]) == (0, "", 0)


async def test_post_provider_and_clinic_defaults(od: httpx.AsyncClient, store: Store) -> None:
    await edit(store, Patient, 23, primary_provider=Ref(num=3), location=Ref(num=3))
    body = {**D2331, "PatNum": 23}
    # The appointment's provider comes first, then the patient's primary provider.
    with_apt = (await od.post("/procedurelogs", json={**body, "AptNum": 1023})).json()
    assert (with_apt["ProvNum"], with_apt["ClinicNum"]) == (2, 3)
    plain = (await od.post("/procedurelogs", json=body)).json()
    assert (plain["ProvNum"], plain["provAbbr"], plain["ClinicNum"]) == (3, "HYG1", 3)
    no_clinic = (await od.post("/procedurelogs", json={**body, "ClinicNum": 0})).json()
    assert no_clinic["ClinicNum"] == 0
    # Neither: the office's default provider, the first one.
    await edit(store, Patient, 23, primary_provider=None)
    office = (await od.post("/procedurelogs", json=body)).json()
    assert (office["ProvNum"], office["provAbbr"]) == (1, "DOC1")


async def test_post_silently_ignores_server_fields(od: httpx.AsyncClient) -> None:
    body = {**D2331, "ProcNum": 20, "provAbbr": "HYG1", "CodeNum": 2, "descript": "x"}
    r = await od.post("/procedurelogs", json=body)
    assert r.status_code == 201, r.text
    got = r.json()
    assert got["ProcNum"] != 20
    assert (got["CodeNum"], got["procCode"], got["provAbbr"]) == (187, "D2331", "DOC1")
    assert (await od.get("/procedurelogs/20")).json()["PatNum"] == 12


async def test_post_statuses(od: httpx.AsyncClient) -> None:
    for status in ("TP", "C", "EO"):
        r = await od.post("/procedurelogs", json={**D2331, "ProcStatus": status})
        assert (r.status_code, r.json()["ProcStatus"]) == (201, status)


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({"Priority": 149, "priority": "Low"}, 400, "Priority"),
        ({"Dx": 126, "dxName": "None"}, 400, "dxName"),
        ({"PatNum": None}, 400, "PatNum"),
        ({"ProcDate": None}, 400, "ProcDate"),
        ({"ProcStatus": None}, 400, "ProcStatus"),
        ({"procCode": None}, 400, "procCode"),
        ({"procCode": ""}, 400, "procCode"),
        ({"ProcDate": "0001-01-01"}, 400, "ProcDate"),
        ({"ProcDate": "04/25/2021"}, 400, "ProcDate"),
        ({"ProcStatus": "EC"}, 400, "ProcStatus"),
        ({"ProcStatus": "D"}, 400, "ProcStatus"),
        ({"ProcStatus": "TPi"}, 400, "ProcStatus"),
        ({"ProcStatus": "Cn"}, 400, "ProcStatus"),
        ({"ProcStatus": "tp"}, 400, "ProcStatus"),
        ({"ProcFee": "lots"}, 400, "ProcFee"),
        ({"PatNum": "abc"}, 400, "PatNum"),
        ({"Priority": "high"}, 400, "Priority"),
        ({"Prosthesis": "I"}, 400, "Prosthesis"),
        ({"DateTStamp": "2022-01-01 00:00:00"}, 400, "DateTStamp"),
        ({"Bogus": 1}, 400, "Bogus"),
        ({"procCode": "~GRP~"}, 400, "procCode"),
        ({"AptNum": 1023}, 400, "AptNum"),
        ({"PlannedAptNum": 202}, 400, "PlannedAptNum"),
        ({"PatNum": 9999}, 404, "Patient not found."),
        ({"PatNum": 0}, 404, "Patient not found."),
        ({"AptNum": 9999}, 404, "Appointment not found."),
        ({"procCode": "D9999"}, 404, "procCode not found."),
        ({"Priority": 9999}, 404, "Priority not found."),
        ({"Priority": 126}, 404, "Priority not found."),
        ({"priority": "Urgent"}, 404, "Priority not found."),
        ({"Dx": 9999}, 404, "Dx not found."),
        ({"dxName": "Low"}, 404, "Dx not found."),
        ({"ProvNum": 99}, 404, "Provider not found."),
        ({"ClinicNum": 99}, 404, "Clinic not found."),
        ({"PlannedAptNum": 9999}, 404, "Planned appointment not found."),
    ],
)
async def test_bad_post_changes_nothing(
    od: httpx.AsyncClient, store: Store, change: dict[str, Any], status: int, message: str
) -> None:
    body = {k: v for k, v in {**D2331, **change}.items() if v is not None}
    before = await snapshot(store)
    r = await od.post("/procedurelogs", json=body)
    assert r.status_code == status, r.text
    assert message in r.json()
    assert await snapshot(store) == before


@pytest.mark.parametrize(
    "content", [b"{not json", b"[]", b"", b'"text"'], ids=["malformed", "list", "empty", "string"]
)
async def test_malformed_bodies(od: httpx.AsyncClient, content: bytes) -> None:
    for method, path in (("POST", "/procedurelogs"), ("PUT", "/procedurelogs/100")):
        r = await od.request(
            method, path, content=content, headers={"Content-Type": "application/json"}
        )
        assert r.status_code == 400
        assert isinstance(r.json(), str)


# -- PUT --------------------------------------------------------------------------------


async def test_put_round_trip_changes_only_what_is_given(od: httpx.AsyncClient) -> None:
    before = (await od.get("/procedurelogs/42")).json()
    r = await od.put("/procedurelogs/42", json={"ProcFee": 99.5, "Priority": 0, "Dx": ""})
    assert r.status_code == 200, r.text
    assert list(r.json()) == WRITE_FIELDS
    after = (await od.get("/procedurelogs/42")).json()
    changed = {k for k in before if before[k] != after[k]} - {"serverDateTime"}
    assert changed == {"ProcFee", "Priority", "priority", "Dx", "dxName", "DateTStamp"}
    assert (after["ProcFee"], after["Priority"], after["Dx"]) == ("99.50", 0, 0)


async def test_put_ignores_empty_location_strings(od: httpx.AsyncClient) -> None:
    before = (await od.get("/procedurelogs/100")).json()
    r = await od.put("/procedurelogs/100", json={"ToothNum": "", "Surf": "", "ToothRange": ""})
    assert r.status_code == 200, r.text
    after = (await od.get("/procedurelogs/100")).json()
    assert (after["ToothNum"], after["Surf"]) == (before["ToothNum"], before["Surf"])


async def test_put_complete_procedure_locks_code_and_locations(
    od: httpx.AsyncClient, store: Store
) -> None:
    # Procedure 20 is complete (C): its code and location fields stay as they are.
    before = await snapshot(store)
    for body in ({"ToothNum": "5"}, {"Surf": "MO"}, {"procCode": "D0150"}, {"ToothRange": "3"}):
        r = await od.put("/procedurelogs/20", json=body)
        assert r.status_code == 400, body
        assert "ProcStatus of C" in r.json()
    assert await snapshot(store) == before
    same = await od.put("/procedurelogs/20", json={"ToothNum": "4", "procCode": "D0120"})
    assert same.status_code == 200, same.text
    other = await od.put("/procedurelogs/20", json={"ProcFee": "140.00", "ProcStatus": "TP"})
    assert (other.status_code, other.json()["ProcFee"], other.json()["ProcStatus"]) == (
        200,
        "140.00",
        "TP",
    )
    # Once no longer complete, the tooth can change.
    assert (
        await od.put("/procedurelogs/20", json={"ToothNum": "5"})
    ).status_code == 400  # Mouth code
    assert (await od.put("/procedurelogs/100", json={"ToothNum": "5"})).json()["ToothNum"] == "5"


async def test_put_code_change_needs_same_treatment_area(od: httpx.AsyncClient) -> None:
    r = await od.put("/procedurelogs/100", json={"procCode": "D2391"})
    assert (r.status_code, r.json()["procCode"], r.json()["CodeNum"]) == (200, "D2391", 191)
    r = await od.put("/procedurelogs/100", json={"procCode": "D7140"})
    assert r.status_code == 400 and "treatment area" in r.json()
    r = await od.put("/procedurelogs/181", json={"procCode": "D2331"})
    assert r.status_code == 400 and "treatment area" in r.json()


@pytest.mark.parametrize(
    ("path", "body", "status", "message"),
    [
        ("/procedurelogs/99999", {"ProcFee": "1"}, 404, "Procedure not found."),
        ("/procedurelogs/abc", {"ProcFee": "1"}, 400, "ProcNum"),
        ("/procedurelogs/100", {"priority": "Low"}, 400, "priority"),
        ("/procedurelogs/100", {"dxName": "None"}, 400, "dxName"),
        ("/procedurelogs/100", {"PatNum": 12}, 400, "PatNum"),
        ("/procedurelogs/100", {"ProcNum": 5}, 400, "ProcNum"),
        ("/procedurelogs/100", {"ProcStatus": "EC"}, 400, "ProcStatus"),
        ("/procedurelogs/100", {"ProcDate": "2022-13-01"}, 400, "ProcDate"),
        ("/procedurelogs/100", {"ProcDate": "0001-01-01"}, 400, "ProcDate"),
        ("/procedurelogs/100", {"procCode": ""}, 400, "procCode"),
        ("/procedurelogs/100", {"procCode": "~GRP~"}, 400, "procCode"),
        ("/procedurelogs/100", {"procCode": "D0000"}, 404, "procCode not found."),
        ("/procedurelogs/100", {"Priority": 126}, 404, "Priority not found."),
        ("/procedurelogs/100", {"Dx": 148}, 404, "Dx not found."),
        ("/procedurelogs/100", {"ProvNum": 77}, 404, "Provider not found."),
        ("/procedurelogs/100", {"ClinicNum": 77}, 404, "Clinic not found."),
        ("/procedurelogs/100", {"AptNum": 777}, 404, "Appointment not found."),
        ("/procedurelogs/100", {"AptNum": 202}, 400, "AptNum"),
        ("/procedurelogs/100", {"ToothNum": "33"}, 400, "ToothNum"),
        ("/procedurelogs/100", {"Surf": "MOX"}, 400, "Surf"),
        ("/procedurelogs/100", {"ToothRange": "2-4"}, 400, "ToothRange"),
        ("/procedurelogs/181", {"ToothNum": "3"}, 400, "ToothNum"),
        ("/procedurelogs/181", {"Surf": "UL"}, 400, "Surf"),
        ("/procedurelogs/181", {"procCode": "D9972", "Surf": "L"}, 400, "ToothRange"),
        ("/procedurelogs/865", {"ProcFee": "1"}, 400, "PUT GroupNote"),
    ],
)
async def test_bad_put_changes_nothing(
    od: httpx.AsyncClient,
    store: Store,
    path: str,
    body: dict[str, Any],
    status: int,
    message: str,
) -> None:
    before = await snapshot(store)
    r = await od.put(path, json=body)
    assert r.status_code == status, r.text
    assert message in r.json()
    assert await snapshot(store) == before


async def test_put_on_deleted_procedure(od: httpx.AsyncClient) -> None:
    assert (await od.delete("/procedurelogs/25")).status_code == 200
    r = await od.put("/procedurelogs/25", json={"ProcFee": "1"})
    assert r.status_code == 400 and "deleted" in r.json()


async def test_post_and_put_on_a_planned_appointment(od: httpx.AsyncClient, store: Store) -> None:
    planned = Appointment(num=5000, patient=Ref(num=23), status=AppointmentStatus.planned)
    await backend(store).create(planned)
    r = await od.post("/procedurelogs", json={**D2331, "PatNum": 23, "PlannedAptNum": 5000})
    assert (r.status_code, r.json()["PlannedAptNum"]) == (201, 5000)
    assert await nums(od, PlannedAptNum=5000) == [r.json()["ProcNum"]]
    moved = await od.put("/procedurelogs/100", json={"PlannedAptNum": "5000", "AptNum": "1023"})
    assert (moved.json()["PlannedAptNum"], moved.json()["AptNum"]) == (5000, 1023)
    # 1023 is a scheduled appointment, not a planned one.
    refused = await od.put("/procedurelogs/100", json={"PlannedAptNum": 1023})
    assert refused.status_code == 400 and "planned appointment" in refused.json()
