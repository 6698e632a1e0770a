"""Appointments GET SlotsWebSched and POST WebSched
(reference/opendental/apiappointments.md): open time offered to patients
booking online, cut into slots of a Web Sched appointment type's length, and
booking one of them. The open time is GET Slots' (:func:`.appointment_slots.open_slots`).

Web Sched setup. ``defNumApptType`` is a definition of category 42
(WebSchedNewPatApptTypes) or 51 (WebSchedExistingApptTypes); the appointment
type linked to it (:class:`canonical.AppointmentType` ``web_sched``) gives the
slot length (its pattern, else its procedures', :mod:`.appointment_procs`),
and Web Sched books into the operatories set for online scheduling.

Decisions where the page is silent:

- Slots: each provider's open time (GET Slots, with no OpNum) in the
  operatories with ``online_scheduling`` that are not hidden, cut from the
  start of each open stretch into consecutive pieces of the type's length; a
  shorter remainder is not offered. Listed by start, then OpNum, then
  ProvNum. No dates: the next 14 days from today. Days before today are
  listed too: unlike GET Slots, the page sets no "today or a future date"
  rule, and a booking system syncing its calendar may ask for them.
- ``ClinicNum`` is optional (no "clinics enabled" preference is kept):
  absent, every clinic; 0, the operatories of no clinic.
- ``defNumApptType`` decides the kind; ``isNewPatient`` only chooses the
  category when it is absent (the first visible definition of 42 when
  "true", else 51, that has a linked type). The page's own example sends a
  New Patient type without ``isNewPatient``, so a mismatch is not refused.
- SlotsWebSched documents no status codes: every bad input is a 400.
  POST WebSched answers 404 for an unknown PatNum, ProvNum, OpNum or
  defNumApptType, 400 for anything else.
- POST WebSched takes ``DateTimeStart``/``DateTimeEnd`` also spelt
  ``dateTimeStart``/``dateTimeEnd`` (the page's list and its example differ);
  the slot must be one GET SlotsWebSched lists for that type on that day,
  else a 400. The appointment is Scheduled with the type's pattern, procedures
  (attached as :mod:`.appointment_procs` says), colour and
  ``AppointmentTypeNum``; ``IsNewPatient`` true for a New Patient type;
  ``eServiceLogType`` NewPat or ExistingPat; ``Note`` "Appointment Reason:
  <definition name>"; ``Confirmed`` the Appt Confirmed definition named
  "Created from Web Sched" (else the first one); the clinic is the
  operatory's, else the patient's. It answers in PUT's shape, as the
  example does (no ``ItemOrderPlanned``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from canonical import (
    Appointment,
    AppointmentStatus,
    AppointmentType,
    Clinic,
    Cond,
    Definition,
    DefinitionCategory,
    Invalid,
    NotFound,
    OnlineBooking,
    Operatory,
    Order,
    Patient,
    Provider,
    Query,
    Ref,
    Schedule,
    ScheduleKind,
)
from dialects.base import Call, Endpoint, Reply
from dialects.opendental.appointment_codec import MAX_PATTERN, PUT_FIELDS, ref_num
from dialects.opendental.appointment_procs import Attached, attach, code_of, for_type, number
from dialects.opendental.appointment_slots import open_slots, shown, window
from dialects.opendental.appointment_view import confirmations, rooms
from dialects.opendental.appointment_writes import check_overlap, place
from dialects.opendental.appointments import render_as
from dialects.opendental.bodies import exclusive, json_body, only, require
from dialects.opendental.formats import parse_datetime
from dialects.opendental.params import Params
from dialects.opendental.resource import created

__all__ = ["ENDPOINTS", "WebSchedType", "web_sched_slots"]

KINDS = {
    DefinitionCategory.web_sched_new_patient_appointment_type: OnlineBooking.new_patient,
    DefinitionCategory.web_sched_existing_appointment_type: OnlineBooking.existing_patient,
}
"""Web Sched appointment type categories (42, 51) and how their bookings are logged."""

CONFIRMED_NAME = "Created from Web Sched"

Slot = tuple[datetime, datetime, int, int]
"""(start, end, ProvNum, OpNum)."""


@dataclass(frozen=True)
class WebSchedType:
    """A Web Sched appointment type definition and the appointment type linked to it."""

    definition: Definition
    kind: AppointmentType
    pattern: str

    @property
    def is_new_patient(self) -> bool:
        return self.definition.category is DefinitionCategory.web_sched_new_patient_appointment_type


async def _linked(call: Call, definition: Definition) -> AppointmentType | None:
    types = await call.backend.find(AppointmentType, Query(order=[Order("order"), Order("num")]))
    for kind in types.items:
        linked = isinstance(kind, AppointmentType) and not kind.is_hidden
        if linked and definition.num in {r.num for r in kind.web_sched}:
            return kind
    return None


async def _pattern(call: Call, kind: AppointmentType) -> str:
    if kind.pattern:
        return kind.pattern[:MAX_PATTERN]
    return Attached([(await code_of(call, ref), None) for ref in kind.procedure_codes]).pattern


async def web_sched_type(call: Call, raw: Any, is_new_patient: bool) -> WebSchedType:
    """``defNumApptType`` (``raw``; ``None``: the first set up of the kind) and its
    linked appointment type. An unknown DefNum is a ``NotFound``."""
    if raw is None:
        category = (
            DefinitionCategory.web_sched_new_patient_appointment_type
            if is_new_patient
            else DefinitionCategory.web_sched_existing_appointment_type
        )
        query = Query(
            where=[Cond("category", "eq", category), Cond("is_hidden", "eq", False)],
            order=[Order("order"), Order("num")],
        )
        for found in (await call.backend.find(Definition, query)).items:
            assert isinstance(found, Definition)
            kind = await _linked(call, found)
            if kind is not None:
                return WebSchedType(found, kind, await _pattern(call, kind))
        who = "new" if is_new_patient else "existing"
        raise Invalid(f"No Web Sched appointment type is set up for {who} patients.")
    num = number(raw, "defNumApptType")
    try:
        definition = await call.backend.get(Definition, num=num)
    except NotFound:
        raise NotFound("defNumApptType not found.", resource="definition") from None
    assert isinstance(definition, Definition)
    if definition.category not in KINDS:
        raise Invalid.field(
            "defNumApptType",
            "defNumApptType must be a definition of category 42 (WebSchedNewPatApptTypes)"
            " or 51 (WebSchedExistingApptTypes).",
        )
    kind = await _linked(call, definition)
    if kind is None:
        raise Invalid.field(
            "defNumApptType",
            f"defNumApptType {num} has no appointment type linked to it for Web Sched.",
        )
    return WebSchedType(definition, kind, await _pattern(call, kind))


async def web_sched_slots(
    call: Call, web: WebSchedType, first: date, last: date, clinic: int | None = None
) -> list[Slot]:
    """Open Web Sched slots from ``first`` to ``last`` (``clinic``: None every
    clinic, 0 none, else that clinic's operatories)."""
    length = timedelta(minutes=len(web.pattern) * 5)
    ops = await rooms(call)
    online = {
        num
        for num, op in ops.by_num.items()
        if op.online_scheduling
        and not op.is_hidden
        and (clinic is None or (ref_num(op.clinic) or 0) == clinic)
    }
    blocks = (await call.backend.find(Schedule, Query(order=[Order("num")]))).items
    providers = sorted(
        {
            b.provider.num
            for b in blocks
            if isinstance(b, Schedule)
            and b.kind is ScheduleKind.provider
            and b.provider is not None
            and b.provider.num is not None
        }
    )
    found: list[Slot] = []
    for prov in providers:
        for start, end, op in await open_slots(call, prov, None, first, last):
            if op not in online:
                continue
            at = start
            while at + length <= end:
                found.append((at, at + length, prov, op))
                at += length
    found.sort(key=lambda s: (s[0], s[3], s[2]))
    return found


async def _clinic(call: Call, num: int | None) -> None:
    if not num:
        return
    try:
        await call.backend.get(Clinic, num=num)
    except NotFound:
        raise Invalid.field("ClinicNum", "Clinic not found.") from None


async def get_slots_web_sched(call: Call) -> Reply:
    params = Params(
        call.query,
        call.ctx,
        takes=("date", "dateStart", "dateEnd", "ClinicNum", "defNumApptType", "isNewPatient"),
    )
    first, last = window(params, call, past=True)
    clinic = params.int_("ClinicNum")
    await _clinic(call, clinic)
    is_new = params.bool_("isNewPatient") is True
    try:
        web = await web_sched_type(call, params.text("defNumApptType"), is_new)
    except NotFound as exc:
        raise Invalid.field("defNumApptType", str(exc)) from None  # no 404 is documented
    slots = await web_sched_slots(call, web, first, last, clinic)
    return Reply(200, [row for s in slots for row in shown([(s[0], s[1], s[3])], s[2], call)])


SPELLINGS = (("DateTimeStart", "dateTimeStart"), ("DateTimeEnd", "dateTimeEnd"))
KEYS = ("PatNum", "DateTimeStart", "DateTimeEnd", "ProvNum", "OpNum", "defNumApptType")


def _read(body: dict[str, Any]) -> dict[str, Any]:
    """The body with one spelling of each time, every key given."""
    only(body, (*KEYS, *(low for _, low in SPELLINGS)))
    exclusive(body, SPELLINGS)
    out = dict(body)
    for name, low in SPELLINGS:
        if low in out:
            out[name] = out.pop(low)
    require(out, KEYS)
    return out


def _time(call: Call, body: dict[str, Any], key: str) -> datetime:
    try:
        value = parse_datetime(body[key], call.ctx)
    except ValueError as exc:
        raise Invalid.field(key, f"{key} {exc}.") from None
    if value is None:
        raise Invalid.field(key, f"{key} must be a date and time.")
    return value


async def _exists(call: Call, model: Any, num: int, label: str) -> Any:
    try:
        return await call.backend.get(model, num=num)
    except NotFound:
        raise NotFound(f"{label} not found.", resource=model.resource, field=label) from None


async def post_web_sched(call: Call) -> Reply:
    Params(call.query, call.ctx)
    body = _read(json_body(call))
    nums = {k: number(body[k], k) for k in ("PatNum", "ProvNum", "OpNum")}
    start, end = _time(call, body, "DateTimeStart"), _time(call, body, "DateTimeEnd")
    if end <= start:
        raise Invalid.field("DateTimeEnd", "DateTimeEnd must be after DateTimeStart.")
    patient = await _exists(call, Patient, nums["PatNum"], "Patient")
    await _exists(call, Provider, nums["ProvNum"], "Provider")
    op = await _exists(call, Operatory, nums["OpNum"], "Operatory")
    assert isinstance(patient, Patient) and isinstance(op, Operatory)
    web = await web_sched_type(call, body["defNumApptType"], False)
    day = start.astimezone(call.ctx.tz).date()
    wanted = (start, end, nums["ProvNum"], nums["OpNum"])
    if wanted not in await web_sched_slots(call, web, day, day):
        raise Invalid("That time slot is not an open Web Sched slot for this appointment type.")
    ops = await rooms(call)
    confirms = await confirmations(call)
    named = next((d for d in confirms.defs if d.name == CONFIRMED_NAME), None)
    confirmation = Ref(uuid=named.uuid, num=named.num) if named else confirms.first
    patch: dict[str, Any] = {
        "patient": Ref(uuid=patient.uuid, num=patient.num),
        "provider": Ref(num=nums["ProvNum"]),
        "operatory": Ref(uuid=op.uuid, num=op.num),
        "clinic": op.clinic or patient.location,
        "status": AppointmentStatus.scheduled,
        "starts_at": start,
        "pattern": web.pattern,
        "pattern_secondary": "/" * len(web.pattern),
        "duration_minutes": len(web.pattern) * 5,
        "confirmation": confirmation,
        "note": f"Appointment Reason: {web.definition.name}",
        "is_new_patient": web.is_new_patient,
        "online_booking": KINDS[web.definition.category],
        "appointment_type": web.kind.num,
        "color": web.kind.color,
    }
    patch.update(await call.backend.resolve(Appointment, {"provider": patch["provider"]}))
    place(patch, None, ops)
    async with call.backend.atomic():
        held = await for_type(call, web.kind, patient.num or 0, planned=False)
        patch["procedure_description"] = held.descript
        draft = Appointment.model_validate(patch)
        await check_overlap(call, draft, ops)
        record = await call.backend.create(draft)
        assert isinstance(record, Appointment)
        await attach(call, held, record, planned=False)
    shown_ = await render_as(call, [record], PUT_FIELDS)
    return created(call, shown_[0], f"/appointments/{record.num}")


ENDPOINTS = [
    Endpoint("GET", "/appointments/SlotsWebSched", get_slots_web_sched, "appointment"),
    Endpoint("POST", "/appointments/WebSched", post_web_sched, "appointment"),
]
