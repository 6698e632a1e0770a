"""The canonical schedule: operatories and provider schedule blocks (canonical/schedule.py)."""

from __future__ import annotations

from datetime import date, time

import pytest
from pydantic import ValidationError

from canonical import FREES_TIME, AppointmentStatus, Operatory, Schedule, ScheduleKind


def test_a_block_is_dated_or_weekly_never_both() -> None:
    Schedule(day=date(2022, 3, 30), starts=time(7), ends=time(15))
    Schedule(weekday=2, starts=time(7), ends=time(15))
    with pytest.raises(ValidationError):
        Schedule(starts=time(7), ends=time(15))
    with pytest.raises(ValidationError):
        Schedule(day=date(2022, 3, 30), weekday=2, starts=time(7), ends=time(15))


def test_a_block_ends_after_it_starts() -> None:
    with pytest.raises(ValidationError):
        Schedule(weekday=0, starts=time(9), ends=time(9))
    with pytest.raises(ValidationError):
        Schedule(weekday=7, starts=time(8), ends=time(9))


def test_applies_on_its_date_or_its_weekday_within_its_range() -> None:
    dated = Schedule(day=date(2022, 3, 30), starts=time(7), ends=time(15))
    assert dated.applies_on(date(2022, 3, 30))
    assert not dated.applies_on(date(2022, 3, 31))
    weekly = Schedule(
        weekday=0,  # Monday
        effective_from=date(2022, 3, 1),
        effective_until=date(2022, 3, 31),
        starts=time(8),
        ends=time(11),
    )
    assert weekly.applies_on(date(2022, 3, 28))
    assert not weekly.applies_on(date(2022, 3, 29))  # a Tuesday
    assert not weekly.applies_on(date(2022, 2, 28))  # before it takes effect
    assert not weekly.applies_on(date(2022, 4, 4))  # after it ends
    assert weekly.kind is ScheduleKind.provider


def test_an_operatory_is_an_exam_room_by_index() -> None:
    op = Operatory(abbreviation="OP1", exam_room=1)
    assert op.clinic is None and op.exam_room == 1


def test_statuses_that_free_the_time() -> None:
    held = set(AppointmentStatus) - FREES_TIME
    assert AppointmentStatus.scheduled in held and AppointmentStatus.complete in held
    assert AppointmentStatus.arrived in held and AppointmentStatus.confirmed in held
    assert AppointmentStatus.broken in FREES_TIME and AppointmentStatus.cancelled in FREES_TIME
