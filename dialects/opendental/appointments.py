"""Open Dental Appointments (reference/opendental/apiappointments.md): GET one,
GET many, GET ASAP, GET WebSched, POST and PUT. The field map and the
status table are in :mod:`.appointment_codec`, the shown values in
:mod:`.appointment_view`, the write rules in :mod:`.appointment_writes`; PUT
Break, Note and Confirm in :mod:`.appointment_actions`; POST Planned and
SchedulePlanned in :mod:`.appointment_planned`; GET Slots in
:mod:`.appointment_slots`; GET SlotsWebSched and POST WebSched in
:mod:`.appointment_websched`, with the procedures they attach in
:mod:`.appointment_procs`.

Decisions where the page is silent:

- Lists are in AptNum order. ``date`` and ``dateStart``/``dateEnd`` are the
  office-local date of ``AptDateTime``; ``date`` with either of the others is
  a 400, as is a ``dateEnd`` before ``dateStart``; either end alone bounds one
  side. ``DateTStamp`` is inclusive ("altered on or after"), as every other
  resource's. ``PatNum`` of no patient is a 404.
- ``ClinicNum=0``, ``AppointmentTypeNum=0`` select appointments with none.
  ``Op`` selects the appointments shown in that operatory (its exam room, or
  the operatory recorded); an operatory that does not exist is a 404.
- GET ASAP: the appointments whose Priority is ASAP, of any status.
  ``ClinicNum`` is optional (the gateway keeps no "clinics enabled"
  preference; absent lists every clinic), ``0`` selects no clinic.
- GET WebSched shows every appointment, ``eServiceLogType`` saying how it was
  booked online ("None" for the office); ``IsHygiene`` prints "True"/"False"
  as the page's example does.
- Write answers have the keys of their examples: POST without
  ``serverDateTime``; PUT also without ``ItemOrderPlanned``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from canonical import (
    AnyOf,
    AppointmentPriority,
    Cond,
    Invalid,
    Operatory,
    Patient,
    Query,
    Record,
)
from dialects.base import Call
from dialects.changes import changed_since
from dialects.codec import Codec, CodecContext
from dialects.opendental import appointment_codec as ac
from dialects.opendental.appointment_codec import CODEC, WEBSCHED_CODEC
from dialects.opendental.appointment_view import as_shown
from dialects.opendental.appointment_writes import attach_type, rules
from dialects.opendental.params import Params
from dialects.opendental.records import must_exist
from dialects.opendental.resource import OpenDentalResource
from dialects.params import Params as BaseParams
from dialects.render import render

__all__ = ["CODEC", "CODECS", "ENDPOINTS", "RESOURCE", "day_window", "render_as"]


def midnight(day: date, ctx: CodecContext) -> datetime:
    return datetime.combine(day, time(), tzinfo=ctx.tz).astimezone(UTC)


def stamp(params: Params) -> datetime | None:
    """``DateTStamp``: "yyyy-MM-dd HH:mm:ss", or a bare date for its midnight (as
    the page's example request sends it)."""
    raw = params.text("DateTStamp")
    if raw is not None and re.match(r"^\s*\d{4}-\d{2}-\d{2}\s*$", raw):
        day = params.date_("DateTStamp")
        return None if day is None else midnight(day, params.ctx)
    return params.timestamp("DateTStamp")


def day_window(params: Params) -> tuple[date | None, date | None]:
    """``date``, or ``dateStart``/``dateEnd``, as (first day, last day)."""
    day = params.date_("date")
    start, end = params.date_("dateStart"), params.date_("dateEnd")
    if day is not None and (start is not None or end is not None):
        raise Invalid.field("date", "date cannot be used with dateStart or dateEnd.")
    if day is not None:
        return day, day
    if start is not None and end is not None and end < start:
        raise Invalid.field("dateEnd", "dateEnd must not be before dateStart.")
    return start, end


def by_day(query: Query, params: Params) -> None:
    first, last = day_window(params)
    if first is not None:
        query.add("starts_at", "ge", midnight(first, params.ctx))
    if last is not None:
        query.add("starts_at", "lt", midnight(last + timedelta(days=1), params.ctx))


async def by_operatory(call: Call, query: Query, num: int) -> None:
    """The appointments shown in operatory ``num`` (see :mod:`.appointment_view`):
    recorded as it with no exam room, or in its exam room. The store's
    conditions are ANDs of ORs, so (A and B) or (C and D) is written out as
    (A or C) and (A or D) and (B or C) and (B or D)."""
    await must_exist(call, Operatory, num, "Op")
    op = await call.backend.get(Operatory, num=num)
    assert isinstance(op, Operatory)
    recorded, no_room = Cond("operatory", "eq", num), Cond("exam_room", "eq", None)
    in_clinic = Cond("clinic", "eq", None if op.clinic is None else op.clinic.num)
    in_room = Cond("exam_room", "eq", op.exam_room)
    for a in (recorded, no_room):
        for b in (in_clinic, in_room):
            query.where.append(AnyOf((a, b)))


async def _filters(call: Call, params: Params, query: Query) -> None:
    pat_num = params.int_("PatNum")
    if pat_num is not None:
        await must_exist(call, Patient, pat_num, "Patient")
        query.add("patient", "eq", pat_num)
    status = params.text("AptStatus")
    if status is not None:
        if status == "ASAP":  # the retired status: the ASAP list
            query.add("priority", "eq", AppointmentPriority.asap)
        else:
            try:
                ac.STATUSES.from_wire(status, call.ctx)
            except ValueError as exc:
                raise Invalid.field("AptStatus", f"AptStatus {exc}.") from None
            query.add("status", "in", ac.status_shown_as(status, call.ctx))
    by_day(query, params)
    clinic = params.int_("ClinicNum")
    if clinic is not None:
        query.add("clinic", "eq", clinic or None)
    kind = params.int_("AppointmentTypeNum")
    if kind is not None:
        query.add("appointment_type", "eq", kind or None)
    changed_since(query, stamp(params))


async def render_as(
    call: Call, records: Sequence[Record], fields: Iterable[str] | None, codec: Codec = CODEC
) -> list[dict[str, Any]]:
    """Appointments with their shown values, with ``fields`` only (``None``: all)."""
    return await render(call, codec, await as_shown(call, records), only=fields)


SHAPES = {"create": ac.POST_FIELDS, "replace": ac.PUT_FIELDS}


@dataclass(frozen=True)
class Appointments(OpenDentalResource):
    """Every list and record shows the shown values; writes answer in their shape."""

    shape: Codec = CODEC

    async def present(
        self, call: Call, records: list[Record], params: BaseParams, hidden: Iterable[str]
    ) -> list[dict[str, Any]]:
        operation = params.operation if isinstance(params, Params) else ""
        return await render_as(call, records, SHAPES.get(operation), self.shape)


async def _op_filter(call: Call, params: Params, query: Query) -> None:
    await _filters(call, params, query)
    op = params.int_("Op")
    if op is not None:
        await by_operatory(call, query, op)


RESOURCE = Appointments(
    "/appointments",
    CODEC,
    operations=("read", "list", "create", "replace"),
    item="AptNum",
    takes=(
        "PatNum",
        "AptStatus",
        "Op",
        "date",
        "dateStart",
        "dateEnd",
        "ClinicNum",
        "DateTStamp",
        "AppointmentTypeNum",
    ),
    resolved=True,
    filters=_op_filter,
    extra=rules,
    after=attach_type,
)


async def _asap(call: Call, params: Params, query: Query) -> None:
    query.add("priority", "eq", AppointmentPriority.asap)
    clinic = params.int_("ClinicNum")
    if clinic is not None:
        query.add("clinic", "eq", clinic or None)
    prov = params.int_("ProvNum")
    if prov is not None:
        query.add("provider", "eq", prov)


ASAP = Appointments(
    "/appointments/ASAP", CODEC, operations=("list",), takes=("ClinicNum", "ProvNum"), filters=_asap
)


async def _websched(call: Call, params: Params, query: Query) -> None:
    by_day(query, params)
    clinic = params.int_("ClinicNum")
    if clinic is not None:
        query.add("clinic", "eq", clinic or None)
    changed_since(query, stamp(params))


WEBSCHED = Appointments(
    "/appointments/WebSched",
    CODEC,
    operations=("list",),
    takes=("date", "dateStart", "dateEnd", "DateTStamp", "ClinicNum"),
    filters=_websched,
    shape=WEBSCHED_CODEC,
)

ENDPOINTS = [*RESOURCE.endpoints(), *ASAP.endpoints(), *WEBSCHED.endpoints()]
CODECS = {"appointment": CODEC}
