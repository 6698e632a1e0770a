"""DrChrono ``/api/appointments`` (seed 004): appointments and breaks on a
doctor's calendar. GET list (since / date / date_range required), GET one,
POST (one or a list), PUT, PATCH, DELETE.

Decisions where the documents are silent or contradict themselves:

- ``id`` is rendered as a string ("Usually numeric, but not always"); it is the
  canonical num. Path ids and every other reference are integers.
- A break is an appointment whose ``patient`` is null; ``appt_is_break`` is
  derived from that on every write.
- Overlap (409): another live appointment or break in the same office and exam
  room whose time intersects. Different exam rooms may be double-booked (the
  appointment-templates section says so). Cancelled, No Show and Rescheduled
  appointments (and Open Dental's broken ones) no longer hold the room.
  ``allow_overlapping: true`` skips the check and is kept on the record.
- ``exam_room`` must be one of the office's exam rooms (``/api/offices``); an
  office that lists none (one created through another dialect) takes any
  index from 1.
- ``date_range`` longer than 190 days is a 400 unless it ends before today
  (tenant time). Dates are the tenant's local dates of ``scheduled_time``.
- DELETE archives (``deleted_flag`` true): archived appointments are listed
  only with ``show_archived``, and always readable by id.
- ``profile`` and ``reminder_profile`` name resources this gateway does not
  hold (appointment and reminder profiles): a non-null value is a 400
  "object does not exist", as an unknown id would be.
- PUT checks the required keys, then updates what is given (as DRF does); PUT
  and PATCH answer 204 with no body.
- ``status_transitions`` records every status change made through this
  dialect, and the initial status of an appointment created with one.
- Statuses Open Dental has and DrChrono lacks render as their nearest DrChrono
  status (Scheduled, Planned, Unscheduled and Patient Note as "", Broken as
  "No Show"); the record keeps its own status until a client sets another.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from canonical import (
    Appointment,
    Clinic,
    Cond,
    Conflict,
    Invalid,
    NotFound,
    Order,
    Query,
    Record,
    Ref,
)
from canonical.references import AppointmentStatus, AppointmentStatusChange
from dialects.base import Call
from dialects.codec import Codec, CodecContext, EnumMap, Field
from dialects.drchrono.errors import required_error
from dialects.drchrono.formats import (
    Bool,
    Enum_,
    Int,
    OptInt,
    RefId,
    Text,
    Timestamp,
)
from dialects.drchrono.params import Params
from dialects.drchrono.resource import DrChronoResource

STATUSES = EnumMap(
    {
        "": AppointmentStatus.scheduled,
        "Arrived": AppointmentStatus.arrived,
        "Checked In": AppointmentStatus.checked_in,
        "Checked In Online": AppointmentStatus.checked_in_online,
        "In Room": AppointmentStatus.in_room,
        "Cancelled": AppointmentStatus.cancelled,
        "Complete": AppointmentStatus.complete,
        "Confirmed": AppointmentStatus.confirmed,
        "In Session": AppointmentStatus.in_session,
        "No Show": AppointmentStatus.no_show,
        "Not Confirmed": AppointmentStatus.not_confirmed,
        "Rescheduled": AppointmentStatus.rescheduled,
    },
    nearest={
        AppointmentStatus.unscheduled_list: "",
        AppointmentStatus.planned: "",
        AppointmentStatus.patient_note: "",
        AppointmentStatus.broken: "No Show",
    },
)

FREE_ROOM = frozenset(
    {
        AppointmentStatus.cancelled,
        AppointmentStatus.no_show,
        AppointmentStatus.rescheduled,
        AppointmentStatus.broken,
    }
)
"""Statuses whose appointment no longer occupies its exam room."""


class AppointmentId:
    """The appointment's num, rendered as a string."""

    def to_wire(self, value: Any, ctx: CodecContext) -> Any:
        return None if value is None else str(value)

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        return Int().from_wire(raw, ctx)


class Flag:
    """A read-only boolean derived from whether the canonical value is set."""

    def to_wire(self, value: Any, ctx: CodecContext) -> Any:
        return value is not None

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        return ctx.now if Bool().from_wire(raw, ctx) else None


class Json:
    """A JSON value the gateway keeps as given (vitals, custom fields)."""

    def __init__(self, kind: type, empty: Any) -> None:
        self.kind = kind
        self.empty = empty

    def to_wire(self, value: Any, ctx: CodecContext) -> Any:
        return self.empty() if value is None else value

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        if raw is None:
            return None
        if not isinstance(raw, self.kind):
            what = "a list" if self.kind is list else "an object"
            raise ValueError(f"Expected {what} of items.")
        return raw


class Absent:
    """A read-only key whose resource the gateway does not hold: ``empty`` always."""

    def __init__(self, empty: Any) -> None:
        self.empty = empty

    def to_wire(self, value: Any, ctx: CodecContext) -> Any:
        return self.empty() if callable(self.empty) else self.empty

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        return raw


class Unheld:
    """A reference to a resource the gateway does not hold: only null is valid."""

    def to_wire(self, value: Any, ctx: CodecContext) -> Any:
        return None

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        if raw is None or raw == "":
            return None
        num = Int().from_wire(raw, ctx)
        raise ValueError(f'Invalid pk "{num}" - object does not exist.')


class Transitions:
    """``status_history`` <-> ``status_transitions`` (read-only)."""

    def to_wire(self, value: list[AppointmentStatusChange] | None, ctx: CodecContext) -> Any:
        ts = Timestamp()
        return [
            {
                "from_status": STATUSES.to_wire(c.from_status, ctx) if c.from_status else "",
                "to_status": STATUSES.to_wire(c.to_status, ctx),
                "datetime": ts.to_wire(c.changed_at, ctx),
            }
            for c in value or []
        ]

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        if not isinstance(raw, list):
            raise ValueError("Expected a list of items.")
        out = []
        for item in raw:
            if not isinstance(item, dict):
                raise ValueError("Expected a list of items.")
            before = item.get("from_status") or None
            out.append(
                AppointmentStatusChange(
                    from_status=None if before is None else STATUSES.from_wire(before, ctx),
                    to_status=STATUSES.from_wire(item.get("to_status", ""), ctx),
                    changed_at=Timestamp().from_wire(item.get("datetime"), ctx),
                )
            )
        return out


VERBOSE = frozenset(
    {
        "clinical_note",
        "custom_vitals",
        "extended_updated_at",
        "reminders",
        "status_transitions",
        "vitals",
    }
)
"""Keys rendered only with ``verbose=true``."""

CODEC = Codec(
    "drchrono",
    Appointment,
    [
        Field("doctor", "provider", RefId(), required="POST PUT"),
        Field("duration", "duration_minutes", Int(), required="POST PUT"),
        Field("exam_room", "exam_room", OptInt(), required="POST PUT"),
        Field("office", "clinic", RefId(), required="POST PUT"),
        Field("patient", "patient", RefId()),
        Field("scheduled_time", "starts_at", Timestamp(), required="POST PUT"),
        Field("color", "color", Text()),
        Field("custom_vitals", None, Json(list, list), extension=True),
        Field("notes", "note", Text()),
        Field("profile", None, Unheld(), extension=True),
        Field("reason", "reason", Text()),
        Field("reminder_profile", None, Unheld(), write_only=True, extension=True),
        Field("status", "status", Enum_(STATUSES, empty=AppointmentStatus.scheduled)),
        Field("status_transitions", "status_history", Transitions(), read_only=True),
        Field("vitals", None, Json(dict, dict), extension=True),
        Field("supervising_provider", "supervising_provider", RefId()),
        Field("billing_status", "billing_status", Text()),
        Field("billing_provider", "billing_provider", RefId()),
        Field("billing_notes", None, Absent(list), read_only=True),
        Field("clinical_note", None, Absent(None), read_only=True),
        Field("icd10_codes", None, Absent(""), read_only=True),
        Field("icd9_codes", None, Absent(""), read_only=True),
        Field("id", "num", AppointmentId(), read_only=True),
        Field("reminders", None, Absent(list), read_only=True),
        Field("created_at", "created_at", Timestamp(), read_only=True),
        Field("updated_at", "updated_at", Timestamp(), read_only=True),
        Field("first_billed_date", None, Absent(None), read_only=True),
        Field("last_billed_date", None, Absent(None), read_only=True),
        Field("deleted_flag", "deleted_at", Flag(), read_only=True),
        Field("primary_insurer_payer_id", None, Absent(""), read_only=True),
        Field("primary_insurer_name", None, Absent(""), read_only=True),
        Field("primary_insurance_id_number", None, Absent(""), read_only=True),
        Field("secondary_insurer_payer_id", None, Absent(""), read_only=True),
        Field("secondary_insurer_name", None, Absent(""), read_only=True),
        Field("secondary_insurance_id_number", None, Absent(""), read_only=True),
        Field("allow_overlapping", "allow_overlap", Bool()),
        Field("appt_is_break", "is_break", Bool(), read_only=True),
        Field("cloned_from", "cloned_from", RefId(), read_only=True),
        Field("extended_updated_at", "updated_at", Timestamp(), read_only=True),
        Field("recurring_appointment", "is_recurring", Bool(), read_only=True),
        Field("base_recurring_appointment", "recurring_base", RefId(), read_only=True),
        Field("is_walk_in", "is_walk_in", Bool()),
        Field("is_virtual_base", None, Absent(False), read_only=True),
        Field("custom_fields", None, Json(list, list), extension=True),
    ],
    ref_labels={
        "provider": "doctor",
        "clinic": "office",
        "patient": "patient",
        "supervising_provider": "supervising_provider",
        "billing_provider": "billing_provider",
    },
)


LONGEST_RANGE = timedelta(days=190)
"""``date_range`` may span at most this (start to end), unless it ends before today."""

MAX_DURATION = 525_600
"""Minutes an appointment or break may last (a year): the end time is computed
from it, and a longer one would pass every date a calendar can show."""

NEVER_NULL = ("doctor", "duration", "exam_room", "office", "scheduled_time")
"""Required keys a PATCH may not clear either (``patient`` may be null: a break)."""


def _midnight(day: date, ctx: CodecContext) -> datetime:
    return datetime.combine(day, time(), tzinfo=ctx.tz).astimezone(UTC)


def _statuses_shown_as(wire: str, ctx: CodecContext) -> list[AppointmentStatus]:
    """Every canonical status this dialect renders as ``wire`` (nearest ones included)."""
    return [m for m in AppointmentStatus if STATUSES.to_wire(m, ctx) == wire]


async def filters(call: Call, params: Params, query: Query) -> None:
    ctx = call.ctx
    since = params.timestamp("since")
    day = params.date_("date")
    span = params.date_range("date_range")
    if since is None and day is None and span is None:
        raise Invalid("Either the since, date or date_range query parameter must be specified.")
    if since is not None:
        query.add("updated_at", "ge", since)
    if day is not None:
        query.add("starts_at", "ge", _midnight(day, ctx))
        query.add("starts_at", "lt", _midnight(day + timedelta(days=1), ctx))
    if span is not None:
        start, end = span
        if end < start:
            raise Invalid.field("date_range", "The end date must not be before the start date.")
        today = ctx.now.astimezone(ctx.tz).date()
        if end - start > LONGEST_RANGE and end >= today:
            raise Invalid.field(
                "date_range", "Cannot be longer than 190 days, unless it is in the past."
            )
        query.add("starts_at", "ge", _midnight(start, ctx))
        query.add("starts_at", "lt", _midnight(end + timedelta(days=1), ctx))
    for key, field in (("doctor", "provider"), ("office", "clinic"), ("patient", "patient")):
        num = params.int_(key)
        if num is not None:
            query.add(field, "eq", num)
    status = params.text("status")
    if status is not None:
        try:
            STATUSES.from_wire(status, ctx)
        except ValueError as exc:
            raise Invalid.field("status", str(exc)) from None
        query.add("status", "in", _statuses_shown_as(status, ctx))
    if params.flag("show_archived"):
        query.include_deleted = True


async def prepare(call: Call, patch: dict[str, Any], record: Record | None) -> dict[str, Any]:
    """Cross-key rules: non-null keys, breaks, the exam room, overlaps, status history."""
    assert record is None or isinstance(record, Appointment)
    errors: dict[str, str] = {}
    for wire in NEVER_NULL:
        key = CODEC.by_wire[wire].canonical
        if key is not None and key in patch and patch[key] is None:
            errors[wire] = "This field may not be null."
    for wire, key in (("duration", "duration_minutes"), ("exam_room", "exam_room")):
        if patch.get(key) is not None and patch[key] < 1:
            errors[wire] = "Ensure this value is greater than or equal to 1."
    if (patch.get("duration_minutes") or 0) > MAX_DURATION:
        errors["duration"] = f"Ensure this value is less than or equal to {MAX_DURATION}."
    if errors:
        raise Invalid(" ".join(f"{k}: {v}" for k, v in errors.items()), errors)
    if "patient" in patch:
        patch["is_break"] = patch["patient"] is None

    def now(key: str) -> Any:
        return patch[key] if key in patch else getattr(record, key, None)

    starts, minutes = now("starts_at"), now("duration_minutes")
    if (
        starts is not None
        and minutes
        and starts > datetime.max.replace(tzinfo=UTC) - timedelta(minutes=minutes)
    ):
        raise Invalid.field("scheduled_time", "The appointment would end after the year 9999.")
    clinic = await _clinic(call, now("clinic"))
    room = now("exam_room")
    if (
        clinic is not None
        and clinic.exam_rooms
        and room not in {r.index for r in clinic.exam_rooms}
    ):
        raise Invalid.field("exam_room", f"Office {clinic.num} has no exam room with index {room}.")
    moved = record is None or any(
        k in patch and patch[k] != getattr(record, k)
        for k in ("starts_at", "duration_minutes", "clinic", "exam_room", "status")
    )
    status = now("status") or AppointmentStatus.scheduled
    if moved and not now("allow_overlap") and status not in FREE_ROOM and clinic is not None:
        await _check_overlap(call, record, clinic, room, now("starts_at"), now("duration_minutes"))
    if "status" in patch and (record is None or patch["status"] != record.status):
        change = AppointmentStatusChange(
            from_status=None if record is None else record.status,
            to_status=patch["status"],
            changed_at=call.ctx.now,
        )
        patch["status_history"] = [*(record.status_history if record else []), change]
    return patch


async def _clinic(call: Call, ref: Ref | None) -> Clinic | None:
    if ref is None or ref.num is None:
        return None
    try:
        return await call.backend.get(Clinic, num=ref.num)
    except NotFound:
        raise Invalid.field("office", "Invalid pk - object does not exist.") from None


async def _check_overlap(
    call: Call,
    record: Appointment | None,
    clinic: Clinic,
    room: int | None,
    starts: datetime | None,
    minutes: int | None,
) -> None:
    """409 when another live appointment or break holds the room for any of the time."""
    if starts is None or not minutes or room is None:
        return
    ends = starts + timedelta(minutes=minutes)
    same_room = [Cond("clinic", "eq", clinic.num), Cond("exam_room", "eq", room)]
    longest = await call.backend.find(
        Appointment,
        Query(where=list(same_room), order=[Order("duration_minutes", descending=True)], limit=1),
    )
    if not longest.items:
        return
    reach = timedelta(minutes=longest.items[0].duration_minutes)
    query = Query(where=list(same_room), order=[Order("starts_at")])
    query.add("starts_at", "lt", ends).add("starts_at", "gt", starts - reach)
    for other in (await call.backend.find(Appointment, query)).items:
        if record is not None and other.num == record.num:
            continue
        if other.status in FREE_ROOM or other.starts_at is None:
            continue
        if other.starts_at + timedelta(minutes=other.duration_minutes) > starts:
            raise Conflict(
                f"Scheduled time overlaps with an existing appointment (id {other.num}) "
                f"in exam room {room} of office {clinic.num}."
            )


@dataclass(frozen=True)
class Appointments(DrChronoResource):
    """Appointments: archived ones stay readable by id; ``patient`` must be sent
    on POST and PUT but may be null (a break)."""

    def check_input(self, body: Mapping[str, Any], method: str) -> None:
        missing = [k for k in self.codec.required(method) if body.get(k) in (None, "")]
        if method in ("POST", "PUT") and "patient" not in body:
            missing.append("patient")
        if missing:
            raise required_error(missing)


RESOURCE = Appointments(
    "/api/appointments",
    CODEC,
    scope="calendar clinical",
    verbose=tuple(VERBOSE),
    filters=filters,
    prepare=prepare,
    order=(Order("starts_at"), Order("num")),
    include_archived=True,
)
ENDPOINTS = RESOURCE.endpoints()
CODECS = {"appointment": CODEC}
