"""The Open Dental appointment field map (reference/opendental/apiappointments.md):
its code tables, value shapes, and the response shapes of each endpoint.

AptStatus and DrChrono's statuses (one canonical status, the union of both):

    Open Dental        canonical                 DrChrono
    Scheduled          scheduled                 ""
    Complete           complete                  Complete
    UnschedList        unscheduled_list          "" (nearest)
    Broken             broken                    No Show (nearest)
    Planned            planned                   "" (nearest)
    PtNote             patient_note              "" (nearest)
    PtNoteCompleted    patient_note_completed    "" (nearest)
    Scheduled (nearest) arrived, checked_in, checked_in_online, in_room,
                       in_session, confirmed, not_confirmed
    Broken (nearest)   cancelled, no_show, rescheduled

A status shown as its nearest text and sent back unchanged keeps the stored
status. The retired ``ASAP`` status is Open Dental's ``Priority`` now: as a
filter, ``AptStatus=ASAP`` lists the appointments on the ASAP list.

Shown values that depend on more than one canonical field (:func:`as_shown`):

- ``Pattern`` is the stored pattern while it spans ``duration_minutes``;
  otherwise (a length set through DrChrono) all ``X``, one per five minutes
  rounded up. ``PatternSecondary`` is stored while as long as ``Pattern``,
  else all ``/``.
- ``Op`` is the operatory that is the appointment's exam room (its clinic and
  index, :mod:`canonical.schedule`); without an exam room, the operatory
  recorded, else 0.
- ``Confirmed`` is the confirmation recorded, except that DrChrono's status
  ``Confirmed`` shows as the definition ``confirmVal`` "Confirmed" names and
  ``Not Confirmed`` never does (:mod:`.appointment_confirm`); with none
  recorded, the first Appt Confirmed definition (Open Dental's default).

Value shapes: ``colorOverride`` is "R,G,B" for the canonical ``#rrggbb``
colour, "0,0,0" for none (a colour that is not ``#rrggbb``, or black, shows
as "0,0,0" and is kept on a write-back). ``InsPlan1``/``InsPlan2`` are kept
as given (no canonical insurance plan is held; new appointments get 0).
``DateTimeArrived``, ``DateTimeSeated`` and ``DateTimeDismissed`` take
"HH:mm:ss" (on the appointment's date) or a full "yyyy-MM-dd HH:mm:ss".
"""

from __future__ import annotations

import math
import re
from datetime import datetime, time
from typing import Any

from canonical import (
    Appointment,
    AppointmentPriority,
    AppointmentStatus,
    OnlineBooking,
    Ref,
    RefTo,
)
from dialects.codec import Codec, CodecContext, EnumMap, Field, round_trips
from dialects.opendental.formats import (
    Bool,
    DateTime,
    Int,
    RefName,
    RefNum,
    ServerTime,
    Text,
    parse_datetime,
    parse_int,
)

__all__ = [
    "CODEC",
    "GET_FIELDS",
    "POST_FIELDS",
    "PRIORITIES",
    "PUT_FIELDS",
    "STATUSES",
    "WEBSCHED_CODEC",
]

CONFIRMED = RefTo("definition", "appointment_confirmed")
UNSCHEDULED = RefTo("definition", "recall_unscheduled_status")
PROVIDER = RefTo("provider")

MAX_PATTERN = 108
"""Nine hours of five-minute steps: "Patterns exceeding 9 hours will be trimmed"."""

STATUSES = EnumMap(
    {
        "Scheduled": AppointmentStatus.scheduled,
        "Complete": AppointmentStatus.complete,
        "UnschedList": AppointmentStatus.unscheduled_list,
        "Broken": AppointmentStatus.broken,
        "Planned": AppointmentStatus.planned,
        "PtNote": AppointmentStatus.patient_note,
        "PtNoteCompleted": AppointmentStatus.patient_note_completed,
    },
    nearest={
        AppointmentStatus.arrived: "Scheduled",
        AppointmentStatus.checked_in: "Scheduled",
        AppointmentStatus.checked_in_online: "Scheduled",
        AppointmentStatus.in_room: "Scheduled",
        AppointmentStatus.in_session: "Scheduled",
        AppointmentStatus.confirmed: "Scheduled",
        AppointmentStatus.not_confirmed: "Scheduled",
        AppointmentStatus.cancelled: "Broken",
        AppointmentStatus.no_show: "Broken",
        AppointmentStatus.rescheduled: "Broken",
    },
)

PRIORITIES = EnumMap({"Normal": AppointmentPriority.normal, "ASAP": AppointmentPriority.asap})

ONLINE = EnumMap(
    {
        "None": OnlineBooking.none,
        "Recall": OnlineBooking.recall,
        "NewPat": OnlineBooking.new_patient,
        "ExistingPat": OnlineBooking.existing_patient,
        "ASAP": OnlineBooking.asap,
    }
)

_PATTERN_RE = re.compile(r"^[X/]*$")
_RGB_RE = re.compile(r"^\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*$")
_HEX_RE = re.compile(r"^#([0-9a-fA-F]{2})([0-9a-fA-F]{2})([0-9a-fA-F]{2})$")


class Pattern:
    """A time pattern of ``X`` and ``/``, trimmed to nine hours."""

    def to_wire(self, value: str | None, ctx: CodecContext) -> str:
        return value or ""

    def from_wire(self, raw: Any, ctx: CodecContext) -> str:
        if not isinstance(raw, str) or not _PATTERN_RE.match(raw):
            raise ValueError("must consist of 'X' and '/' characters only")
        return raw[:MAX_PATTERN]


def pattern_for(minutes: int) -> str:
    """A pattern spanning ``minutes`` (rounded up to five): provider time throughout."""
    return "X" * math.ceil(max(minutes, 0) / 5)


class Color:
    """``colorOverride`` "R,G,B" <-> canonical ``#rrggbb``; "0,0,0" is none."""

    def to_wire(self, value: str | None, ctx: CodecContext) -> str:
        m = _HEX_RE.match(value or "")
        if m is None:
            return "0,0,0"
        return ",".join(str(int(part, 16)) for part in m.groups())

    def from_wire(self, raw: Any, ctx: CodecContext) -> str:
        m = _RGB_RE.match(raw) if isinstance(raw, str) else None
        if m is None or any(int(p) > 255 for p in m.groups()):
            raise ValueError('must be a color in "R,G,B" format, each value from 0 to 255')
        rgb = tuple(int(p) for p in m.groups())
        return "" if rgb == (0, 0, 0) else "#{:02x}{:02x}{:02x}".format(*rgb)

    def exact(self, value: str | None, ctx: CodecContext) -> bool:
        return not value or round_trips(self, value, ctx)


class OptNum:
    """A number with 0 for none (``AppointmentTypeNum``)."""

    def to_wire(self, value: int | None, ctx: CodecContext) -> int:
        return value or 0

    def from_wire(self, raw: Any, ctx: CodecContext) -> int | None:
        num = parse_int(raw)
        if num < 0:
            raise ValueError("must not be negative")
        return num or None


class ClockTime:
    """A time stamp shown in full, set as "HH:mm:ss" on the appointment's date (the
    rules combine it), or in full."""

    def to_wire(self, value: datetime | None, ctx: CodecContext) -> str:
        return DateTime().to_wire(value, ctx)

    def exact(self, value: datetime | None, ctx: CodecContext) -> bool:
        return DateTime().exact(value, ctx)

    def from_wire(self, raw: Any, ctx: CodecContext) -> datetime | time | None:
        if isinstance(raw, str) and re.match(r"^\s*\d{1,2}:\d{2}:\d{2}\s*$", raw):
            try:
                return time.fromisoformat(raw.strip().zfill(8))
            except ValueError:
                raise ValueError(f'"{raw}" is not a valid time in "HH:mm:ss" format') from None
        return parse_datetime(raw, ctx)


class TitleBool(Bool):
    """A boolean as "True"/"False", as GET WebSched prints ``IsHygiene``."""

    def to_wire(self, value: bool | None, ctx: CodecContext) -> str:
        return "True" if value else "False"


ROWS = [
    Field("serverDateTime", None, ServerTime(), read_only=True),
    Field("AptNum", "num", Int(), read_only=True),
    Field("PatNum", "patient", RefNum(), accepts="POST", required="POST"),
    Field("AptStatus", "status", STATUSES, accepts="POST PUT"),
    Field("Pattern", "pattern", Pattern(), accepts="POST PUT"),
    Field("Confirmed", "confirmation", RefNum(), accepts="POST PUT"),
    Field("confirmed", "confirmation", RefName(CONFIRMED, "name"), ref=CONFIRMED, read_only=True),
    Field("TimeLocked", "time_locked", Bool(), read_only=True),
    Field("Op", "operatory", RefNum(), accepts="POST PUT", required="POST"),
    Field("Note", "note", Text(), accepts="POST PUT"),
    Field("ProvNum", "provider", RefNum(), accepts="POST PUT"),
    Field("provAbbr", "provider", RefName(PROVIDER, "abbreviation"), ref=PROVIDER, read_only=True),
    Field("ProvHyg", "hygienist", RefNum(), accepts="POST PUT"),
    Field("AptDateTime", "starts_at", DateTime(), accepts="POST PUT", required="POST"),
    Field("NextAptNum", "planned_appointment", RefNum(), read_only=True),
    Field("UnschedStatus", "unscheduled_status", RefNum(), accepts="PUT"),
    Field(
        "unschedStatus",
        "unscheduled_status",
        RefName(UNSCHEDULED, "name"),
        ref=UNSCHEDULED,
        read_only=True,
    ),
    Field("IsNewPatient", "is_new_patient", Bool(), accepts="POST PUT"),
    Field("ProcDescript", "procedure_description", Text(), read_only=True),
    Field("ClinicNum", "clinic", RefNum(), accepts="POST PUT"),
    Field("IsHygiene", "is_hygiene", Bool(), accepts="POST PUT"),
    Field("DateTStamp", "updated_at", DateTime(), read_only=True),
    Field("DateTimeArrived", "arrived_at", ClockTime(), accepts="POST PUT"),
    Field("DateTimeSeated", "seated_at", ClockTime(), accepts="POST PUT"),
    Field("DateTimeDismissed", "dismissed_at", ClockTime(), accepts="POST PUT"),
    # Kept as given; accepted by no method (the documents list them on no write).
    Field("InsPlan1", None, Int(), extension=True, accepts=""),
    Field("InsPlan2", None, Int(), extension=True, accepts=""),
    Field("DateTimeAskedToArrive", "asked_to_arrive_at", DateTime(), read_only=True),
    Field("colorOverride", "color", Color(), accepts="POST PUT"),
    Field("AppointmentTypeNum", "appointment_type", OptNum(), accepts="POST PUT"),
    Field("SecUserNumEntry", "entered_by", RefNum(), accepts="POST"),
    Field("SecDateTEntry", "created_at", DateTime(), read_only=True),
    Field("Priority", "priority", PRIORITIES, accepts="POST PUT"),
    Field("PatternSecondary", "pattern_secondary", Pattern(), accepts="POST PUT"),
    Field("ItemOrderPlanned", "planned_order", Int(), read_only=True),
]

LABELS = {
    "patient": "Patient",
    "operatory": "Op",
    "provider": "ProvNum",
    "hygienist": "ProvHyg",
    "clinic": "ClinicNum",
    "confirmation": "Confirmed",
    "unscheduled_status": "UnschedStatus",
    "entered_by": "SecUserNumEntry",
}


def _length(patch: dict[str, Any]) -> dict[str, Any]:
    """A pattern is the appointment's length: five minutes a character."""
    if isinstance(patch.get("pattern"), str):
        patch["duration_minutes"] = len(patch["pattern"]) * 5
    return patch


CODEC = Codec("opendental", Appointment, ROWS, ref_labels=LABELS, normalize=_length)

_BY_WIRE = {f.wire: f for f in ROWS}
WEBSCHED_CODEC = Codec(
    "opendental",
    Appointment,
    [
        *(
            _BY_WIRE[w]
            for w in [
                "AptNum",
                "PatNum",
                "AptStatus",
                "Pattern",
                "Confirmed",
                "confirmed",
                "Op",
                "Note",
                "ProvNum",
                "provAbbr",
                "ProvHyg",
                "AptDateTime",
                "NextAptNum",
                "UnschedStatus",
                "unschedStatus",
                "ProcDescript",
                "ClinicNum",
            ]
        ),
        Field("IsHygiene", "is_hygiene", TitleBool(), read_only=True),
        *(
            _BY_WIRE[w]
            for w in [
                "DateTStamp",
                "DateTimeArrived",
                "DateTimeSeated",
                "DateTimeDismissed",
                "AppointmentTypeNum",
            ]
        ),
        Field("eServiceLogType", "online_booking", ONLINE, read_only=True),
        _BY_WIRE["serverDateTime"],
    ],
    ref_labels=LABELS,
)
"""GET WebSched's shape: fewer keys, ``eServiceLogType``, the watermark last."""

GET_FIELDS = tuple(f.wire for f in ROWS)
POST_FIELDS = tuple(w for w in GET_FIELDS if w != "serverDateTime")
"""POST, POST Planned and POST SchedulePlanned answer without the watermark."""
PUT_FIELDS = tuple(w for w in POST_FIELDS if w != "ItemOrderPlanned")
"""PUT and POST WebSched answer without ``ItemOrderPlanned`` too, as their examples."""


def status_shown_as(wire: str, ctx: CodecContext) -> list[AppointmentStatus]:
    """Every canonical status shown as ``wire`` (nearest ones included)."""
    return [m for m in AppointmentStatus if STATUSES.to_wire(m, ctx) == wire]


def shown_pattern(record: Appointment) -> tuple[str, str]:
    """(Pattern, PatternSecondary) as shown (see the module docstring)."""
    pattern = record.pattern
    if not pattern or len(pattern) * 5 != record.duration_minutes:
        pattern = pattern_for(record.duration_minutes)
    secondary = record.pattern_secondary
    if len(secondary) != len(pattern):
        secondary = "/" * len(pattern)
    return pattern, secondary


def ref_num(ref: Ref | None) -> int | None:
    return None if ref is None else ref.num
