"""Open Dental Appointments POST and PUT with an ``AppointmentTypeNum``
(dialects/opendental/appointment_procs.py, applied by appointment_writes.py):
the procedures a type attaches or makes, the pattern and colour it gives
unless the request sends its own, 0 for no type, a PUT changing the type,
and bad input writing neither an appointment nor a procedure.

Demo appointment types: 8 "Periodic Exam" (pattern "/XXXX/", colour
180,30,150; D0120, D0272, D0330), 12 "Prophy" (no pattern, colour 30,150,180;
D1110 "//XX//", D0274 "XX"). Patient 72 has treatment-planned D0120, D0272,
D0330 (870-872, on planned appointment 413 only; 880-882, on none) and D1110
(891); patient 17 (appointment 18, "Seal, Seal") has none of these."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from canonical import Appointment, Procedure
from tests.dialects.opendental.test_appointment_planned import procs
from tests.dialects.opendental.test_appointments import apt, freeze
from tests.support import stored

NEW = {"PatNum": 72, "Op": 1, "AptDateTime": "2030-05-06 10:00:00"}


async def post(od: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    r = await od.post("/appointments", json={**NEW, **body})
    assert r.status_code == 201, r.text
    got: dict[str, Any] = r.json()
    return got


async def put(od: httpx.AsyncClient, num: int, **body: Any) -> dict[str, Any]:
    r = await od.put(f"/appointments/{num}", json=body)
    assert r.status_code == 200, r.text
    got: dict[str, Any] = r.json()
    return got


async def on(od: httpx.AsyncClient, patient: int, num: int) -> dict[int, dict[str, Any]]:
    """Patient ``patient``'s procedures on appointment ``num``."""
    return {n: p for n, p in (await procs(od, PatNum=patient)).items() if p["AptNum"] == num}


async def test_post_type_attaches_its_procedures_and_gives_pattern_and_colour(
    od: httpx.AsyncClient,
) -> None:
    got = await post(od, AppointmentTypeNum=8)
    assert (got["AppointmentTypeNum"], got["ProcDescript"]) == (8, "PerEx, 2BW, Pano")
    assert (got["Pattern"], got["PatternSecondary"], got["colorOverride"]) == (
        "/XXXX/",
        "//////",
        "180,30,150",
    )
    # The first free procedure of each code; 870-872 stay on planned appointment 413 too.
    mine = await on(od, 72, got["AptNum"])
    assert sorted(mine) == [870, 871, 872]
    assert all(p["PlannedAptNum"] == 413 for p in mine.values())
    assert (await apt(od, got["AptNum"]))["ProcDescript"] == "PerEx, 2BW, Pano"
    # The next appointment of the type takes the next free ones.
    again = await post(od, AppointmentTypeNum=8, AptDateTime="2030-05-07 10:00:00")
    assert sorted(await on(od, 72, again["AptNum"])) == [880, 881, 882]


async def test_post_type_without_pattern_takes_its_procedures_times(
    od: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    freeze(monkeypatch, "2030-05-01 10:00:00")
    got = await post(od, AppointmentTypeNum=12, ProvNum=2)
    assert (got["Pattern"], got["PatternSecondary"]) == ("//XX//XX", "////////")
    assert (got["ProcDescript"], got["colorOverride"]) == ("Pro, 4BW", "30,150,180")
    mine = await on(od, 72, got["AptNum"])
    assert 891 in mine  # the patient's treatment-planned D1110
    (new,) = [p for n, p in mine.items() if n != 891]
    # No D0274 to attach: a new one, as ProcedureLogs POST makes it, by the
    # appointment's provider in its clinic (op 1 has none: the patient's, 3).
    assert (new["procCode"], new["ProcStatus"], new["ProcFee"], new["ProcDate"]) == (
        "D0274",
        "TP",
        "65.00",
        "2030-05-01",
    )
    assert (new["ProvNum"], new["ClinicNum"], new["PlannedAptNum"]) == (2, 3, 0)


async def test_post_sent_pattern_and_colour_win_over_the_type(od: httpx.AsyncClient) -> None:
    got = await post(od, AppointmentTypeNum=12, Pattern="XX", colorOverride="1,2,3")
    assert (got["Pattern"], got["PatternSecondary"], got["colorOverride"]) == ("XX", "//", "1,2,3")
    assert got["ProcDescript"] == "Pro, 4BW"  # the procedures are still the type's
    got = await post(
        od, AptDateTime="2030-05-07 10:00:00", AppointmentTypeNum=8, colorOverride="0,0,0"
    )
    assert (got["Pattern"], got["colorOverride"]) == ("/XXXX/", "0,0,0")
    got = await post(
        od, AptDateTime="2030-05-08 10:00:00", AppointmentTypeNum=8, PatternSecondary="/////X"
    )
    assert (got["Pattern"], got["PatternSecondary"]) == ("/XXXX/", "/////X")


async def test_post_type_zero_is_none(od: httpx.AsyncClient, store: Any) -> None:
    before = await stored(store, Procedure)
    got = await post(od, AppointmentTypeNum=0)
    assert (got["AppointmentTypeNum"], got["Pattern"], got["colorOverride"]) == (0, "/XX/", "0,0,0")
    assert got["ProcDescript"] == ""
    assert await stored(store, Procedure) == before


async def test_post_type_pattern_is_the_length_checked_for_overlaps(od: httpx.AsyncClient) -> None:
    # Appointment 18 holds operatory 3 from 08:30: the default 20 minutes from
    # 07:55 fit before it, type 12's 40 do not.
    body = {"PatNum": 72, "Op": 3, "AptDateTime": "2020-07-31 07:55:00"}
    r = await od.post("/appointments", json={**body, "AppointmentTypeNum": 12})
    assert (r.status_code, "overlaps" in r.json()) == (400, True)
    r = await od.post("/appointments", json=body)
    assert r.status_code == 201, r.text


async def test_put_setting_a_type(od: httpx.AsyncClient) -> None:
    got = await put(od, 18, AppointmentTypeNum=12)
    assert (got["AppointmentTypeNum"], got["colorOverride"]) == (12, "30,150,180")
    assert (got["Pattern"], got["PatternSecondary"]) == ("//XX//XX", "////////")
    # The procedures it gains follow the ones it describes already.
    assert got["ProcDescript"] == "Seal, Seal, Pro, 4BW"
    mine = await on(od, 17, 18)
    assert sorted(p["procCode"] for p in mine.values()) == ["D0274", "D1110"]
    assert all((p["ProvNum"], p["ClinicNum"]) == (1, 0) for p in mine.values())
    again = await apt(od, 18)
    assert {k: again[k] for k in got} == got


async def test_put_sent_pattern_wins_over_the_type(od: httpx.AsyncClient) -> None:
    got = await put(od, 18, AppointmentTypeNum=8, Pattern="/XX/")
    assert (got["Pattern"], got["PatternSecondary"], got["colorOverride"]) == (
        "/XX/",
        "////",
        "180,30,150",
    )
    # A Pattern sent back as shown is still a Pattern sent: the type's does not replace it.
    shown = (await apt(od, 5))["Pattern"]
    got = await put(od, 5, AppointmentTypeNum=12, Pattern=shown, colorOverride="9,9,9")
    assert (got["Pattern"], got["colorOverride"]) == (shown, "9,9,9")


async def test_put_changing_the_type_counts_the_procedures_held(
    od: httpx.AsyncClient, store: Any
) -> None:
    first = await post(od, AppointmentTypeNum=12)
    num = first["AptNum"]
    held = await on(od, 72, num)
    got = await put(od, num, AppointmentTypeNum=8)
    assert (got["Pattern"], got["colorOverride"]) == ("/XXXX/", "180,30,150")
    assert got["ProcDescript"] == "Pro, 4BW, PerEx, 2BW, Pano"
    after = await on(od, 72, num)
    assert set(held) < set(after) and sorted(set(after) - set(held)) == [870, 871, 872]
    # Back to 12: its D1110 and D0274 are on the appointment already, so no
    # procedure is made or rewritten.
    before = await stored(store, Procedure)
    got = await put(od, num, AppointmentTypeNum=12)
    assert (got["Pattern"], got["colorOverride"]) == ("//XX//XX", "30,150,180")
    assert got["ProcDescript"] == "Pro, 4BW, PerEx, 2BW, Pano"
    assert await stored(store, Procedure) == before


async def test_put_type_zero_takes_the_type_off(od: httpx.AsyncClient) -> None:
    num = (await post(od, AppointmentTypeNum=8))["AptNum"]
    got = await put(od, num, AppointmentTypeNum=0)
    assert (got["AppointmentTypeNum"], got["colorOverride"]) == (0, "0,0,0")
    # The pattern and the procedures stay (ProcedureLogs PUT detaches them).
    assert (got["Pattern"], got["ProcDescript"]) == ("/XXXX/", "PerEx, 2BW, Pano")
    assert sorted(await on(od, 72, num)) == [870, 871, 872]
    num = (await post(od, AppointmentTypeNum=8, AptDateTime="2030-05-07 10:00:00"))["AptNum"]
    got = await put(od, num, AppointmentTypeNum=0, colorOverride="9,9,9")
    assert got["colorOverride"] == "9,9,9"


async def test_put_sending_its_own_type_back_applies_nothing(
    od: httpx.AsyncClient, store: Any
) -> None:
    num = (await post(od, AppointmentTypeNum=8, colorOverride="1,2,3"))["AptNum"]
    before = (await stored(store, Appointment), await stored(store, Procedure))
    got = await put(od, num, AppointmentTypeNum=8)
    assert got["colorOverride"] == "1,2,3"
    keep = {"version", "seq", "updated_at"}
    after = (await stored(store, Appointment), await stored(store, Procedure))
    for was, now in zip(before, after, strict=True):
        assert [r.model_dump(exclude=keep) for r in now] == [
            r.model_dump(exclude=keep) for r in was
        ]
    # Demo appointment 3's type 1 is not one the demo holds; sent back, it is kept.
    assert (await put(od, 3, AppointmentTypeNum=1, Note="x"))["AppointmentTypeNum"] == 1


async def test_put_type_on_a_planned_appointment_links_it_as_planned(
    od: httpx.AsyncClient,
) -> None:
    got = await put(od, 413, AppointmentTypeNum=12)
    assert got["ProcDescript"] == "PerEx, 2BW, Pano, Pro, 4BW"
    after = await procs(od, PatNum=72)
    assert (after[891]["PlannedAptNum"], after[891]["AptNum"]) == (413, 0)


@pytest.mark.parametrize(
    ("body", "status", "name"),
    [
        ({"AppointmentTypeNum": 7}, 404, "AppointmentType not found."),
        ({"AppointmentTypeNum": "x"}, 400, "AppointmentTypeNum"),
        ({"AppointmentTypeNum": -1}, 400, "AppointmentTypeNum"),
        ({"AppointmentTypeNum": 8, "PatternSecondary": "/"}, 400, "PatternSecondary"),
        ({"AppointmentTypeNum": 8, "ProvNum": 999}, 404, "ProvNum"),
        ({"AppointmentTypeNum": 8, "PatNum": 9999}, 404, "Patient"),
        ({"AppointmentTypeNum": 8, "colorOverride": "1,2"}, 400, "colorOverride"),
        # Appointment 18 holds operatory 3 from 08:30 to 09:10.
        (
            {"AppointmentTypeNum": 8, "Op": 3, "AptDateTime": "2020-07-31 08:45:00"},
            400,
            "overlaps",
        ),
    ],
)
async def test_bad_post_with_a_type_writes_nothing(
    od: httpx.AsyncClient, store: Any, body: dict[str, Any], status: int, name: str
) -> None:
    before = (await stored(store, Appointment), await stored(store, Procedure))
    r = await od.post("/appointments", json={**NEW, **body})
    assert r.status_code == status, r.text
    assert name in r.json()
    assert (await stored(store, Appointment), await stored(store, Procedure)) == before


@pytest.mark.parametrize(
    ("body", "status", "name"),
    [
        ({"AppointmentTypeNum": 7}, 404, "AppointmentType not found."),
        ({"AppointmentTypeNum": 7, "Note": "x"}, 404, "AppointmentType not found."),
        ({"AppointmentTypeNum": "x"}, 400, "AppointmentTypeNum"),
        ({"AppointmentTypeNum": 8, "PatternSecondary": "/"}, 400, "PatternSecondary"),
        ({"AppointmentTypeNum": 8, "ProvNum": 999}, 404, "ProvNum"),
        ({"AppointmentTypeNum": 8, "AptStatus": "Nope"}, 400, "AptStatus"),
        # Onto appointment 4 (operatory 2 at 09:00).
        (
            {"AppointmentTypeNum": 12, "Op": 2, "AptDateTime": "2020-07-31 09:00:00"},
            400,
            "overlaps",
        ),
    ],
)
async def test_bad_put_with_a_type_writes_nothing(
    od: httpx.AsyncClient, store: Any, body: dict[str, Any], status: int, name: str
) -> None:
    before = (await stored(store, Appointment), await stored(store, Procedure))
    r = await od.put("/appointments/18", json=body)
    assert r.status_code == status, r.text
    assert name in r.json()
    assert (await stored(store, Appointment), await stored(store, Procedure)) == before


async def test_put_type_on_a_break_is_refused(
    od: httpx.AsyncClient, drc: httpx.AsyncClient, store: Any
) -> None:
    brk = {"doctor": 1, "patient": None, "office": 1, "exam_room": 2, "duration": 30}
    r = await drc.post("/api/appointments", json={**brk, "scheduled_time": "2030-03-04T10:00:00"})
    assert r.status_code == 201, r.text
    before = (await stored(store, Appointment), await stored(store, Procedure))
    r = await od.put(f"/appointments/{r.json()['id']}", json={"AppointmentTypeNum": 8})
    assert (r.status_code, "patient" in r.json()) == (400, True)
    assert (await stored(store, Appointment), await stored(store, Procedure)) == before
