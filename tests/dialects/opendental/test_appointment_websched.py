"""Open Dental Appointments GET SlotsWebSched and POST WebSched
(dialects/opendental/appointment_websched.py): slots cut from GET Slots' open
time, booking one, and bad input changing nothing. The documented examples
run in test_appointments.py."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from canonical import Appointment, AppointmentType, Definition, DefinitionCategory, Procedure, Ref
from tests.dialects.opendental.test_appointments import freeze
from tests.support import demo_backend, stored

MONDAY = {"dateStart": "2021-02-15", "dateEnd": "2021-02-15", "defNumApptType": 326}
BOOK = {
    "PatNum": 21,
    "DateTimeStart": "2021-11-19 09:00:00",
    "DateTimeEnd": "2021-11-19 09:30:00",
    "ProvNum": 5,
    "OpNum": 3,
    "defNumApptType": 326,
}


async def slots(od: httpx.AsyncClient, **params: Any) -> list[tuple[str, str, int, int]]:
    r = await od.get("/appointments/SlotsWebSched", params=params)
    assert r.status_code == 200, r.text
    return [
        (s["DateTimeStart"][11:16], s["DateTimeEnd"][11:16], s["ProvNum"], s["OpNum"])
        for s in r.json()
    ]


@pytest.fixture
def monday(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch, "2021-02-15 07:00:00")


@pytest.fixture
async def friday(od: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """The day before the POST example; appointment 34 moved off provider 5's 09:00."""
    freeze(monkeypatch, "2021-11-18 10:00:00")
    r = await od.put("/appointments/34/Break", json={"sendToUnscheduledList": "true"})
    assert r.status_code == 200, r.text


@pytest.mark.usefixtures("monday")
async def test_slots_are_the_open_time_cut_to_the_type_length(od: httpx.AsyncClient) -> None:
    got = await slots(od, **MONDAY)
    assert got[:2] == [("08:00", "08:30", 1, 1), ("08:30", "09:00", 1, 1)]
    assert [s[0] for s in got] == [
        "08:00", "08:30", "09:00", "09:30", "10:00", "13:00", "13:30", "14:00", "14:30",
    ]  # fmt: skip
    # The same open time as GET Slots.
    open_time = (await od.get("/appointments/Slots", params={"date": "2021-02-15"})).json()
    assert [(s["DateTimeStart"], s["DateTimeEnd"]) for s in open_time] == [
        ("2021-02-15 08:00:00", "2021-02-15 10:30:00"),
        ("2021-02-15 13:00:00", "2021-02-15 15:00:00"),
    ]


@pytest.mark.usefixtures("monday")
async def test_slots_defaults_and_filters(od: httpx.AsyncClient) -> None:
    # No defNumApptType: isNewPatient chooses the category (326 is the New Patient one).
    assert await slots(od, date="2021-02-15", isNewPatient="true") == await slots(od, **MONDAY)
    assert await slots(od, **MONDAY, ClinicNum=0) == await slots(od, **MONDAY)
    assert await slots(od, **MONDAY, ClinicNum=1) == []  # op 7 has no hours of provider 1
    # Two weeks by default: ten weekdays of provider 1's usual hours, nine slots each.
    assert len(await slots(od, defNumApptType=326)) == 90


async def test_past_days_are_listed(od: httpx.AsyncClient) -> None:
    # On today's clock the example's Monday is long past: its slots are listed as on that day.
    assert len(await slots(od, **MONDAY)) == 9
    only_end = await slots(od, dateEnd="2021-02-15", defNumApptType=326)
    assert len(only_end) == 90  # the two weeks up to it


async def test_a_past_slot_can_be_booked(od: httpx.AsyncClient) -> None:
    body = {**BOOK, "DateTimeStart": "2021-02-15 08:00:00", "DateTimeEnd": "2021-02-15 08:30:00"}
    r = await od.post("/appointments/WebSched", json={**body, "ProvNum": 1, "OpNum": 1})
    assert r.status_code == 201, r.text
    assert r.json()["AptDateTime"] == "2021-02-15 08:00:00"


@pytest.mark.usefixtures("monday")
async def test_only_online_operatories(od: httpx.AsyncClient) -> None:
    # Provider 1 works in operatory 18 on 2022-03-28 too; operatory 18 is not for Web Sched.
    got = await slots(od, date="2022-03-28", defNumApptType=326)
    assert got and {op for *_, op in got} == {1}
    assert (await od.get("/appointments/Slots?date=2022-03-28&ProvNum=1&OpNum=18")).json()


@pytest.mark.usefixtures("monday")
async def test_a_type_without_a_pattern_takes_its_procedures_times(
    od: httpx.AsyncClient, store: Any
) -> None:
    backend = demo_backend(store)
    existing = await backend.create(
        Definition(category=DefinitionCategory.web_sched_existing_appointment_type, name="Recall")
    )
    await backend.create(
        AppointmentType(
            name="Recall", procedure_codes=[Ref(num=176)], web_sched=[Ref(num=existing.num)]
        )
    )
    # D1110 takes "//XX//": 30 minutes, as type 326's "//XXXX".
    got = await slots(od, date="2021-02-15")  # isNewPatient false: the Existing Patient type
    assert got == await slots(od, **MONDAY)


@pytest.mark.usefixtures("monday")
@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"defNumApptType": 999}, "defNumApptType"),
        ({"defNumApptType": 19}, "defNumApptType"),  # an Appt Confirmed definition
        ({"defNumApptType": "x"}, "defNumApptType"),
        ({"defNumApptType": 99999999999999999999999}, "defNumApptType"),
        ({}, "existing patients"),  # no Existing Patient type is set up
        ({"defNumApptType": 326, "ClinicNum": 77}, "ClinicNum"),
        ({"defNumApptType": 326, "isNewPatient": "maybe"}, "isNewPatient"),
        ({"defNumApptType": 326, "date": "2021-02-16", "dateStart": "2021-02-16"}, "date"),
        ({"defNumApptType": 326, "dateStart": "2021-02-18", "dateEnd": "2021-02-16"}, "dateEnd"),
        ({"defNumApptType": 326, "ProvNum": 1}, "ProvNum"),
    ],
)
async def test_bad_slots(od: httpx.AsyncClient, params: dict[str, Any], name: str) -> None:
    r = await od.get("/appointments/SlotsWebSched", params=params)
    assert r.status_code == 400, r.text
    assert name in r.json()


async def test_an_unlinked_definition_is_a_400(od: httpx.AsyncClient, store: Any) -> None:
    lone = await demo_backend(store).create(
        Definition(category=DefinitionCategory.web_sched_new_patient_appointment_type, name="X")
    )
    r = await od.get("/appointments/SlotsWebSched", params={"defNumApptType": lone.num})
    assert r.status_code == 400 and "no appointment type" in r.json()


@pytest.mark.usefixtures("friday")
async def test_booking_takes_the_slot_and_makes_its_procedures(od: httpx.AsyncClient) -> None:
    day = {"date": "2021-11-19", "defNumApptType": 326}
    assert ("09:00", "09:30", 5, 3) in await slots(od, **day)
    r = await od.post("/appointments/WebSched", json=BOOK)
    assert r.status_code == 201, r.text
    got = r.json()
    assert r.headers["location"].endswith(f"/appointments/{got['AptNum']}")
    assert (got["Pattern"], got["AppointmentTypeNum"], got["IsNewPatient"]) == (
        "//XXXX",
        20,
        "true",
    )
    assert ("09:00", "09:30", 5, 3) not in await slots(od, **day)
    held = (await od.get("/procedurelogs", params={"AptNum": got["AptNum"]})).json()
    assert [(p["procCode"], p["ProcStatus"], p["PatNum"], p["ProvNum"]) for p in held] == [
        ("D0140", "TP", 21, 5),
        ("D0272", "TP", 21, 5),
    ]
    online = (await od.get("/appointments/WebSched", params={"date": "2021-11-19"})).json()
    assert {a["AptNum"]: a["eServiceLogType"] for a in online}[got["AptNum"]] == "NewPat"
    again = await od.post("/appointments/WebSched", json=BOOK)
    assert again.status_code == 400, again.text


@pytest.mark.usefixtures("friday")
@pytest.mark.parametrize(
    ("body", "status", "name"),
    [
        ({k: v for k, v in BOOK.items() if k != "PatNum"}, 400, "PatNum"),
        ({k: v for k, v in BOOK.items() if k != "DateTimeEnd"}, 400, "DateTimeEnd"),
        ({k: v for k, v in BOOK.items() if k != "defNumApptType"}, 400, "defNumApptType"),
        ({**BOOK, "dateTimeStart": BOOK["DateTimeStart"]}, 400, "dateTimeStart"),
        ({**BOOK, "Note": "x"}, 400, "Note"),
        ({**BOOK, "PatNum": 9999}, 404, "Patient"),
        ({**BOOK, "PatNum": "x"}, 400, "PatNum"),
        ({**BOOK, "ProvNum": 999}, 404, "Provider"),
        ({**BOOK, "OpNum": 999}, 404, "Operatory"),
        ({**BOOK, "OpNum": 99999999999999999999999}, 400, "OpNum"),
        ({**BOOK, "defNumApptType": 999}, 404, "defNumApptType"),
        ({**BOOK, "defNumApptType": 19}, 400, "defNumApptType"),
        ({**BOOK, "DateTimeStart": "2021-11-19"}, 400, "DateTimeStart"),
        ({**BOOK, "DateTimeEnd": "2021-11-19 08:30:00"}, 400, "DateTimeEnd"),
        ({**BOOK, "DateTimeStart": "2021-11-19 09:10:00", "DateTimeEnd": "2021-11-19 09:40:00"}, 400, "slot"),
        ({**BOOK, "DateTimeEnd": "2021-11-19 10:00:00"}, 400, "slot"),
        ({**BOOK, "ProvNum": 1}, 400, "slot"),
        ({**BOOK, "OpNum": 1}, 400, "slot"),
        ({**BOOK, "DateTimeStart": "2021-11-17 09:00:00", "DateTimeEnd": "2021-11-17 09:30:00"}, 400, "slot"),
    ],
)  # fmt: skip
async def test_bad_booking_changes_nothing(
    od: httpx.AsyncClient, store: Any, body: dict[str, Any], status: int, name: str
) -> None:
    before = (await stored(store, Appointment), await stored(store, Procedure))
    r = await od.post("/appointments/WebSched", json=body)
    assert r.status_code == status, r.text
    assert name in r.json()
    assert (await stored(store, Appointment), await stored(store, Procedure)) == before
