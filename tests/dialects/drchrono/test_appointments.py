"""DrChrono /api/appointments (seed 004): documented keys, then every rule."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from gateway.backends.store import Store
from tests.dialects.drchrono.openapi import assert_schema
from tests.support import assert_matches_example, examples

EXAMPLES = examples("drchrono/appointments")
TZ = ZoneInfo("America/Los_Angeles")

VERBOSE_KEYS = {
    "clinical_note",
    "custom_vitals",
    "extended_updated_at",
    "reminders",
    "status_transitions",
    "vitals",
}


def appt(**over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "doctor": 1,
        "duration": 30,
        "exam_room": 1,
        "office": 1,
        "patient": 15,
        "scheduled_time": "2024-06-03T10:00:00",
    }
    body.update(over)
    return body


async def count(drc: httpx.AsyncClient, **params: Any) -> int:
    params.setdefault("since", "2000-01-01")
    params.setdefault("show_archived", "true")
    r = await drc.get("/api/appointments", params=params)
    assert r.status_code == 200, r.text
    return len(r.json()["results"])


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
async def test_documented_example(
    drc: httpx.AsyncClient, name: str, example: dict[str, Any]
) -> None:
    req, expected = example["request"], example["response"]
    r = await drc.request(req["method"], req["path"], json=req.get("body"))
    assert r.status_code == expected["status"], r.text
    assert_matches_example(r.json(), expected["body"], assigned=example["assigned"])
    assert_schema(r.json(), "Appointment")


async def test_get_back_what_was_posted(drc: httpx.AsyncClient) -> None:
    created = (await drc.post("/api/appointments", json=appt(reason="Cleaning"))).json()
    got = (await drc.get(f"/api/appointments/{created['id']}", params={"verbose": "true"})).json()
    assert got == created
    plain = (await drc.get(f"/api/appointments/{created['id']}")).json()
    assert set(created) - set(plain) == VERBOSE_KEYS
    assert all(plain[k] == created[k] for k in plain)


# -- listing -----------------------------------------------------------------


async def test_list_requires_since_date_or_date_range(drc: httpx.AsyncClient) -> None:
    r = await drc.get("/api/appointments")
    assert r.status_code == 400
    assert "since, date or date_range" in r.json()["non_field_errors"][0]
    r = await drc.get("/api/appointments", params={"doctor": 1})
    assert r.status_code == 400


async def test_list_by_date_uses_local_dates(drc: httpx.AsyncClient) -> None:
    # 202 starts 2022-03-14 09:00 in the office's zone (16:00 UTC).
    ids = [a["id"] for a in (await drc.get("/api/appointments?date=2022-03-14")).json()["results"]]
    assert ids == ["202"]
    assert (await drc.get("/api/appointments?date=2022-03-15")).json()["results"] == []
    # A late-evening local appointment belongs to its local date, not the UTC one.
    late = await drc.post("/api/appointments", json=appt(scheduled_time="2024-06-03T22:30:00"))
    ids = [a["id"] for a in (await drc.get("/api/appointments?date=2024-06-03")).json()["results"]]
    assert late.json()["id"] in ids
    assert (await drc.get("/api/appointments?date=2024-06-04")).json()["results"] == []


async def test_date_range_is_inclusive_and_ordered_by_time(drc: httpx.AsyncClient) -> None:
    r = await drc.get("/api/appointments", params={"date_range": "2022-03-14/2022-04-25"})
    # 40 to 43: the Open Dental Slots examples' appointments, 2022-03-29 and 30.
    assert [a["id"] for a in r.json()["results"]] == ["202", "40", "42", "41", "43", "1023"]
    r = await drc.get("/api/appointments", params={"date_range": "2022-04-02/2022-04-24"})
    assert r.json()["results"] == []


async def test_date_range_longer_than_190_days(drc: httpx.AsyncClient) -> None:
    today = datetime.now(TZ).date()
    start = today - timedelta(days=10)
    too_long = f"{start}/{start + timedelta(days=191)}"
    r = await drc.get("/api/appointments", params={"date_range": too_long})
    assert r.status_code == 400
    assert "190 days" in r.json()["date_range"][0]
    ok = f"{start}/{start + timedelta(days=190)}"
    assert (await drc.get("/api/appointments", params={"date_range": ok})).status_code == 200
    # "unless it is in the past"
    past = f"{date(2020, 1, 1)}/{today - timedelta(days=1)}"
    r = await drc.get("/api/appointments", params={"date_range": past})
    assert r.status_code == 200
    assert {"202", "755", "1023"} <= {a["id"] for a in r.json()["results"]}


@pytest.mark.parametrize(
    ("params", "key"),
    [
        ({"date_range": "2022-03-14"}, "date_range"),
        ({"date_range": "2022-03-14/2022-02-30"}, "date_range"),
        ({"date_range": "2022-04-01/2022-03-01"}, "date_range"),
        ({"date": "14/03/2022"}, "date"),
        ({"since": "yesterday"}, "since"),
        ({"date": "2022-03-14", "doctor": "one"}, "doctor"),
        ({"date": "2022-03-14", "status": "Done"}, "status"),
    ],
)
async def test_bad_filters_are_400_naming_the_parameter(
    drc: httpx.AsyncClient, params: dict[str, str], key: str
) -> None:
    r = await drc.get("/api/appointments", params=params)
    assert r.status_code == 400
    assert key in r.json()


async def test_since_lists_changed_appointments(drc: httpx.AsyncClient) -> None:
    created = (await drc.post("/api/appointments", json=appt())).json()
    r = await drc.get("/api/appointments", params={"since": created["updated_at"]})
    assert [a["id"] for a in r.json()["results"]] == [created["id"]]
    await drc.patch("/api/appointments/202", json={"notes": "seen"})
    r = await drc.get("/api/appointments", params={"since": created["updated_at"]})
    assert [a["id"] for a in r.json()["results"]] == ["202", created["id"]]


async def test_filters_doctor_office_patient_status(drc: httpx.AsyncClient) -> None:
    base = {"date_range": "2022-01-01/2022-12-31"}
    get = lambda **p: drc.get("/api/appointments", params={**base, **p})  # noqa: E731
    assert [a["id"] for a in (await get(doctor=2)).json()["results"]] == ["1023"]
    assert [a["id"] for a in (await get(office=1)).json()["results"]] == ["202"]
    assert [a["id"] for a in (await get(patient=75)).json()["results"]] == ["755"]
    assert [a["id"] for a in (await get(status="Complete")).json()["results"]] == ["202"]
    # An empty filter value is no filter; "" is not a status filter then.
    # 202, 1023, 755 and the Open Dental Slots examples' 40 to 43.
    assert len((await get(status="")).json()["results"]) == 7
    assert (await get(doctor=99)).json()["results"] == []


async def test_paging_with_absolute_links(drc: httpx.AsyncClient) -> None:
    r = await drc.get(
        "/api/appointments", params={"date_range": "2022-03-01/2022-12-31", "page_size": 6}
    )
    body = r.json()
    assert len(body["results"]) == 6 and body["previous"] is None
    assert body["next"].startswith("http://testserver/drchrono/api/appointments?")
    second = (await drc.get(body["next"])).json()
    assert [a["id"] for a in second["results"]] == ["755"]
    assert second["next"] is None and second["previous"].startswith("http://testserver/")


async def test_verbose_keys(drc: httpx.AsyncClient) -> None:
    plain = (await drc.get("/api/appointments?date=2022-03-14")).json()["results"][0]
    assert not VERBOSE_KEYS & set(plain)
    full = (await drc.get("/api/appointments?date=2022-03-14&verbose=true")).json()["results"][0]
    assert set(full) >= VERBOSE_KEYS
    assert full["extended_updated_at"] == full["updated_at"]


# -- writing -------------------------------------------------------------------


async def test_missing_required_keys_are_400_each_and_create_nothing(
    drc: httpx.AsyncClient,
) -> None:
    before = await count(drc)
    r = await drc.post("/api/appointments", json={"notes": "x"})
    assert r.status_code == 400
    assert set(r.json()) == {
        "doctor",
        "duration",
        "exam_room",
        "office",
        "patient",
        "scheduled_time",
    }
    assert all(v == ["This field is required."] for v in r.json().values())
    assert await count(drc) == before


@pytest.mark.parametrize(
    ("over", "key"),
    [
        ({"doctor": 99}, "doctor"),
        ({"office": 99}, "office"),
        ({"patient": 99999}, "patient"),
        ({"exam_room": 7}, "exam_room"),
        ({"exam_room": 0}, "exam_room"),
        ({"duration": 0}, "duration"),
        ({"duration": "long"}, "duration"),
        ({"duration": 525_601}, "duration"),  # the end time would overflow the calendar
        ({"duration": 2**31}, "duration"),
        ({"scheduled_time": "9999-12-31T23:50:00"}, "scheduled_time"),
        ({"scheduled_time": "2024-13-01T10:00:00"}, "scheduled_time"),
        ({"status": "Done"}, "status"),
        ({"profile": 4}, "profile"),
        ({"reminder_profile": 2}, "reminder_profile"),
        ({"supervising_provider": 42}, "supervising_provider"),
        ({"allow_overlapping": "maybe"}, "allow_overlapping"),
        ({"custom_fields": "x"}, "custom_fields"),
    ],
)
async def test_bad_values_are_400_naming_the_key(
    drc: httpx.AsyncClient, over: dict[str, Any], key: str
) -> None:
    before = await count(drc)
    r = await drc.post("/api/appointments", json=appt(**over))
    assert r.status_code == 400, r.text
    assert key in r.json(), r.json()
    assert await count(drc) == before


async def test_breaks_have_a_null_patient(drc: httpx.AsyncClient) -> None:
    brk = (await drc.post("/api/appointments", json=appt(patient=None))).json()
    assert (brk["patient"], brk["appt_is_break"]) == (None, True)
    r = await drc.patch(f"/api/appointments/{brk['id']}", json={"patient": 15})
    assert r.status_code == 204
    got = (await drc.get(f"/api/appointments/{brk['id']}")).json()
    assert (got["patient"], got["appt_is_break"]) == (15, False)
    # A form body's empty value is null too.
    r = await drc.post(
        "/api/appointments",
        data={**appt(scheduled_time="2024-06-03T15:00:00"), "patient": ""},
    )
    assert r.status_code == 201 and r.json()["appt_is_break"] is True


async def test_overlap_is_409_and_changes_nothing(drc: httpx.AsyncClient) -> None:
    first = await drc.post("/api/appointments", json=appt(duration=60))
    assert first.status_code == 201
    before = await count(drc)
    for start in ("2024-06-03T10:00:00", "2024-06-03T10:59:00", "2024-06-03T09:31:00"):
        r = await drc.post("/api/appointments", json=appt(scheduled_time=start))
        assert r.status_code == 409, start
        assert "overlaps" in r.json()["detail"]
    # A break holds the room as well.
    r = await drc.post("/api/appointments", json=appt(patient=None, duration=5))
    assert r.status_code == 409
    assert await count(drc) == before


async def test_what_does_not_overlap(drc: httpx.AsyncClient) -> None:
    await drc.post("/api/appointments", json=appt(duration=60))
    ok = [
        appt(scheduled_time="2024-06-03T11:00:00"),  # starts as the other ends
        appt(scheduled_time="2024-06-03T09:30:00"),  # ends as the other starts
        appt(exam_room=2),  # another exam room
        appt(office=2, exam_room=1),  # another office
        appt(allow_overlapping=True),  # overlap asked for
    ]
    for body in ok:
        r = await drc.post("/api/appointments", json=body)
        assert r.status_code == 201, (body, r.text)
    assert r.json()["allow_overlapping"] is True


async def test_cancelled_appointments_free_the_room(drc: httpx.AsyncClient) -> None:
    first = (await drc.post("/api/appointments", json=appt(duration=60))).json()
    assert (await drc.post("/api/appointments", json=appt())).status_code == 409
    r = await drc.patch(f"/api/appointments/{first['id']}", json={"status": "Cancelled"})
    assert r.status_code == 204
    assert (await drc.post("/api/appointments", json=appt())).status_code == 201
    # Un-cancelling it now would double-book the room.
    r = await drc.patch(f"/api/appointments/{first['id']}", json={"status": "Confirmed"})
    assert r.status_code == 409


async def test_moving_onto_another_is_409_and_keeps_the_record(drc: httpx.AsyncClient) -> None:
    await drc.post("/api/appointments", json=appt(duration=60))
    other = (await drc.post("/api/appointments", json=appt(exam_room=2))).json()
    r = await drc.patch(f"/api/appointments/{other['id']}", json={"exam_room": 1})
    assert r.status_code == 409
    got = (await drc.get(f"/api/appointments/{other['id']}", params={"verbose": 1})).json()
    assert got == other
    # Changing anything else of an appointment that already overlaps is allowed.
    both = (await drc.post("/api/appointments", json=appt(allow_overlapping=True))).json()
    r = await drc.patch(f"/api/appointments/{both['id']}", json={"notes": "double"})
    assert r.status_code == 204


async def test_list_post_is_all_or_nothing(drc: httpx.AsyncClient) -> None:
    before = await count(drc)
    r = await drc.post(
        "/api/appointments",
        json=[appt(scheduled_time="2024-07-01T08:00:00"), appt(doctor=99)],
    )
    assert r.status_code == 400
    assert r.json()[0] == {} and "doctor" in r.json()[1]
    assert await count(drc) == before
    # The second overlaps the first of the same list: 409, nothing kept.
    r = await drc.post("/api/appointments", json=[appt(), appt()])
    assert r.status_code == 409
    assert await count(drc) == before
    r = await drc.post(
        "/api/appointments", json=[appt(), appt(scheduled_time="2024-06-03T11:00:00")]
    )
    assert r.status_code == 201 and len(r.json()) == 2
    assert await count(drc) == before + 2


async def test_patch_and_put(drc: httpx.AsyncClient) -> None:
    a = (await drc.post("/api/appointments", json=appt(notes="n", color="red"))).json()
    path = f"/api/appointments/{a['id']}"
    r = await drc.patch(path, json={"duration": 45, "reason": "Filling"})
    assert (r.status_code, r.content) == (204, b"")
    got = (await drc.get(path)).json()
    assert (got["duration"], got["reason"], got["notes"]) == (45, "Filling", "n")
    # PUT needs the required keys ...
    r = await drc.put(path, json={"duration": 30})
    assert r.status_code == 400 and "doctor" in r.json()
    assert (await drc.get(path)).json() == got
    # ... and replaces the object.
    r = await drc.put(path, json=appt(scheduled_time="2024-06-04T10:00:00"))
    assert r.status_code == 204
    got = (await drc.get(path)).json()
    assert (got["scheduled_time"], got["notes"], got["color"]) == ("2024-06-04T10:00:00", "", "")
    # PATCH may not clear a required key.
    r = await drc.patch(path, json={"doctor": None, "scheduled_time": None})
    assert r.status_code == 400
    assert set(r.json()) == {"doctor", "scheduled_time"}


async def test_status_transitions_are_recorded(drc: httpx.AsyncClient) -> None:
    a = (await drc.post("/api/appointments", json=appt())).json()
    assert a["status"] == "" and a["status_transitions"] == []
    path = f"/api/appointments/{a['id']}"
    for status in ("Arrived", "In Room", "Arrived", "Complete"):
        assert (await drc.patch(path, json={"status": status})).status_code == 204
    await drc.patch(path, json={"status": "Complete"})  # not a change
    got = (await drc.get(path, params={"verbose": "true"})).json()
    pairs = [(t["from_status"], t["to_status"]) for t in got["status_transitions"]]
    assert pairs == [("", "Arrived"), ("Arrived", "In Room"), ("In Room", "Arrived"),
                     ("Arrived", "Complete")]  # fmt: skip


async def test_delete_archives(drc: httpx.AsyncClient) -> None:
    a = (await drc.post("/api/appointments", json=appt())).json()
    path = f"/api/appointments/{a['id']}"
    r = await drc.delete(path)
    assert (r.status_code, r.content) == (204, b"")
    got = (await drc.get(path)).json()  # "Not necessary when an ID is included in the URL."
    assert got["deleted_flag"] is True
    listed = (await drc.get("/api/appointments?date=2024-06-03")).json()["results"]
    assert a["id"] not in [x["id"] for x in listed]
    for flag in ("true", "1", ""):
        shown = (await drc.get(f"/api/appointments?date=2024-06-03&show_archived={flag}")).json()
        assert [x["id"] for x in shown["results"]] == [a["id"]]
    # An archived appointment no longer holds its room.
    assert (await drc.post("/api/appointments", json=appt())).status_code == 201
    assert (await drc.delete(path)).status_code == 404


async def test_unknown_id_is_404(drc: httpx.AsyncClient) -> None:
    for path in ("/api/appointments/99999", "/api/appointments/abc"):
        r = await drc.get(path)
        assert r.status_code == 404 and "detail" in r.json()
    assert (await drc.patch("/api/appointments/99999", json={"notes": "x"})).status_code == 404


@pytest.mark.parametrize(
    ("scopes", "read", "write"),
    [
        (("calendar", "clinical"), 200, 201),
        (("calendar:read", "clinical:read"), 200, 403),
        (("calendar",), 403, 403),
        (("clinical",), 403, 403),
    ],
)
async def test_scopes_calendar_and_clinical(
    app: Any, store: Store, scopes: tuple[str, ...], read: int, write: int
) -> None:
    """Both scopes the seed lists are needed; ``:read`` covers GET only."""
    tenant = store.get_tenant("demo")
    assert tenant is not None
    await store.add_credential(tenant, "drchrono", "t-scoped", kind="access_token", scopes=scopes)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport,
        base_url="http://testserver/drchrono",
        headers={"Authorization": "Bearer t-scoped"},
    ) as c:
        assert (await c.get("/api/appointments/202")).status_code == read
        assert (await c.post("/api/appointments", json=appt())).status_code == write


# -- other dialects ---------------------------------------------------------------


async def test_appointments_of_od_procedures_and_tasks(
    drc: httpx.AsyncClient, od: httpx.AsyncClient
) -> None:
    for proc_num in (40, 41):
        proc = (await od.get(f"/procedurelogs/{proc_num}")).json()
        a = (await drc.get(f"/api/appointments/{proc['AptNum']}")).json()
        assert (a["id"], proc["AptNum"]) == ("202", 202)
        assert a["patient"] == proc["PatNum"]
    task = (await od.get("/tasks/9027")).json()
    assert task["ObjectType"] == "Appointment"
    a = (await drc.get(f"/api/appointments/{task['KeyNum']}")).json()
    assert (a["id"], a["patient"], a["doctor"], a["office"]) == ("755", 75, 1, None)
    assert a["notes"] == "Insurance to verify"


async def test_statuses_drchrono_lacks_read_as_their_nearest(
    drc: httpx.AsyncClient, store: Store
) -> None:
    """Open Dental's broken appointment reads "No Show" and is found by that status;
    a PATCH of other keys keeps the original status."""
    from canonical import Appointment
    from canonical.references import AppointmentStatus

    backend = store.for_tenant(store.get_tenant("demo"))  # type: ignore[arg-type]
    a = await backend.get(Appointment, num=755)
    await backend.update(a.model_copy(update={"status": AppointmentStatus.broken}))
    got = (await drc.get("/api/appointments/755")).json()
    assert got["status"] == "No Show"
    found = await drc.get("/api/appointments", params={"since": "2000-01-01", "status": "No Show"})
    assert [x["id"] for x in found.json()["results"]] == ["755"]
    assert (await drc.patch("/api/appointments/755", json={"notes": "called"})).status_code == 204
    assert (await backend.get(Appointment, num=755)).status is AppointmentStatus.broken


def test_translate_round_trip_as_a_library() -> None:
    """A DrChrono appointment read from a real server translates losslessly."""
    from dialects import translate

    wire = {
        "doctor": 1, "duration": 30, "exam_room": 1, "office": 1, "patient": None,
        "scheduled_time": "2024-06-03T10:00:00", "status": "Arrived", "id": "55",
        "deleted_flag": False, "vitals": {"height": 70}, "appt_is_break": True,
        "status_transitions": [
            {"from_status": "", "to_status": "Arrived", "datetime": "2024-06-03T09:59:00"}
        ],
    }  # fmt: skip
    record = translate(wire, "appointment", read="drchrono", time_zone="America/New_York")
    assert (record.num, record.is_break, record.patient) == (55, True, None)
    assert record.extensions["drchrono"]["vitals"] == {"height": 70}
    out = translate(
        wire, "appointment", read="drchrono", write="drchrono", time_zone="America/New_York"
    )
    assert {k: out[k] for k in wire} == wire
