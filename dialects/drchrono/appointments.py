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
from dialects.codec import CodecContext
from dialects.drchrono.appointment_codec import CODEC, FREE_ROOM, STATUSES, VERBOSE
from dialects.drchrono.errors import required_error
from dialects.drchrono.params import Params
from dialects.drchrono.resource import DrChronoResource

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
