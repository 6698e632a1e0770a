"""The default date and date-time renderings are exactly what ``strftime`` gives,
for every kind of value: DST transitions in the office's zone, microseconds,
leap days, the first and last years, and zones east and west of UTC."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from dialects.codec import CodecContext
from dialects.opendental.formats import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    render_date,
    render_datetime,
)

ZONES = ["America/Los_Angeles", "America/New_York", "Europe/London", "Australia/Lord_Howe", "UTC"]


def _instants() -> list[datetime]:
    rng = random.Random(20261122)
    out = [datetime(1, 1, 2, tzinfo=UTC), datetime(9999, 12, 30, 23, 59, 59, 999999, tzinfo=UTC)]
    out += [
        datetime(999, 6, 1, 12, tzinfo=UTC),
        datetime(1000, 1, 1, 12, tzinfo=UTC),
        datetime(2024, 2, 29, 23, 59, 59, 999999, tzinfo=UTC),
    ]
    # Every 15 minutes around the 2021 US, UK and Lord Howe (30-minute) DST transitions.
    for start in ("2021-03-14", "2021-11-07", "2021-03-28", "2021-10-31", "2021-04-04"):
        base = datetime.fromisoformat(start).replace(tzinfo=UTC) - timedelta(hours=6)
        out += [base + timedelta(minutes=15 * i, microseconds=i) for i in range(4 * 24)]
    out += [
        datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=rng.randrange(2_000_000_000))
        for _ in range(500)
    ]
    return out


@pytest.mark.parametrize("zone", ZONES)
def test_datetimes_render_as_strftime_does(zone: str) -> None:
    ctx = CodecContext(tz=ZoneInfo(zone))
    for instant in _instants():
        try:
            local = instant.astimezone(ctx.tz)
        except OverflowError:  # past year 9999 in a zone east of UTC
            continue
        assert render_datetime(instant, ctx) == local.strftime(DATETIME_FORMAT)


def test_dates_render_as_strftime_does() -> None:
    ctx = CodecContext()
    days = [date(1, 1, 1), date(999, 12, 31), date(1000, 1, 1), date(9999, 12, 31)]
    days += [date(2000, 1, 1) + timedelta(days=n) for n in range(0, 20000, 7)]
    for day in days:
        assert render_date(day, ctx) == day.strftime(DATE_FORMAT)


def test_explicit_formats_still_apply() -> None:
    ctx = CodecContext(tz=ZoneInfo("America/Los_Angeles"))
    ctx.options["DateTimeFormatString"] = "yyyy/MM/dd HH:mm"
    ctx.options["DateFormatString"] = "MM/dd/yyyy"
    assert render_datetime(datetime(2021, 2, 7, 11, 25, 29, tzinfo=UTC), ctx) == "2021/02/07 03:25"
    assert render_date(date(2021, 2, 7), ctx) == "02/07/2021"
    assert render_datetime(None, ctx) == "0001-01-01 00:00:00"
    assert render_date(None, ctx) == "0001-01-01"
