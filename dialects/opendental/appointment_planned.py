"""Appointments POST Planned and POST SchedulePlanned
(reference/opendental/apiappointments.md). Both answer 201 with the new
appointment in POST's shape (no ``serverDateTime``) and a ``Location``.

Decisions where the page is silent:

- POST Planned: ``AppointmentTypeNum`` (not 0) and ``procNums`` together are
  a 400, as the page offers "either" one; neither is a planned appointment
  holding no procedures, with the default pattern (the gateway keeps no
  ApptsRequireProc preference). The type's procedures, pattern and colour
  are applied as :mod:`.appointment_procs` says; ``procNums`` must each be a
  treatment-planned procedure of the patient (unknown: 404 "ProcNum n not
  found."; another patient's or not TP: 400), and one already on another
  planned appointment moves to this one. A planned appointment has no date
  and no operatory; ``ItemOrderPlanned`` is one after the patient's last.
  References are checked in the order patient, providers, clinic,
  Confirmed, then the type or the procedures.
- POST SchedulePlanned: the new appointment is a copy of the planned one
  (pattern, procedures' description, clinic, type, colour, priority,
  ``ItemOrderPlanned``) with ``NextAptNum`` naming it, booked at
  ``AptDateTime`` with ``ProvNum`` in ``Op`` as POST books one (the room an
  operatory is, the overlap check). The planned appointment's procedures
  that are neither complete nor deleted, and on no other appointment, are
  attached to the new one (``AptNum``); they stay on the planned one too.
  An AptNum that is not Planned is a 400; an unknown one a 404.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from canonical import (
    Appointment,
    AppointmentStatus,
    Cond,
    Invalid,
    NotFound,
    Patient,
    Procedure,
    ProcedureStatus,
    Query,
    Record,
)
from dialects.base import Call, Endpoint, Reply
from dialects.codec import Codec, merge_patch
from dialects.limits import value_problem
from dialects.opendental import procedure_codec as pc
from dialects.opendental.appointment_codec import LABELS, POST_FIELDS, ROWS
from dialects.opendental.appointment_procs import (
    Attached,
    appointment_type,
    attach,
    code_of,
    for_type,
    number,
    of_planned,
    ref_of,
    type_patch,
)
from dialects.opendental.appointment_view import confirmations, rooms
from dialects.opendental.appointment_writes import check_overlap, place, resolve
from dialects.opendental.appointments import render_as
from dialects.opendental.bodies import exclusive, json_body, only, require
from dialects.opendental.formats import parse_int
from dialects.opendental.params import Params
from dialects.opendental.resource import created

__all__ = ["ENDPOINTS", "PLANNED_CODEC", "SCHEDULE_CODEC", "post_codec"]

_BY_WIRE = {f.wire: f for f in ROWS}


def post_codec(accepted: tuple[str, ...], required: tuple[str, ...] = ()) -> Codec:
    """The appointment field map of one POST action: the rows of ``accepted``,
    taken on POST, ``required`` ones required, in the order given."""
    rows = [
        replace(_BY_WIRE[w], accepts="POST", required="POST" if w in required else "")
        for w in accepted
    ]
    return Codec("opendental", Appointment, rows, ref_labels=LABELS)


PLANNED_CODEC = post_codec(
    (
        "PatNum",
        "AppointmentTypeNum",
        "Pattern",
        "Confirmed",
        "Note",
        "ProvNum",
        "ProvHyg",
        "ClinicNum",
        "IsHygiene",
        "IsNewPatient",
        "Priority",
        "PatternSecondary",
    ),
    required=("PatNum",),
)
"""POST Planned's keys, beside ``procNums`` (a list no canonical field holds)."""

SCHEDULE_CODEC = post_codec(
    ("AptDateTime", "ProvNum", "Op", "Confirmed", "Note"), required=("AptDateTime", "ProvNum", "Op")
)
"""POST SchedulePlanned's keys, beside ``AptNum`` (the planned appointment)."""


def _proc_nums(raw: Any) -> list[int]:
    """``procNums`` in [1,2,3] format; repeats "silently ignored"."""
    message = "procNums must be an array of ProcNums in [1,2,3] format."
    if not isinstance(raw, list):
        raise Invalid.field("procNums", message)
    try:
        nums = [parse_int(n) for n in raw]
    except ValueError:
        raise Invalid.field("procNums", message) from None
    if any(value_problem(n) for n in nums):
        raise Invalid.field("procNums", f"{message[:-1]}, each a 64-bit integer.")
    return list(dict.fromkeys(nums))


async def _listed(call: Call, nums: list[int], patient: int) -> Attached:
    held = Attached()
    for num in nums:
        try:
            proc = await call.backend.get(Procedure, num=num)
        except NotFound:
            raise NotFound(f"ProcNum {num} not found.", resource="procedure") from None
        assert isinstance(proc, Procedure)
        problem = None
        if proc.patient.num != patient:
            problem = f"ProcNum {num} is a procedure of another patient."
        elif proc.status is not ProcedureStatus.treatment_planned:
            problem = f"ProcNum {num} is not treatment planned (TP)."
        if problem:  # the message names the procedure; the key is procNums
            raise Invalid(problem, {"procNums": problem})
        held.items.append((await code_of(call, proc.code), proc))
    return held


def _secondary(patch: dict[str, Any]) -> None:
    pattern = patch["pattern"]
    if "pattern_secondary" not in patch:
        patch["pattern_secondary"] = "/" * len(pattern)
    elif len(patch["pattern_secondary"]) != len(pattern):
        raise Invalid.field(
            "PatternSecondary", "PatternSecondary must be the same length as Pattern."
        )
    patch["duration_minutes"] = len(pattern) * 5


async def _next_order(call: Call, patient: int) -> int:
    query = Query(
        where=[Cond("patient", "eq", patient), Cond("status", "eq", AppointmentStatus.planned)]
    )
    found = (await call.backend.find(Appointment, query)).items
    return 1 + max((a.planned_order for a in found if isinstance(a, Appointment)), default=0)


async def post_planned(call: Call) -> Reply:
    Params(call.query, call.ctx)
    body = json_body(call)
    only(body, (*PLANNED_CODEC.accepted("POST"), "procNums"))
    require(body, PLANNED_CODEC.required("POST"))
    patch = PLANNED_CODEC.decode({k: v for k, v in body.items() if k != "procNums"}, call.ctx)
    if patch.get("appointment_type"):
        exclusive(body, (("AppointmentTypeNum", "procNums"),))
    nums = _proc_nums(body["procNums"]) if "procNums" in body else []
    if patch.get("patient") is None:
        raise Invalid.field("PatNum", "PatNum is required.")  # PatNum 0: no patient
    if patch.get("pattern") == "":
        raise Invalid.field("Pattern", "Pattern must not be empty.")
    await resolve(call, patch)
    patient = await call.backend.get(Patient, num=patch["patient"].num)
    assert isinstance(patient, Patient)
    async with call.backend.atomic():
        kind = None
        if patch.get("appointment_type"):
            kind = await appointment_type(call, patch["appointment_type"])
            held = await for_type(call, kind, patient.num or 0, planned=True)
        else:
            held = await _listed(call, nums, patient.num or 0)
        if patch.get("provider") is None:
            patch["provider"] = await pc.default_provider(call, patient)
        if patch.get("confirmation") is None:
            patch["confirmation"] = (await confirmations(call)).first
        patch.setdefault("clinic", patient.location)
        patch.update(type_patch(kind, held, body))
        patch.setdefault("pattern", held.pattern)  # the default when nothing gives one
        _secondary(patch)
        patch.update(
            status=AppointmentStatus.planned,
            planned_order=await _next_order(call, patient.num or 0),
        )
        record = await call.backend.create(merge_patch(None, Appointment, patch))
        assert isinstance(record, Appointment)
        await attach(call, held, record, planned=True)
    shown = await render_as(call, [record], POST_FIELDS)
    return created(call, shown[0], f"/appointments/{record.num}")


async def _planned(call: Call, raw: Any) -> Appointment:
    num = number(raw, "AptNum")
    try:
        planned = await call.backend.get(Appointment, num=num)
    except NotFound:
        raise NotFound("Appointment not found.", resource="appointment") from None
    assert isinstance(planned, Appointment)
    if planned.status is not AppointmentStatus.planned:
        raise Invalid.field("AptNum", "AptNum must be an appointment with an AptStatus of Planned.")
    return planned


COPIED_OUT = (*Record.model_fields, "status_history", "operatory", "exam_room")
"""What a scheduled copy of a planned appointment does not take from it."""


async def post_schedule_planned(call: Call) -> Reply:
    Params(call.query, call.ctx)
    body = json_body(call)
    only(body, ("AptNum", *SCHEDULE_CODEC.accepted("POST")))
    require(body, ("AptNum", *SCHEDULE_CODEC.required("POST")))
    patch = SCHEDULE_CODEC.decode({k: v for k, v in body.items() if k != "AptNum"}, call.ctx)
    if patch["starts_at"] is None:
        raise Invalid.field("AptDateTime", "AptDateTime must be a date and time.")
    for key, wire in (("provider", "ProvNum"), ("operatory", "Op")):
        if patch.get(key) is None:
            raise Invalid.field(wire, f"{wire} is required.")  # 0: none given
    planned = await _planned(call, body["AptNum"])
    await resolve(call, patch)
    ops = await rooms(call)
    copied = planned.model_dump(exclude=set(COPIED_OUT))
    copied.update(
        status=AppointmentStatus.scheduled,
        planned_appointment=ref_of(planned),
        extensions=planned.extensions,
    )
    patch = {**copied, **patch, "clinic": planned.clinic}
    place(patch, None, ops)
    async with call.backend.atomic():
        draft = merge_patch(None, Appointment, patch)
        assert isinstance(draft, Appointment)
        await check_overlap(call, draft, ops)
        record = await call.backend.create(draft)
        assert isinstance(record, Appointment)
        for proc in await of_planned(call, planned):
            if proc.appointment is None:
                await call.backend.update(proc.model_copy(update={"appointment": ref_of(record)}))
    shown = await render_as(call, [record], POST_FIELDS)
    return created(call, shown[0], f"/appointments/{record.num}")


ENDPOINTS = [
    Endpoint("POST", "/appointments/Planned", post_planned, "appointment"),
    Endpoint("POST", "/appointments/SchedulePlanned", post_schedule_planned, "appointment"),
]
