"""Appointments PUT Break, PUT Note and PUT Confirm
(reference/opendental/apiappointments.md). Each answers 200 with no body.

Decisions where the page is silent:

- Break: an appointment "can be broken" when its AptStatus shows Scheduled
  (DrChrono's arrived, confirmed, ... included); otherwise a 400.
  ``sendToUnscheduledList`` "true" puts it on the Unscheduled List
  (UnschedList); "false" leaves it on the book as Broken, and DrChrono sees
  it as ``No Show`` (``breakType`` Missed) or ``Cancelled`` (Cancelled) or
  ``No Show`` (none). ``breakType`` adds a complete procedure D9986 (Missed)
  or D9987 (Cancelled) for the patient, dated today, at the code's fee, by
  the appointment's provider; an office whose codes lack it has not set a
  broken appointment procedure type, which is a 400. No commlog is made (the
  gateway keeps no "make a commlog" preference).
- Note: appended after "\\r\\n" when the note is not empty; the note must be
  a string.
- Confirm: exactly one of ``confirmVal`` and ``defNum``. ``confirmVal`` sets
  the Appt Confirmed definition whose ItemValue it is (:mod:`.appointment_view`);
  one the office has not set up is a 400. Only 200 and 400 are documented,
  so an unknown AptNum or defNum is a 400 too. Setting the "Confirmed"
  definition makes DrChrono see ``Confirmed``; setting another on a
  DrChrono-confirmed appointment makes it ``Not Confirmed``.
"""

from __future__ import annotations

from typing import Any

from canonical import (
    Appointment,
    AppointmentStatus,
    Cond,
    Definition,
    DefinitionCategory,
    Invalid,
    NotFound,
    Procedure,
    ProcedureCode,
    ProcedureStatus,
    Query,
    Ref,
)
from dialects.base import Call, Endpoint, Reply
from dialects.opendental import appointment_codec as ac
from dialects.opendental.appointment_view import CONFIRM_VALUES, confirm_status, confirmations
from dialects.opendental.bodies import exclusive, json_body, only, require
from dialects.opendental.formats import Bool, parse_int
from dialects.opendental.params import Params
from dialects.opendental.records import get_or_404

__all__ = ["ENDPOINTS"]

BREAK_CODES = {"Missed": "D9986", "Cancelled": "D9987"}
BROKEN_AS = {
    "Missed": AppointmentStatus.no_show,
    "Cancelled": AppointmentStatus.cancelled,
    None: AppointmentStatus.broken,
}


async def _appointment(call: Call) -> Appointment:
    Params(call.query, call.ctx)
    record = await get_or_404(call, Appointment, call.path_params["AptNum"], "AptNum")
    assert isinstance(record, Appointment)
    return record


async def put_break(call: Call) -> Reply:
    record = await _appointment(call)
    body = json_body(call)
    only(body, ("sendToUnscheduledList", "breakType"), "PUT")
    require(body, ("sendToUnscheduledList",))
    try:
        to_list = Bool().from_wire(body["sendToUnscheduledList"], call.ctx)
    except ValueError:
        raise Invalid.field(
            "sendToUnscheduledList", 'sendToUnscheduledList must be "true" or "false".'
        ) from None
    kind = body.get("breakType")
    if kind is not None and kind not in BREAK_CODES:
        raise Invalid.field("breakType", 'breakType must be "Missed" or "Cancelled".')
    if ac.STATUSES.to_wire(record.status, call.ctx) != "Scheduled":
        raise Invalid("Only appointments with an AptStatus of Scheduled can be broken.")
    code = None if kind is None else await _break_code(call, BREAK_CODES[kind])
    status = AppointmentStatus.unscheduled_list if to_list else BROKEN_AS[kind]
    async with call.backend.atomic():
        await call.backend.update(record.model_copy(update={"status": status}))
        if code is not None and record.patient is not None:
            await call.backend.create(
                Procedure(
                    patient=record.patient,
                    code=Ref(uuid=code.uuid, num=code.num),
                    status=ProcedureStatus.complete,
                    procedure_date=call.ctx.now.astimezone(call.ctx.tz).date(),
                    fee=code.default_fee,
                    provider=record.provider,
                    clinic=record.clinic,
                    base_units=code.base_units,
                )
            )
    return Reply(200, None)


async def _break_code(call: Call, code: str) -> ProcedureCode:
    found = (await call.backend.find(ProcedureCode, Query(where=[Cond("code", "eq", code)]))).items
    if not found or not isinstance(found[0], ProcedureCode):
        raise Invalid.field(
            "breakType",
            f"breakType cannot be used: the office has no broken appointment procedure ({code}).",
        )
    return found[0]


async def put_note(call: Call) -> Reply:
    record = await _appointment(call)
    body = json_body(call)
    only(body, ("Note",), "PUT")
    require(body, ("Note",))
    if not isinstance(body["Note"], str):
        raise Invalid.field("Note", "Note must be a string.")
    note = f"{record.note}\r\n{body['Note']}" if record.note else body["Note"]
    await call.backend.update(record.model_copy(update={"note": note}))
    return Reply(200, None)


async def put_confirm(call: Call) -> Reply:
    try:
        record = await _appointment(call)
    except NotFound as exc:
        raise Invalid(str(exc)) from None  # Confirm documents 400 only
    body = json_body(call)
    only(body, ("confirmVal", "defNum"), "PUT")
    exclusive(body, (("confirmVal", "defNum"),))
    if not body:
        raise Invalid("confirmVal or defNum is required.", {"confirmVal": "required"})
    confirms = await confirmations(call)
    if "confirmVal" in body:
        value = body["confirmVal"]
        if value not in CONFIRM_VALUES:
            allowed = ", ".join(f'"{v}"' for v in CONFIRM_VALUES)
            raise Invalid.field("confirmVal", f"confirmVal must be one of {allowed}.")
        target = confirms.named(value)
        if target is None:
            raise Invalid.field(
                "confirmVal", f'confirmVal "{value}" is not set up in Definitions > Appt Confirmed.'
            )
    else:
        target = await _confirm_def(call, body["defNum"])
    status = confirm_status(record, target, confirms)
    await call.backend.update(record.model_copy(update={"confirmation": target, "status": status}))
    return Reply(200, None)


async def _confirm_def(call: Call, raw: Any) -> Ref:
    try:
        num = parse_int(raw)
    except ValueError:
        raise Invalid.field("defNum", "defNum must be an integer.") from None
    try:
        found = await call.backend.get(Definition, num=num)
    except NotFound:
        found = None
    if not isinstance(found, Definition) or (
        found.category is not DefinitionCategory.appointment_confirmed
    ):
        raise Invalid.field("defNum", "defNum must be a definition of the Appt Confirmed category.")
    return Ref(uuid=found.uuid, num=found.num)


ENDPOINTS = [
    Endpoint("PUT", "/appointments/{AptNum}/Break", put_break, "appointment"),
    Endpoint("PUT", "/appointments/{AptNum}/Note", put_note, "appointment"),
    Endpoint("PUT", "/appointments/{AptNum}/Confirm", put_confirm, "appointment"),
]
