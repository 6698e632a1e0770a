"""Open Dental Appointments POST Planned and POST SchedulePlanned
(dialects/opendental/appointment_planned.py): defaults, the procedures they
attach, the link to the planned appointment, and bad input changing nothing.
The documented examples run in test_appointments.py."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from canonical import Appointment, Procedure
from tests.dialects.opendental.test_appointments import freeze
from tests.support import stored

SCHEDULE = {"AptNum": 413, "AptDateTime": "2022-06-14 09:00:00", "ProvNum": 10, "Op": 1}


async def procs(od: httpx.AsyncClient, **params: Any) -> dict[int, dict[str, Any]]:
    r = await od.get("/procedurelogs", params=params)
    assert r.status_code == 200, r.text
    return {p["ProcNum"]: p for p in r.json()}


async def post(od: httpx.AsyncClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    r = await od.post(path, json=body)
    assert r.status_code == 201, r.text
    got: dict[str, Any] = r.json()
    assert r.headers["location"].endswith(f"/appointments/{got['AptNum']}")
    return got


async def test_planned_defaults(od: httpx.AsyncClient) -> None:
    got = await post(od, "/appointments/Planned", {"PatNum": 72})
    assert (got["AptStatus"], got["Pattern"], got["PatternSecondary"]) == (
        "Planned",
        "/XX/",
        "////",
    )
    assert (got["Op"], got["AptDateTime"], got["ProcDescript"]) == (0, "0001-01-01 00:00:00", "")
    # Patient 72: primary provider 1, clinic 3; planned appointment 413 is its first.
    assert (got["ProvNum"], got["ClinicNum"], got["Confirmed"]) == (1, 3, 19)
    assert (got["ProvHyg"], got["IsHygiene"], got["IsNewPatient"], got["Priority"]) == (
        0,
        "false",
        "false",
        "Normal",
    )
    assert (got["ItemOrderPlanned"], got["AppointmentTypeNum"]) == (2, 0)
    listed = (await od.get("/appointments", params={"AptStatus": "Planned"})).json()
    assert [a["AptNum"] for a in listed] == [413, got["AptNum"]]


async def test_planned_type_attaches_and_makes_procedures(
    od: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    freeze(monkeypatch, "2022-05-20 10:00:00")
    got = await post(od, "/appointments/Planned", {"PatNum": 72, "AppointmentTypeNum": 12})
    assert (got["ProcDescript"], got["colorOverride"], got["AppointmentTypeNum"]) == (
        "Pro, 4BW",
        "30,150,180",
        12,
    )
    assert got["Pattern"] == "//XX//XX"  # type 12 has none: D1110's then D0274's times
    mine = {
        n: p for n, p in (await procs(od, PatNum=72)).items() if p["PlannedAptNum"] == got["AptNum"]
    }
    assert 891 in mine  # the patient's treatment-planned D1110
    (new,) = [p for n, p in mine.items() if n != 891]
    assert (new["procCode"], new["ProcStatus"], new["ProcFee"], new["ProcDate"]) == (
        "D0274",
        "TP",
        "65.00",
        "2022-05-20",
    )
    assert (new["ProvNum"], new["ClinicNum"], new["AptNum"]) == (1, 3, 0)


async def test_planned_type_pattern_yields_to_the_request(od: httpx.AsyncClient) -> None:
    got = await post(od, "/appointments/Planned", {"PatNum": 72, "AppointmentTypeNum": 8})
    assert (got["Pattern"], got["colorOverride"]) == ("/XXXX/", "180,30,150")
    got = await post(
        od, "/appointments/Planned", {"PatNum": 72, "AppointmentTypeNum": 8, "Pattern": "XX"}
    )
    # 880-882 went to the first; the second makes its own three.
    assert (got["Pattern"], got["ProcDescript"]) == ("XX", "PerEx, 2BW, Pano")
    planned = [
        p for p in (await procs(od, PatNum=72)).values() if p["PlannedAptNum"] == got["AptNum"]
    ]
    assert len(planned) == 3 and all(p["ProcNum"] not in (880, 881, 882) for p in planned)


async def test_planned_proc_nums(od: httpx.AsyncClient) -> None:
    got = await post(
        od, "/appointments/Planned", {"PatNum": 72, "procNums": [893, 870, 893, "891"]}
    )
    assert got["ProcDescript"] == "CompEx, PerEx, Pro"  # repeats silently ignored
    assert got["Pattern"] == "/XX//X///XX//"
    after = await procs(od, PatNum=72)
    # 870 moves off planned appointment 413 onto this one.
    assert {n for n, p in after.items() if p["PlannedAptNum"] == got["AptNum"]} == {870, 891, 893}
    assert after[871]["PlannedAptNum"] == 413


async def test_planned_pattern_is_trimmed_to_nine_hours(od: httpx.AsyncClient) -> None:
    got = await post(od, "/appointments/Planned", {"PatNum": 72, "Pattern": "X" * 130})
    assert got["Pattern"] == "X" * 108 and got["PatternSecondary"] == "/" * 108


@pytest.mark.parametrize(
    ("body", "status", "name"),
    [
        ({}, 400, "PatNum"),
        ({"PatNum": 0}, 400, "PatNum"),
        ({"PatNum": 9999}, 404, "Patient"),
        ({"PatNum": "x"}, 400, "PatNum"),
        ({"PatNum": 72, "Op": 1}, 400, "Op"),
        ({"PatNum": 72, "AptDateTime": "2022-06-14 09:00:00"}, 400, "AptDateTime"),
        ({"PatNum": 72, "colorOverride": "1,2,3"}, 400, "colorOverride"),
        ({"PatNum": 72, "AppointmentTypeNum": 999}, 404, "AppointmentType not found."),
        ({"PatNum": 72, "AppointmentTypeNum": 8, "procNums": [880]}, 400, "procNums"),
        ({"PatNum": 72, "procNums": "880,881"}, 400, "procNums"),
        ({"PatNum": 72, "procNums": [True]}, 400, "procNums"),
        ({"PatNum": 72, "procNums": [99999999999999999999999]}, 400, "procNums"),
        ({"PatNum": 72, "procNums": [880, 9999]}, 404, "9999"),
        ({"PatNum": 72, "procNums": [880, 25]}, 400, "another patient"),
        ({"PatNum": 261, "procNums": [42, 40]}, 400, "TP"),  # 40 is complete
        ({"PatNum": 72, "Pattern": ""}, 400, "Pattern"),
        ({"PatNum": 72, "Pattern": "/x/"}, 400, "Pattern"),
        ({"PatNum": 72, "Pattern": "/XX/", "PatternSecondary": "/"}, 400, "PatternSecondary"),
        ({"PatNum": 72, "Confirmed": 92}, 404, "Confirmed"),
        ({"PatNum": 72, "ProvNum": 999}, 404, "ProvNum"),
        ({"PatNum": 72, "ProvHyg": 999}, 404, "ProvHyg"),
        ({"PatNum": 72, "ClinicNum": 999}, 404, "ClinicNum"),
        ({"PatNum": 72, "Priority": "Urgent"}, 400, "Priority"),
        ({"PatNum": 72, "IsHygiene": "maybe"}, 400, "IsHygiene"),
        ({"PatNum": 72, "IsNewPatient": 1}, 400, "IsNewPatient"),
    ],
)
async def test_bad_planned_changes_nothing(
    od: httpx.AsyncClient, store: Any, body: dict[str, Any], status: int, name: str
) -> None:
    before = (await stored(store, Appointment), await stored(store, Procedure))
    r = await od.post("/appointments/Planned", json=body)
    assert r.status_code == status, r.text
    assert name in r.json()
    assert (await stored(store, Appointment), await stored(store, Procedure)) == before


async def test_planned_takes_no_query_and_a_json_object(od: httpx.AsyncClient) -> None:
    assert (
        await od.post("/appointments/Planned?PatNum=72", json={"PatNum": 72})
    ).status_code == 400
    assert (await od.post("/appointments/Planned", json=[{"PatNum": 72}])).status_code == 400
    r = await od.post("/appointments/Planned", content=b"PatNum=72")
    assert r.status_code == 400


async def test_schedule_planned_links_and_attaches(od: httpx.AsyncClient, store: Any) -> None:
    planned_before = next(a for a in await stored(store, Appointment) if a.num == 413)
    got = await post(
        od, "/appointments/SchedulePlanned", {**SCHEDULE, "Confirmed": 21, "Note": "Booked"}
    )
    assert (got["AptStatus"], got["NextAptNum"], got["Op"], got["ProvNum"]) == (
        "Scheduled",
        413,
        1,
        10,
    )
    assert (got["Confirmed"], got["confirmed"], got["Note"]) == (
        21,
        "Appointment Confirmed",
        "Booked",
    )
    assert (got["Pattern"], got["ProcDescript"], got["ClinicNum"]) == (
        "//XX",
        "PerEx, 2BW, Pano",
        3,
    )
    after = await procs(od, PatNum=72)
    for num in (870, 871, 872):
        assert (after[num]["AptNum"], after[num]["PlannedAptNum"]) == (got["AptNum"], 413)
    assert after[880]["AptNum"] == 0
    # "Does not modify or delete the original planned appointment."
    assert next(a for a in await stored(store, Appointment) if a.num == 413) == planned_before
    again = await apt(od, got["AptNum"])
    assert {k: v for k, v in again.items() if k != "serverDateTime"} == got


async def apt(od: httpx.AsyncClient, num: int) -> dict[str, Any]:
    r = await od.get(f"/appointments/{num}")
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


async def test_schedule_planned_twice_keeps_procedures_on_the_first(od: httpx.AsyncClient) -> None:
    first = await post(od, "/appointments/SchedulePlanned", SCHEDULE)
    second = await post(
        od, "/appointments/SchedulePlanned", {**SCHEDULE, "AptDateTime": "2022-06-15 09:00:00"}
    )
    assert second["NextAptNum"] == 413 and second["Note"] == first["Note"]
    assert (await procs(od, PatNum=72))[870]["AptNum"] == first["AptNum"]


async def test_schedule_planned_into_a_clinic_room(od: httpx.AsyncClient) -> None:
    # Operatory 10 is Downtown's exam room 1, the planned appointment's clinic (3).
    got = await post(od, "/appointments/SchedulePlanned", {**SCHEDULE, "Op": 10})
    assert (got["Op"], got["ClinicNum"]) == (10, 3)
    listed = (await od.get("/appointments", params={"Op": 10})).json()
    assert got["AptNum"] in [a["AptNum"] for a in listed]


@pytest.mark.parametrize(
    ("body", "status", "name"),
    [
        ({k: v for k, v in SCHEDULE.items() if k != "AptNum"}, 400, "AptNum"),
        ({"AptNum": 413}, 400, "AptDateTime"),
        ({**SCHEDULE, "AptNum": "x"}, 400, "AptNum"),
        ({**SCHEDULE, "AptNum": 99999999999999999999999}, 400, "AptNum"),
        ({**SCHEDULE, "AptNum": 9999}, 404, "Appointment"),
        ({**SCHEDULE, "AptNum": 18}, 400, "Planned"),
        ({**SCHEDULE, "ProvNum": 0}, 400, "ProvNum"),
        ({**SCHEDULE, "Op": 0}, 400, "Op"),
        ({**SCHEDULE, "Op": 999}, 404, "Op"),
        ({**SCHEDULE, "ProvNum": 999}, 404, "ProvNum"),
        ({**SCHEDULE, "AptDateTime": "2022-06-14"}, 400, "AptDateTime"),
        ({**SCHEDULE, "AptDateTime": "0001-01-01 00:00:00"}, 400, "AptDateTime"),
        ({**SCHEDULE, "Confirmed": 92}, 404, "Confirmed"),
        ({**SCHEDULE, "Note": 5}, 400, "Note"),
        ({**SCHEDULE, "PatNum": 72}, 400, "PatNum"),
        # Appointment 18 holds operatory 3 from 08:30 to 09:10.
        ({**SCHEDULE, "Op": 3, "AptDateTime": "2020-07-31 08:45:00"}, 400, "overlaps"),
    ],
)
async def test_bad_schedule_planned_changes_nothing(
    od: httpx.AsyncClient, store: Any, body: dict[str, Any], status: int, name: str
) -> None:
    before = (await stored(store, Appointment), await stored(store, Procedure))
    r = await od.post("/appointments/SchedulePlanned", json=body)
    assert r.status_code == status, r.text
    assert name in r.json()
    assert (await stored(store, Appointment), await stored(store, Procedure)) == before
