"""DrChrono ``/api/offices`` (seed 004): the practice group's offices. GET list
(``show_archived``), GET one, PATCH (``online_scheduling``, ``online_timeslots``),
and ``POST /api/offices/:id/add_exam_room``. An office is a canonical clinic.

Decisions where the documents are silent or contradict themselves:

- Only the two keys the seed marks writable change on PATCH; the OpenAPI's
  PUT and its writable ``archived``/``start_time``/``end_time`` are not offered
  (the seed lists GET and PATCH only).
- ``name`` is the clinic's description (its full name); ``address`` its first
  address line.
- ``exam_rooms`` items are ``{"index", "name", "online_scheduling"}`` (DrChrono's
  exam room format), ``index`` 1-based. ``add_exam_room`` appends a room with
  the next index and answers 201 with the whole office (the OpenAPI's status).
- ``online_timeslots`` items are ``{"day", "hour", "minute"}`` (day 0 = Monday,
  hour 0-23, minute 0/15/30/45, per the OpenAPI); the list replaces the old one.
- ``start_time`` renders ``HH:00:00``; ``end_time`` ``24:00:00`` for the end of
  the day (the seed's default "24:00").
- An archived office is a hidden clinic; it is listed only with
  ``show_archived`` and always readable by id.
"""

from __future__ import annotations

from datetime import time
from typing import Any

import orjson

from canonical import Clinic, Cond, Invalid, Query
from canonical.references import ExamRoom, WeeklySlot
from dialects.base import Call, Endpoint, Reply
from dialects.codec import Codec, CodecContext, Field, merge_patch, round_trips
from dialects.drchrono.bodies import body_object
from dialects.drchrono.formats import Bool, Int, RefId, Text, parse_int
from dialects.drchrono.params import Params
from dialects.drchrono.resource import DrChronoResource, slashed
from dialects.render import render


class Hour:
    """A clinic's opening or closing time, truncated to the hour."""

    def __init__(self, empty: str) -> None:
        self.empty = empty

    def to_wire(self, value: time | None, ctx: CodecContext) -> Any:
        return self.empty if value is None else f"{value.hour:02d}:00:00"

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        if raw is None or raw == "" or raw in ("24:00", "24:00:00"):
            return None
        try:
            return time.fromisoformat(str(raw)).replace(minute=0, second=0, microsecond=0)
        except ValueError:
            raise ValueError(
                "Time has wrong format. Use one of these formats instead: hh:mm[:ss]."
            ) from None

    def exact(self, value: time | None, ctx: CodecContext) -> bool:
        """Shown to the hour: minutes set through another dialect are not."""
        return value is None or round_trips(self, value, ctx)


class Rooms:
    """``exam_rooms`` (read-only here; ``add_exam_room`` adds one)."""

    def to_wire(self, value: list[ExamRoom] | None, ctx: CodecContext) -> Any:
        return [
            {"index": r.index, "name": r.name, "online_scheduling": r.online_scheduling}
            for r in value or []
        ]

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        if not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
            raise ValueError("Expected a list of items.")
        try:
            return [ExamRoom.model_validate(r) for r in raw]
        except ValueError:
            raise ValueError("Each exam room needs an integer index and a name.") from None


class Timeslots:
    """``online_timeslots``: weekly online booking start times."""

    RANGES = {"day": range(7), "hour": range(24)}
    MINUTES = (0, 15, 30, 45)

    def to_wire(self, value: list[WeeklySlot] | None, ctx: CodecContext) -> Any:
        return [{"day": s.weekday, "hour": s.hour, "minute": s.minute} for s in value or []]

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        if isinstance(raw, str):  # a form value: the list as JSON text
            try:
                raw = orjson.loads(raw)
            except orjson.JSONDecodeError:
                raise ValueError("Expected a list of items.") from None
        if not isinstance(raw, list):
            raise ValueError("Expected a list of items.")
        slots = []
        for item in raw:
            if not isinstance(item, dict) or set(item) - {"day", "hour", "minute"}:
                raise ValueError('Each timeslot is an object with "day", "hour" and "minute".')
            try:
                day = parse_int(item.get("day"))
                hour = parse_int(item.get("hour"))
                minute = parse_int(item.get("minute", 0))
            except ValueError:
                raise ValueError(
                    'Each timeslot needs integer "day", "hour" and "minute".'
                ) from None
            if day not in self.RANGES["day"]:
                raise ValueError('"day" must be 0 (Monday) to 6 (Sunday).')
            if hour not in self.RANGES["hour"]:
                raise ValueError('"hour" must be 0 to 23.')
            if minute not in self.MINUTES:
                raise ValueError('"minute" must be one of 0, 15, 30 or 45.')
            slots.append(WeeklySlot(weekday=day, hour=hour, minute=minute))
        return slots


WRITABLE = ("online_scheduling", "online_timeslots")

CODEC = Codec(
    "drchrono",
    Clinic,
    [
        Field("online_scheduling", "online_scheduling", Bool()),
        Field("online_timeslots", "online_slots", Timeslots()),
        Field("address", "address_line1", Text(), read_only=True),
        Field("archived", "is_hidden", Bool(), read_only=True),
        Field("city", "city", Text(), read_only=True),
        Field("country", "country", Text(), read_only=True),
        Field("doctor", "owner", RefId(), read_only=True),
        Field("end_time", "closes_at", Hour("24:00:00"), read_only=True),
        Field("exam_rooms", "exam_rooms", Rooms(), read_only=True),
        Field("id", "num", Int(), read_only=True),
        Field("name", "description", Text(), read_only=True),
        Field("phone_number", "phone", Text(), read_only=True),
        Field("fax_number", "fax", Text(), read_only=True),
        Field("start_time", "opens_at", Hour("00:00:00"), read_only=True),
        Field("state", "state", Text(), read_only=True),
        Field("zip_code", "postal_code", Text(), read_only=True),
    ],
)

VERBOSE = ("online_timeslots",)


async def filters(call: Call, params: Params, query: Query) -> None:
    if not params.flag("show_archived"):
        query.where.append(Cond("is_hidden", "eq", False))
    num = params.int_("doctor")
    if num is not None:
        query.where.append(Cond("owner", "eq", num))


RESOURCE = DrChronoResource(
    "/api/offices",
    CODEC,
    scope="user",
    operations=("list", "read", "update"),
    verbose=VERBOSE,
    filters=filters,
)


async def add_exam_room(call: Call) -> Reply:
    """Append a room with the next index; 201 with the whole office."""
    office = await RESOURCE.fetch(call)
    assert isinstance(office, Clinic)
    body = body_object(call)
    errors: dict[str, str] = {}
    name = body.get("name")
    if name is None or name == "":
        errors["name"] = "This field is required."
    elif not isinstance(name, str):
        errors["name"] = "Not a valid string."
    try:
        online = Bool().from_wire(body.get("online_scheduling"), call.ctx)
    except ValueError as exc:
        errors["online_scheduling"] = str(exc)
    if errors:
        raise Invalid(" ".join(f"{k}: {v}" for k, v in errors.items()), errors)
    index = max((r.index for r in office.exam_rooms), default=0) + 1
    room = ExamRoom(index=index, name=str(name), online_scheduling=online)
    updated = await call.backend.update(
        merge_patch(office, Clinic, {"exam_rooms": [*office.exam_rooms, room]}),
        base_version=office.version,
    )
    return Reply(201, (await render(call, CODEC, [updated]))[0])


ACTIONS = [
    Endpoint("POST", path, add_exam_room, "clinic", "user")
    for path in slashed("/api/offices/{id}/add_exam_room")
]
ENDPOINTS = [*RESOURCE.endpoints(), *ACTIONS]
CODECS = {"clinic": CODEC}
