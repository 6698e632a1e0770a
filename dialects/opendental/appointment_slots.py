"""Appointments GET Slots: open time on the practice's schedule
(reference/opendental/apiappointments.md; the schedule model is
:mod:`canonical.schedule`).

A slot is a stretch of a provider's scheduled time in one operatory that no
appointment holding time takes: not the provider's own (in any operatory:
"only returns slots that are available in all operatories for that provider
simultaneously"), not any other in that operatory, and no blockout.

Decisions where the page is silent:

- The operatories of a provider's block are those it lists; a block that
  lists none applies in every operatory whose dentist or hygienist is the
  provider. ``OpNum`` narrows to one operatory (it need not be the
  provider's: a block listing none then applies to it too).
- ``ProvNum`` defaults to the practice's default provider (the first
  provider not hidden). An unknown ``ProvNum`` or ``OpNum`` is a 400 (the
  page documents 200 and 400 only).
- ``date`` (and ``dateStart``) must be today or later in the office's zone:
  earlier is a 400. With no dates, the next 14 days from today; with one end
  only, 14 days from (or up to) it.
- Slots are listed by date, then operatory, then start; today's are listed
  whole, even where they began already.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from canonical import (
    FREES_TIME,
    Appointment,
    Invalid,
    NotFound,
    Operatory,
    Order,
    Provider,
    Query,
    Schedule,
    ScheduleKind,
)
from dialects.base import Call, Endpoint, Reply
from dialects.opendental import procedure_codec as pc
from dialects.opendental.appointment_codec import ref_num
from dialects.opendental.appointment_view import rooms
from dialects.opendental.appointments import day_window, midnight
from dialects.opendental.formats import render_datetime
from dialects.opendental.params import Params

__all__ = ["ENDPOINTS", "open_slots", "window"]

DEFAULT_DAYS = 14

Span = tuple[datetime, datetime]


def _subtract(free: list[Span], taken: Iterable[Span]) -> list[Span]:
    for t0, t1 in taken:
        out: list[Span] = []
        for f0, f1 in free:
            if t1 <= f0 or t0 >= f1:
                out.append((f0, f1))
                continue
            if t0 > f0:
                out.append((f0, t0))
            if t1 < f1:
                out.append((t1, f1))
        free = out
    return free


def _merge(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for s0, s1 in sorted(spans):
        if out and s0 <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], s1))
        else:
            out.append((s0, s1))
    return out


def _at(day: date, clock: time, call: Call) -> datetime:
    return datetime.combine(day, clock, tzinfo=call.ctx.tz).astimezone(UTC)


async def open_slots(
    call: Call,
    provider: int,
    op_num: int | None,
    first: date,
    last: date,
    length: int = 0,
) -> list[tuple[datetime, datetime, int]]:
    """Open (start, end, operatory) for ``provider`` from ``first`` to ``last``."""
    ops = await rooms(call)
    blocks = [
        s
        for s in (await call.backend.find(Schedule, Query(order=[Order("num")]))).items
        if isinstance(s, Schedule)
    ]
    own_ops = [
        o.num
        for o in ops.by_num.values()
        if o.num is not None and provider in (ref_num(o.provider), ref_num(o.hygienist))
    ]
    query = Query(order=[Order("starts_at")])
    query.add("starts_at", "lt", midnight(last + timedelta(days=1), call.ctx))
    query.add("starts_at", "ge", midnight(first, call.ctx) - timedelta(days=1))
    booked = [
        a
        for a in (await call.backend.find(Appointment, query)).items
        if isinstance(a, Appointment)
        and a.starts_at is not None
        and a.status not in FREES_TIME
        and a.duration_minutes > 0
    ]
    found: list[tuple[datetime, datetime, int]] = []
    day = first
    while day <= last:
        by_op: dict[int, list[Span]] = {}
        for s in blocks:
            if s.kind is not ScheduleKind.provider or ref_num(s.provider) != provider:
                continue
            if not s.applies_on(day):
                continue
            listed = [r.num for r in s.operatories if r.num is not None]
            for num in listed or ([op_num] if op_num is not None else own_ops):
                if op_num is None or num == op_num:
                    by_op.setdefault(num, []).append(
                        (_at(day, s.starts, call), _at(day, s.ends, call))
                    )
        for num, spans in sorted(by_op.items()):
            taken: list[Span] = []
            for a in booked:
                assert a.starts_at is not None
                if ref_num(a.provider) == provider or ref_num(ops.op_of(a)) == num:
                    taken.append((a.starts_at, a.starts_at + timedelta(minutes=a.duration_minutes)))
            for s in blocks:
                ops_of = {r.num for r in s.operatories}
                if (
                    s.kind is ScheduleKind.blockout
                    and s.applies_on(day)
                    and (not ops_of or num in ops_of)
                ):
                    taken.append((_at(day, s.starts, call), _at(day, s.ends, call)))
            for f0, f1 in _subtract(_merge(spans), taken):
                if (f1 - f0) >= timedelta(minutes=max(length, 1)):
                    found.append((f0, f1, num))
        day += timedelta(days=1)
    return found


def window(params: Params, call: Call, *, past: bool = False) -> tuple[date, date]:
    """The days asked for: ``date``, or ``dateStart``/``dateEnd``, else the next 14
    days; before today is a 400 unless ``past`` (SlotsWebSched sets no such rule)."""
    today = call.ctx.now.astimezone(call.ctx.tz).date()
    first, last = day_window(params)
    label = "date" if params.date_("date") is not None else "dateStart"
    if first is not None and first < today and not past:
        raise Invalid.field(label, f"{label} must be today or a future date.")
    if first is None:
        first = last - timedelta(days=DEFAULT_DAYS - 1) if last else today
        if not past:
            first = max(today, first)
    if last is None:
        last = first + timedelta(days=DEFAULT_DAYS - 1)
    if last < first:
        raise Invalid.field("dateEnd", "dateEnd must be today or a future date.")
    return first, last


async def _provider(call: Call, num: int | None) -> int:
    if num is None:
        ref = await pc.office_provider(call)
        if ref is None or ref.num is None:
            raise Invalid.field("ProvNum", "The practice has no default provider.")
        return ref.num
    try:
        await call.backend.get(Provider, num=num)
    except NotFound:
        raise Invalid.field("ProvNum", "Provider not found.") from None
    return num


def shown(slots: list[tuple[datetime, datetime, int]], provider: int, call: Call) -> list[Any]:
    return [
        {
            "DateTimeStart": render_datetime(s0, call.ctx),
            "DateTimeEnd": render_datetime(s1, call.ctx),
            "ProvNum": provider,
            "OpNum": op,
        }
        for s0, s1, op in slots
    ]


async def get_slots(call: Call) -> Reply:
    params = Params(
        call.query,
        call.ctx,
        takes=("date", "dateStart", "dateEnd", "lengthMinutes", "ProvNum", "OpNum"),
    )
    first, last = window(params, call)
    length = params.int_("lengthMinutes") or 0
    if length < 0:
        raise Invalid.field("lengthMinutes", "lengthMinutes must not be negative.")
    provider = await _provider(call, params.int_("ProvNum"))
    op_num = params.int_("OpNum")
    if op_num is not None:
        try:
            await call.backend.get(Operatory, num=op_num)
        except NotFound:
            raise Invalid.field("OpNum", "Operatory not found.") from None
    found = await open_slots(call, provider, op_num, first, last, length)
    found.sort(key=lambda s: (s[0].astimezone(call.ctx.tz).date(), s[2], s[0]))
    return Reply(200, shown(found, provider, call))


ENDPOINTS = [Endpoint("GET", "/appointments/Slots", get_slots, "appointment")]
