"""Open Dental ProcedureLogs (seed 002): the documented examples, then every
rule of GET, POST, PUT and DELETE. Insurance history, group notes and the
treatment-area rules have their own test modules."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from canonical import (
    Appointment,
    Patient,
    Procedure,
    ProcedureAttachment,
    ProcedureStatus,
    Ref,
)
from canonical.references import AppointmentStatus
from gateway.backends.store import Store
from tests.dialects.opendental.procedure_helpers import backend, edit, snapshot
from tests.support import assert_matches_example, examples

EXAMPLES = examples("opendental/procedurelogs")

GET_FIELDS = [
    "ProcNum",
    "PatNum",
    "AptNum",
    "ProcDate",
    "ProcFee",
    "Surf",
    "ToothNum",
    "ToothRange",
    "Priority",
    "priority",
    "ProcStatus",
    "ProvNum",
    "provAbbr",
    "Dx",
    "dxName",
    "PlannedAptNum",
    "Prosthesis",
    "DateOriginalProsth",
    "ClinicNum",
    "CodeNum",
    "procCode",
    "descript",
    "UnitQty",
    "BaseUnits",
    "DateTStamp",
    "IsDateProsthEst",
    "serverDateTime",
]
WRITE_FIELDS = [
    f for f in GET_FIELDS if f not in ("Prosthesis", "DateOriginalProsth", "IsDateProsthEst")
]

D2331 = {
    "PatNum": 29,
    "ProcDate": "2021-04-25",
    "Surf": "MO",
    "ToothNum": "4",
    "ProcStatus": "TP",
    "procCode": "D2331",
}


# -- documented examples -------------------------------------------------------------


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
async def test_documented_example(
    od: httpx.AsyncClient, name: str, example: dict[str, Any]
) -> None:
    req, expected = example["request"], example["response"]
    r = await od.request(req["method"], req["path"], json=req.get("body"))
    assert r.status_code == expected["status"], r.text
    if expected["body"] is None:
        assert r.content == b""
        return
    assert_matches_example(r.json(), expected["body"], assigned=example["assigned"])
    if expected["status"] == 201:
        num = r.json().get("ProcNum")
        assert num is None or r.headers["location"].endswith(f"/procedurelogs/{num}")
        assert "/procedurelogs/" in r.headers["location"]


async def test_field_order_and_value_shapes(od: httpx.AsyncClient) -> None:
    got = (await od.get("/procedurelogs/179")).json()
    assert list(got) == GET_FIELDS
    shapes = {k: type(v).__name__ for k, v in got.items()}
    # Every foreign key is a JSON integer, 0 for none (see procedure_codec).
    for key in ("AptNum", "PlannedAptNum", "Dx", "ClinicNum", "ProvNum", "CodeNum", "Priority"):
        assert shapes[key] == "int", key
    assert (got["AptNum"], got["Dx"], got["ClinicNum"]) == (1023, 139, 2)
    empty = (await od.get("/procedurelogs/20")).json()
    assert (empty["AptNum"], empty["PlannedAptNum"], empty["Dx"], empty["ClinicNum"]) == (
        0,
        0,
        0,
        0,
    )


# -- GET --------------------------------------------------------------------------------


async def test_get_one_not_found_and_bad_num(od: httpx.AsyncClient) -> None:
    r = await od.get("/procedurelogs/99999")
    assert (r.status_code, r.json()) == (404, "Procedure not found.")
    assert (await od.get("/procedurelogs/abc")).status_code == 400


async def _nums(od: httpx.AsyncClient, **params: Any) -> list[int]:
    r = await od.get("/procedurelogs", params=params)
    assert r.status_code == 200, r.text
    return [p["ProcNum"] for p in r.json()]


async def test_get_many_filters(od: httpx.AsyncClient) -> None:
    assert await _nums(od, PatNum=52) == [1470, 1471, 1472]
    assert await _nums(od, AptNum=202) == [40, 41]
    assert await _nums(od, AptNum=202, ClinicNum=1, PatNum=261) == [40, 41]
    assert await _nums(od, ClinicNum=2) == [179, 181]
    assert 1 in await _nums(od, ClinicNum=0)
    assert await _nums(od, PatNum=261, ProcStatus="TP") == [42]
    assert await _nums(od, CodeNum=230) == [42, 1074]
    everything = await _nums(od)
    assert everything == sorted(everything) and len(everything) == 22


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"PatNum": 9999}, 404),
        ({"PatNum": "x"}, 400),
        ({"AptNum": "x"}, 400),
        ({"ClinicNum": "1.5"}, 400),
        ({"ProcStatus": "Done"}, 400),
        ({"DateTStamp": "yesterday"}, 400),
        ({"Unknown": "1"}, 400),
        ({"Offset": "-1"}, 400),
    ],
)
async def test_get_many_bad_params(
    od: httpx.AsyncClient, params: dict[str, Any], status: int
) -> None:
    r = await od.get("/procedurelogs", params=params)
    assert r.status_code == status
    assert isinstance(r.json(), str)


async def test_paging_past_one_hundred(od: httpx.AsyncClient, store: Store) -> None:
    b = backend(store)
    async with b.atomic():
        for day in range(120):
            await b.create(
                Procedure(
                    patient=Ref(num=12),
                    code=Ref(num=187),
                    status=ProcedureStatus.treatment_planned,
                    procedure_date=date(2023, 1, 1) + timedelta(days=day),
                )
            )
    first = await _nums(od, PatNum=12)
    second = await _nums(od, PatNum=12, Offset=100)
    assert len(first) == 100 and len(second) == 23  # 20, 25 and group note 144 too
    assert first + second == sorted(set(first + second))
    assert len(await _nums(od, PatNum=12, Limit=500)) == 100
    assert len(await _nums(od, PatNum=12, Offset=110, Limit=5)) == 5


async def test_datetstamp_sync_with_server_datetime(od: httpx.AsyncClient) -> None:
    first = (await od.get("/procedurelogs")).json()
    watermark = first[0]["serverDateTime"]
    assert {p["serverDateTime"] for p in first} == {watermark}
    assert await _nums(od, DateTStamp=watermark) == []
    assert (await od.put("/procedurelogs/42", json={"ProcFee": "199.00"})).status_code == 200
    created = (await od.post("/procedurelogs", json=D2331)).json()["ProcNum"]
    assert (await od.delete("/procedurelogs/25")).status_code == 200
    changed = (await od.get("/procedurelogs", params={"DateTStamp": watermark})).json()
    assert [p["ProcNum"] for p in changed] == [25, 42, created]
    assert changed[0]["ProcStatus"] == "D"
    assert all(p["DateTStamp"] >= watermark for p in changed)
    older = await _nums(od, DateTStamp="2023-02-14 15:11:02")
    assert older[:3] == [25, 42, 863] and 862 not in older


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


# -- DELETE -----------------------------------------------------------------------------


async def test_delete_marks_deleted_and_detaches(od: httpx.AsyncClient) -> None:
    created = (await od.post("/procedurelogs", json={**D2331, "PatNum": 23, "AptNum": 1023})).json()
    num = created["ProcNum"]
    r = await od.delete(f"/procedurelogs/{num}")
    assert (r.status_code, r.content) == (200, b"")
    gone = (await od.get(f"/procedurelogs/{num}")).json()
    assert (gone["ProcStatus"], gone["AptNum"]) == ("D", 0)
    assert num not in await _nums(od, AptNum=1023)
    assert num in await _nums(od, PatNum=23, ProcStatus="D")
    again = await od.delete(f"/procedurelogs/{num}")
    assert again.status_code == 400 and "ProcStatus of D" in again.json()


async def test_delete_statuses(od: httpx.AsyncClient, store: Store) -> None:
    assert (await od.delete("/procedurelogs/20")).status_code == 200  # C
    await edit(store, Procedure, 42, status="treatment_planned_inactive")
    assert (await od.delete("/procedurelogs/42")).status_code == 200  # TPi
    before = await snapshot(store)
    for num, status in ((13073, "EO"), (865, "EC")):
        r = await od.delete(f"/procedurelogs/{num}")
        assert r.status_code == 400 and f"ProcStatus of {status}" in r.json()
    assert await snapshot(store) == before


@pytest.mark.parametrize("attachment", list(ProcedureAttachment))
async def test_delete_refused_while_attached(
    od: httpx.AsyncClient, store: Store, attachment: ProcedureAttachment
) -> None:
    await edit(store, Procedure, 25, attached_to=[attachment])
    before = await snapshot(store)
    r = await od.delete("/procedurelogs/25")
    assert r.status_code == 400 and "attached to" in r.json()
    assert await snapshot(store) == before


async def test_delete_not_found(od: httpx.AsyncClient) -> None:
    r = await od.delete("/procedurelogs/99999")
    assert (r.status_code, r.json()) == (404, "Procedure not found.")
    assert (await od.delete("/procedurelogs/x")).status_code == 400


async def test_post_and_put_on_a_planned_appointment(od: httpx.AsyncClient, store: Store) -> None:
    planned = Appointment(num=5000, patient=Ref(num=23), status=AppointmentStatus.planned)
    await backend(store).create(planned)
    r = await od.post("/procedurelogs", json={**D2331, "PatNum": 23, "PlannedAptNum": 5000})
    assert (r.status_code, r.json()["PlannedAptNum"]) == (201, 5000)
    assert await _nums(od, PlannedAptNum=5000) == [r.json()["ProcNum"]]
    moved = await od.put("/procedurelogs/100", json={"PlannedAptNum": "5000", "AptNum": "1023"})
    assert (moved.json()["PlannedAptNum"], moved.json()["AptNum"]) == (5000, 1023)
    # 1023 is a scheduled appointment, not a planned one.
    refused = await od.put("/procedurelogs/100", json={"PlannedAptNum": 1023})
    assert refused.status_code == 400 and "planned appointment" in refused.json()
