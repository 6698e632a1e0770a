"""The practice's schedule: its operatories (the rooms appointments are booked
into) and the blocks of time its providers work, from which open slots are
computed.

Operatories and exam rooms. An :class:`Operatory` is Open Dental's operatory
(``OperatoryNum``, the ``Op`` of an appointment). DrChrono books an
appointment into an office (a canonical :class:`~canonical.references.Clinic`)
and one of its ``exam_rooms`` by 1-based index. The two name the same rooms:
the operatory with ``clinic`` C and ``exam_room`` i *is* exam room i of C (the
clinic's :class:`~canonical.references.ExamRoom` keeps DrChrono's name for it
and its online-booking flag; the operatory keeps Open Dental's). Operatories
of no clinic (a practice that does not use clinics) are numbered among
themselves, so an appointment of no clinic in exam room i is in the
operatory of no clinic with index i. An appointment records both views: its
``clinic`` and ``exam_room`` (the room), and its ``operatory`` (kept for the
case the two cannot say alike: an Open Dental appointment whose ClinicNum is
not its operatory's clinic). A room a dialect adds without an operatory (a
DrChrono exam room) simply has no ``Op`` in Open Dental (0).

Provider schedules. A :class:`Schedule` is one block of time (``starts`` to
``ends``, office-local wall-clock times) on one ``day``, or on one
``weekday`` of every week (0 = Monday, as :class:`~canonical.references.WeeklySlot`)
between ``effective_from`` and ``effective_until`` when set: Open Dental
keeps dated rows (its schedule table), and a weekly block is how a practice
states its usual hours once. A provider block is when its ``provider`` works,
in its ``operatories`` (none listed: any operatory the provider is assigned
to); a practice block is the office's hours; a blockout takes the time out of
its operatories (none listed: all). Open time in an operatory is the
provider's blocks, less blockouts, less the appointments that hold the time
(:data:`HOLDS_TIME`) of that provider (in any operatory) or in that
operatory.

Appointment types. An :class:`AppointmentType` is a kind of visit the
practice books (Open Dental's ``appointmenttype``): its colour, its time
pattern, and the procedure codes a visit of that kind holds. Its
``web_sched`` definitions (Open Dental's Web Sched New Patient and Existing
Patient appointment types, definition categories 42 and 51) offer it to
patients booking online, in the operatories with ``online_scheduling``.
"""

from __future__ import annotations

from datetime import date, time
from enum import StrEnum
from typing import Annotated

from pydantic import Field, model_validator

from canonical.base import Record, Ref, RefTo
from canonical.references import AppointmentStatus
from canonical.registry import register

__all__ = ["FREES_TIME", "AppointmentType", "Operatory", "Schedule", "ScheduleKind"]


FREES_TIME = frozenset(
    {
        AppointmentStatus.unscheduled_list,
        AppointmentStatus.planned,
        AppointmentStatus.broken,
        AppointmentStatus.patient_note,
        AppointmentStatus.patient_note_completed,
        AppointmentStatus.cancelled,
        AppointmentStatus.no_show,
        AppointmentStatus.rescheduled,
    }
)
"""Statuses of appointments that are not on the calendar: they hold no time
(unscheduled, planned, broken, notes, and DrChrono's cancelled, no-show,
rescheduled). Every other status, and a break, holds its time."""


@register
class Operatory(Record):
    """A room appointments are booked into (Open Dental ``operatory``)."""

    resource = "operatory"
    name_field = "abbreviation"
    name: str = ""
    abbreviation: str = ""
    clinic: Annotated[Ref | None, RefTo("clinic")] = None
    exam_room: int
    """1-based index of this room among its clinic's exam rooms (or among the
    operatories of no clinic)."""
    provider: Annotated[Ref | None, RefTo("provider")] = None
    """The dentist assigned to the operatory."""
    hygienist: Annotated[Ref | None, RefTo("provider")] = None
    is_hygiene: bool = False
    is_hidden: bool = False
    order: int = 0
    online_scheduling: bool = False
    """Offered to patients booking online (Open Dental's Web Sched)."""


class ScheduleKind(StrEnum):
    """Open Dental's ``SchedType``."""

    practice = "practice"
    provider = "provider"
    blockout = "blockout"
    employee = "employee"


@register
class Schedule(Record):
    """One block of scheduled time, on a date or weekly (see the module docstring)."""

    resource = "schedule"
    kind: ScheduleKind = ScheduleKind.provider
    provider: Annotated[Ref | None, RefTo("provider")] = None
    clinic: Annotated[Ref | None, RefTo("clinic")] = None
    day: date | None = None
    weekday: int | None = Field(default=None, ge=0, le=6)
    effective_from: date | None = None
    effective_until: date | None = None
    starts: time
    ends: time
    operatories: list[Annotated[Ref, RefTo("operatory")]] = Field(default_factory=list)
    note: str = ""

    @model_validator(mode="after")
    def _one_day(self) -> Schedule:
        if (self.day is None) == (self.weekday is None):
            raise ValueError("a schedule has either a date or a weekday")
        if self.ends <= self.starts:
            raise ValueError("a schedule ends after it starts")
        return self

    def applies_on(self, day: date) -> bool:
        """Whether this block is scheduled on ``day``."""
        if self.day is not None:
            return self.day == day
        if self.effective_from is not None and day < self.effective_from:
            return False
        if self.effective_until is not None and day > self.effective_until:
            return False
        return day.weekday() == self.weekday


@register
class AppointmentType(Record):
    """A kind of appointment (Open Dental ``appointmenttype``; see the module docstring)."""

    resource = "appointment_type"
    name_field = "name"
    name: str = ""
    color: str = ""
    """CSS ``#rrggbb`` the calendar shows its appointments in; empty: none."""
    pattern: str = ""
    """Time pattern (``/`` and ``X`` per five minutes); empty: the procedures' own."""
    procedure_codes: list[Annotated[Ref, RefTo("procedure_code")]] = Field(default_factory=list)
    """The procedures an appointment of this type holds, in order (Open Dental ``CodeStr``)."""
    web_sched: list[Annotated[Ref, RefTo("definition")]] = Field(default_factory=list)
    """The Web Sched appointment type definitions linked to it (Open Dental ``deflink``)."""
    is_hidden: bool = False
    order: int = 0
