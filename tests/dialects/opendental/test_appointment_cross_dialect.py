"""One appointment, two dialects (the org API serves no appointments): written
through DrChrono and read and written back through Open Dental, and the
reverse; each dialect's own view is exact after the other's round trip."""

from __future__ import annotations

from typing import Any

import httpx

OD_WRITABLE = [
    "AptStatus",
    "Pattern",
    "Confirmed",
    "Op",
    "Note",
    "ProvNum",
    "ProvHyg",
    "AptDateTime",
    "IsNewPatient",
    "ClinicNum",
    "IsHygiene",
    "colorOverride",
    "AppointmentTypeNum",
    "Priority",
    "PatternSecondary",
]
DRC_STAMPS = {"updated_at", "extended_updated_at", "status_transitions"}


def without(body: dict[str, Any], keys: set[str]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k not in keys}


async def test_drchrono_appointment_through_open_dental(
    od: httpx.AsyncClient, drc: httpx.AsyncClient
) -> None:
    body = {
        "doctor": 1,
        "patient": 15,
        "office": 1,
        "exam_room": 2,
        "scheduled_time": "2030-03-04T10:00:00",
        "duration": 7,
        "status": "Confirmed",
        "color": "#123456",
        "notes": "From DrChrono",
        "reason": "Check-up",
    }
    r = await drc.post("/api/appointments", json=body)
    assert r.status_code == 201, r.text
    num = int(r.json()["id"])
    before = (await drc.get(f"/api/appointments/{num}", params={"verbose": "true"})).json()

    shown = (await od.get(f"/appointments/{num}")).json()
    assert (shown["AptStatus"], shown["Op"], shown["ClinicNum"]) == ("Scheduled", 8, 1)
    assert (shown["Pattern"], shown["AptDateTime"]) == ("XX", "2030-03-04 10:00:00")
    assert (shown["confirmed"], shown["colorOverride"]) == ("Appointment Confirmed", "18,52,86")
    r = await od.put(f"/appointments/{num}", json={k: shown[k] for k in OD_WRITABLE})
    assert r.status_code == 200, r.text
    again = (await drc.get(f"/api/appointments/{num}", params={"verbose": "true"})).json()
    assert without(again, DRC_STAMPS) == without(before, DRC_STAMPS)

    # A change through Open Dental reaches DrChrono.
    await od.put(f"/appointments/{num}/Note", json={"Note": "Bring x-rays"})
    await od.put(f"/appointments/{num}/Confirm", json={"confirmVal": "None"})
    changed = (await drc.get(f"/api/appointments/{num}")).json()
    assert changed["notes"] == "From DrChrono\r\nBring x-rays"
    assert changed["status"] == "Not Confirmed"


async def test_open_dental_appointment_through_drchrono(
    od: httpx.AsyncClient, drc: httpx.AsyncClient
) -> None:
    body = {
        "PatNum": 15,
        "Op": 7,  # Southside's exam room 1
        "AptDateTime": "2030-03-05 09:00:00",
        "Pattern": "//XXXX//",
        "PatternSecondary": "//////X/",
        "Note": "From Open Dental",
        "Priority": "ASAP",
        "IsHygiene": "true",
        "colorOverride": "0,0,0",
    }
    r = await od.post("/appointments", json=body)
    assert r.status_code == 201, r.text
    num = r.json()["AptNum"]
    before = (await od.get(f"/appointments/{num}")).json()

    mine = (await drc.get(f"/api/appointments/{num}")).json()
    assert (mine["office"], mine["exam_room"], mine["duration"]) == (1, 1, 40)
    assert (mine["scheduled_time"], mine["notes"]) == ("2030-03-05T09:00:00", "From Open Dental")
    writable = "doctor duration exam_room office patient scheduled_time color notes reason status"
    r = await drc.put(f"/api/appointments/{num}", json={k: mine[k] for k in writable.split()})
    assert r.status_code == 204, r.text
    after = (await od.get(f"/appointments/{num}")).json()
    assert without(after, {"serverDateTime", "DateTStamp"}) == without(
        before, {"serverDateTime", "DateTStamp"}
    )

    # DrChrono moving it to another room is what Open Dental then shows.
    await drc.patch(f"/api/appointments/{num}", json={"exam_room": 2, "status": "Arrived"})
    moved = (await od.get(f"/appointments/{num}")).json()
    assert (moved["Op"], moved["AptStatus"], moved["Pattern"]) == (8, "Scheduled", "//XXXX//")
