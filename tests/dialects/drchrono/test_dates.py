"""Dates and datetimes in DrChrono query parameters, read as DrChrono's server
(Django REST framework) reads them: Django's ``parse_date`` (ISO 8601, or
``YYYY-M-D`` with one-digit months and days, as in DrChrono's own example
app's ``date_range=2016-11-1/2016-11-18``) and ``parse_datetime``."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from dialects.codec import CodecContext
from dialects.drchrono.formats import parse_date, parse_timestamp

TZ = ZoneInfo("America/Los_Angeles")

# (as Django's regex alone reads it, the same day written the ISO way)
DATES = [
    ("2016-1-1", "2016-01-01"),
    ("2016-01-1", "2016-01-01"),
    ("2016-1-01", "2016-01-01"),
    ("2016-11-1", "2016-11-01"),
    ("2016-1-18", "2016-01-18"),
    ("2016-12-31", "2016-12-31"),
    ("2016-2-29", "2016-02-29"),
    (" 2016-11-1 ", "2016-11-01"),
]
BAD_DATES = [
    "2016-13-1",
    "2016-0-1",
    "2016-1-0",
    "2016-1-32",
    "2015-2-29",
    "2016-001-01",
    "16-1-1",
    "2016-1-1x",
    "2016/1/1",
    "2016-1-1T00:00",
    "\u0662\u0660\u0661\u0666-1-1",  # Arabic-Indic digits: ASCII ones only
]
DATETIMES = [
    ("2016-1-2T3:4", "2016-01-02T03:04:00"),
    ("2016-1-2 3:4:5", "2016-01-02T03:04:05"),
    ("2016-01-2T03:04:05", "2016-01-02T03:04:05"),
    ("2016-1-2T3:4:5.12", "2016-01-02T03:04:05.120000"),
    ("2016-1-2T3:4:5,1234567", "2016-01-02T03:04:05.123456"),
    ("2016-1-2T3:4Z", "2016-01-02T03:04:00+00:00"),
    ("2016-1-2T3:4 +0100", "2016-01-02T03:04:00+01:00"),
    ("2016-1-2T3:4:5-08:00", "2016-01-02T03:04:05-08:00"),
    ("2016-1-2T3:4-08", "2016-01-02T03:04:00-08:00"),
    ("2016-1-2", "2016-01-02T00:00:00"),  # a bare date: its midnight, as before
]
BAD_DATETIMES = [
    "2016-13-1T00:00",
    "2016-1-32T00:00",
    "2016-1-2T24:00",
    "2016-1-2T3:60",
    "2016-1-2T3:4:61",
    "2016-1-2T3",
    "2016-1-2T3:4+25:00",
    "2016-1-2T3:4+1",
    "2016-1-2T3:4:5.1234567890123",
    "2016-1-2T3:4 UTC",
    "2016-13-1",
    "x",
]


@pytest.mark.parametrize(("lenient", "iso"), DATES)
def test_parse_date_takes_one_digit_months_and_days(lenient: str, iso: str) -> None:
    assert parse_date(lenient) == date.fromisoformat(iso)


@pytest.mark.parametrize("raw", BAD_DATES)
def test_parse_date_refuses_what_django_refuses(raw: str) -> None:
    with pytest.raises(ValueError, match="Date has wrong format"):
        parse_date(raw)


@pytest.mark.parametrize(("lenient", "iso"), DATETIMES)
def test_parse_timestamp_reads_djangos_datetime_forms(lenient: str, iso: str) -> None:
    ctx = CodecContext(tz=TZ)
    expected = datetime.fromisoformat(iso)
    if expected.tzinfo is None:  # zone-less: the tenant's wall time
        expected = expected.replace(tzinfo=TZ)
    got = parse_timestamp(lenient, ctx)
    assert got == expected and got.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize("raw", BAD_DATETIMES)
def test_parse_timestamp_refuses_what_django_refuses(raw: str) -> None:
    with pytest.raises(ValueError, match="Datetime has wrong format"):
        parse_timestamp(raw, CodecContext(tz=TZ))


def test_zone_offsets_as_django_reads_them() -> None:
    ctx = CodecContext(tz=TZ)
    assert parse_timestamp("2016-1-2T3:4Z", ctx).tzinfo == UTC
    assert parse_timestamp("2016-1-2T3:4+0530", ctx).utcoffset() == timedelta(hours=5.5)
    assert parse_timestamp("2016-1-2T3:4-0530", ctx).tzinfo == timezone(
        -timedelta(hours=5, minutes=30)
    )


# -- every query parameter that takes a date or a datetime ------------------------

DATE_PARAMS = [
    ("/api/appointments", "date"),
    ("/api/patients", "date_of_birth"),
    ("/api/patients_summary", "date_of_birth"),
    ("/api/tasks", "due_at_date"),
]
RANGE_PARAMS = [("/api/appointments", "date_range"), ("/api/tasks", "due_at_range")]
DATETIME_PARAMS = [
    ("/api/appointments", "since"),
    ("/api/patients", "since"),
    ("/api/patients_summary", "since"),
    ("/api/comm_logs", "since"),
    ("/api/tasks", "since"),
    ("/api/tasks", "due_at_since"),
    ("/api/task_categories", "since"),
    ("/api/task_statuses", "since"),
    ("/api/task_notes", "since"),
    ("/api/task_templates", "since"),
    ("/api/procedures", "service_date"),
]


async def listed(drc: httpx.AsyncClient, path: str, params: dict[str, str]) -> list[Any]:
    r = await drc.get(path, params={"page_size": "1000", **params})
    assert r.status_code == 200, (path, params, r.text)
    return [item["id"] for item in r.json()["results"]]


async def refused(drc: httpx.AsyncClient, path: str, name: str, raw: str) -> None:
    r = await drc.get(path, params={name: raw})
    assert r.status_code == 400, (path, name, raw, r.text)
    body = r.json()
    assert list(body) == [name] and isinstance(body[name], list) and body[name], body


@pytest.fixture
async def dated(drc: httpx.AsyncClient) -> None:
    """Records on the days the lenient forms name, so the filters have something to find."""
    r = await drc.post(
        "/api/patients",
        json={"doctor": 1, "gender": "Male", "first_name": "Dot", "date_of_birth": "2016-11-01"},
    )
    assert r.status_code == 201, r.text
    appointment = {
        "doctor": 1,
        "duration": 30,
        "exam_room": 1,
        "office": 1,
        "patient": r.json()["id"],
        "scheduled_time": "2016-11-01T10:00:00",
    }
    assert (await drc.post("/api/appointments", json=appointment)).status_code == 201
    task = {"title": "Dated", "status": 1, "due_date": {"time": "2016-11-01T10:00:00"}}
    r = await drc.post("/api/tasks", json=task)
    assert r.status_code == 201, r.text


@pytest.mark.usefixtures("dated")
@pytest.mark.parametrize(("path", "name"), DATE_PARAMS)
async def test_date_parameters(drc: httpx.AsyncClient, path: str, name: str) -> None:
    found = await listed(drc, path, {name: "2016-11-01"})
    assert found, (path, name)
    for lenient in ("2016-11-1", "2016-11-01 "):
        assert await listed(drc, path, {name: lenient}) == found
    assert await listed(drc, path, {name: "2016-1-1"}) == await listed(
        drc, path, {name: "2016-01-01"}
    )
    for raw in ("2016-13-1", "2016-11-31", "2016-11-1x", "16-11-1"):
        await refused(drc, path, name, raw)


@pytest.mark.usefixtures("dated")
@pytest.mark.parametrize(("path", "name"), RANGE_PARAMS)
async def test_date_range_parameters(drc: httpx.AsyncClient, path: str, name: str) -> None:
    found = await listed(drc, path, {name: "2016-11-01/2016-11-18"})
    assert found, (path, name)
    for lenient in ("2016-11-1/2016-11-18", "2016-11-01/2016-11-18", "2016-11-1/2016-11-18 "):
        assert await listed(drc, path, {name: lenient}) == found
    assert await listed(drc, path, {name: "2016-1-1/2016-1-9"}) == await listed(
        drc, path, {name: "2016-01-01/2016-01-09"}
    )
    for raw in ("2016-13-1/2016-11-18", "2016-11-1/2016-11-31", "2016-11-1", "2016-11-1/"):
        await refused(drc, path, name, raw)


@pytest.mark.usefixtures("dated")
@pytest.mark.parametrize(("path", "name"), DATETIME_PARAMS)
async def test_datetime_parameters(drc: httpx.AsyncClient, path: str, name: str) -> None:
    for lenient, iso in DATETIMES:
        assert await listed(drc, path, {name: lenient}) == await listed(drc, path, {name: iso})
    for raw in BAD_DATETIMES:
        await refused(drc, path, name, raw)


@pytest.mark.usefixtures("dated")
async def test_lenient_datetimes_find_the_same_records(drc: httpx.AsyncClient) -> None:
    """The filters read the value, not only accept it: a task due 2016-11-01 10:00."""
    due = await listed(drc, "/api/tasks", {"due_at_since": "2016-11-1T9:59"})
    assert due and due == await listed(drc, "/api/tasks", {"due_at_since": "2016-11-01T09:59"})
    later = await listed(drc, "/api/tasks", {"due_at_since": "2016-11-1T10:0:1"})
    assert set(later) < set(due)
