"""Open Dental ProcedureLogs (seed 002; reference/opendental/apiprocedurelogs.md):
GET one, GET many, POST, PUT and DELETE. Insurance history and group notes
live in :mod:`.insurance_history` and :mod:`.group_notes`; the field map and
value shapes in :mod:`.procedure_codec`; treatment-area rules in
:mod:`.procedure_rules`.

Decisions where the documents are silent or contradict themselves:

- GET many also takes ``ProcStatus``, ``PlannedAptNum`` and ``CodeNum`` (the
  full reference page). ``AptNum=0``, ``PlannedAptNum=0`` and ``ClinicNum=0``
  select procedures with no appointment / planned appointment / clinic.
  ``DateTStamp`` is inclusive ("altered on or after") and combines with the
  other filters.
- POST: fields other than the documented ones are a 400 naming them, except
  ``ProcNum``, ``provAbbr``, ``CodeNum`` and ``descript``, which are silently
  ignored as documented. An empty ``ToothNum``/``Surf``/``ToothRange`` counts
  as not given. A location field the code's treatment area does not use is a
  400. ``ProcFee`` defaults to the code's default fee (no insurance fee
  schedules are kept). ``Priority`` and ``Dx`` default to the first visible
  definition of their category; an explicit ``0`` means none. ``ClinicNum``
  defaults to the patient's clinic; an explicit ``0`` means none. The
  provider defaults to the appointment's provider, else the patient's primary
  provider, else the first visible provider. ``AptNum`` must be the patient's
  appointment; ``PlannedAptNum`` the patient's planned appointment.
  ``BaseUnits`` come from the code, ``UnitQty`` is 1. The group note code
  ``~GRP~`` is refused (group notes have their own endpoints).
- PUT takes the documented fields only (``priority``/``dxName`` are a 400).
  On a procedure with ProcStatus C, giving ``procCode``, ``ToothNum``,
  ``Surf`` or ``ToothRange`` with a different value than stored is a 400; the
  same value is accepted (nothing changes), and a location value repeated as
  stored is not checked again. When ``procCode`` changes, the
  procedure must then have every location field the new code requires.
  Deleted (D) and group note procedures cannot be changed here.
- DELETE keeps the row, as Open Dental does: ProcStatus becomes D and the
  procedure leaves its appointment and planned appointment. It stays
  readable, and a ``DateTStamp`` sync sees the change. Only TP, TPi and C
  procedures can be deleted, and not while anything in ``attached_to``
  (claims, payments, adjustments, prescriptions, payment plans, referrals,
  ortho cases, the last procedure of a preauthorization) holds on to it.
  DELETE answers 200 with an empty body.
"""

from __future__ import annotations

from typing import Any

from canonical import (
    Appointment,
    Cond,
    DefinitionCategory,
    Invalid,
    NotFound,
    Patient,
    Procedure,
    ProcedureCode,
    ProcedureStatus,
    Query,
)
from canonical.references import AppointmentStatus
from dialects.base import Call, Endpoint, Reply
from dialects.codec import merge_patch
from dialects.opendental import common
from dialects.opendental import procedure_codec as pc
from dialects.opendental.procedure_codec import CODEC
from dialects.opendental.procedure_rules import (
    AREA_NAMES,
    LOCATION_FIELDS,
    check_locations,
    missing_locations,
)

__all__ = ["CODEC", "CODECS", "ENDPOINTS"]

POST_FIELDS = (
    "PatNum",
    "ProcDate",
    "ProcStatus",
    "procCode",
    "AptNum",
    "ProcFee",
    "Surf",
    "ToothNum",
    "ToothRange",
    "Priority",
    "priority",
    "ProvNum",
    "Dx",
    "dxName",
    "PlannedAptNum",
    "ClinicNum",
)
IGNORED_ON_POST = ("ProcNum", "provAbbr", "CodeNum", "descript")
""""Attempts to set them will be silently ignored"."""

PUT_FIELDS = (
    "AptNum",
    "ProcDate",
    "ProcFee",
    "Priority",
    "ProcStatus",
    "ProvNum",
    "Dx",
    "PlannedAptNum",
    "ClinicNum",
    "procCode",
    "ToothNum",
    "Surf",
    "ToothRange",
)
LOCKED_WHEN_COMPLETE = ("procCode", "ToothNum", "Surf", "ToothRange")

DELETABLE = (
    ProcedureStatus.treatment_planned,
    ProcedureStatus.treatment_planned_inactive,
    ProcedureStatus.complete,
)

ATTACHMENT_TEXT = {
    "claim": "a claim",
    "insurance_payment": "an insurance payment",
    "patient_payment": "a patient payment",
    "adjustment": "an adjustment",
    "prescription": "a prescription",
    "payment_plan": "a payment plan",
    "referral": "a referral",
    "ortho_case": "an ortho case",
    "last_of_preauthorization": "a preauthorization claim as its last procedure",
}

GET_MANY_FILTERS = {
    "PatNum": "patient",
    "AptNum": "appointment",
    "PlannedAptNum": "planned_appointment",
    "ClinicNum": "clinic",
    "CodeNum": "code",
}
"""Integer query parameters -> the reference they select on (0 selects none)."""


# -- GET ----------------------------------------------------------------------------


async def get_one(call: Call) -> Reply:
    common.query_params(call, ())
    record = await common.get_or_404(call, Procedure, call.path_params["ProcNum"], "ProcNum")
    return Reply(200, await pc.render(call, record))


async def get_many(call: Call) -> Reply:
    params = common.query_params(call, (*GET_MANY_FILTERS, "ProcStatus", "DateTStamp"))
    query = common.page_query(Query(), params)
    pat_num = common.int_param(params, "PatNum")
    if pat_num is not None:
        await common.must_exist(call, Patient, pat_num, "Patient")
    for name, field in GET_MANY_FILTERS.items():
        num = common.int_param(params, name)
        if num is not None:
            query.where.append(Cond(field, "eq", num or None))
    status = params.get("ProcStatus")
    if status:
        try:
            query.where.append(Cond("status", "eq", pc.STATUSES.from_wire(status, call.ctx)))
        except ValueError as exc:
            raise Invalid.field("ProcStatus", f"ProcStatus {exc}.") from None
    stamp = common.datetime_param(call, params, "DateTStamp")
    if stamp is not None:
        query.where.append(Cond("updated_at", "ge", stamp))
    page = await call.backend.find(Procedure, query)
    return Reply(200, await common.render_many(call, CODEC, page.items))


# -- POST ---------------------------------------------------------------------------


def _locations(body: dict[str, Any]) -> dict[str, str]:
    """The location fields given with a value ("" counts as not given)."""
    return {w: v for w, v in body.items() if w in LOCATION_FIELDS and isinstance(v, str) and v}


async def post(call: Call) -> Reply:
    common.query_params(call, ())
    body = {k: v for k, v in common.json_body(call).items() if k not in IGNORED_ON_POST}
    common.only(body, POST_FIELDS)
    pc.exclusive(body, ("Priority", "priority"), ("Dx", "dxName"))
    common.require(body, "PatNum", "ProcDate", "ProcStatus", "procCode")
    patch = CODEC.decode(body, call.ctx)
    if patch.get("procedure_date") is None:
        raise Invalid.field("ProcDate", "ProcDate is required.")
    if patch.get("code") is None:
        raise Invalid.field("procCode", "procCode is required.")
    if patch["status"] not in pc.WRITABLE_STATUSES:
        raise Invalid.field("ProcStatus", "ProcStatus must be TP, C or EO.")
    if patch.get("patient") is None:
        raise NotFound("Patient not found.", resource="patient", field="PatNum")
    patch = await pc.resolve(call, patch)
    patient = await call.backend.get(Patient, num=patch["patient"].num)
    code = await pc.code_of(call, patch["code"])
    if pc.is_group_note(code):
        raise Invalid.field("procCode", "procCode ~GRP~ is for group notes; use POST GroupNote.")
    locations = _locations(body)
    check_locations(code, locations)
    missing_locations(code, locations)
    appointment = await _check_appointments(call, patch, patient)
    await _defaults(call, patch, patient, code, appointment)
    record = await call.backend.create(merge_patch(None, Procedure, patch))
    return common.created(
        call, await pc.render_written(call, record), f"/procedurelogs/{record.num}"
    )


async def _check_appointments(
    call: Call, patch: dict[str, Any], patient: Patient
) -> Appointment | None:
    """``AptNum`` must be one of the patient's appointments, ``PlannedAptNum`` one
    of the patient's planned appointments."""
    appointment = None
    if patch.get("appointment") is not None:
        appointment = await call.backend.get(Appointment, num=patch["appointment"].num)
        if appointment.patient is None or appointment.patient.num != patient.num:
            raise Invalid.field("AptNum", "AptNum is an appointment of another patient.")
    if patch.get("planned_appointment") is not None:
        planned = await call.backend.get(Appointment, num=patch["planned_appointment"].num)
        if planned.patient is None or planned.patient.num != patient.num:
            raise Invalid.field(
                "PlannedAptNum", "PlannedAptNum is an appointment of another patient."
            )
        if planned.status is not AppointmentStatus.planned:
            raise Invalid.field("PlannedAptNum", "PlannedAptNum must be a planned appointment.")
    return appointment


async def _defaults(
    call: Call,
    patch: dict[str, Any],
    patient: Patient,
    code: ProcedureCode,
    appointment: Appointment | None,
) -> None:
    patch.setdefault("fee", code.default_fee)
    patch["base_units"] = code.base_units
    patch["unit_qty"] = 1
    if patch.get("provider") is None:
        patch["provider"] = await pc.default_provider(call, patient, appointment)
    if "clinic" not in patch:
        patch["clinic"] = patient.location
    if "priority" not in patch:
        patch["priority"] = await pc.first_definition(call, DefinitionCategory.treatment_priority)
    if "diagnosis" not in patch:
        patch["diagnosis"] = await pc.first_definition(call, DefinitionCategory.diagnosis)


# -- PUT ----------------------------------------------------------------------------


async def put(call: Call) -> Reply:
    common.query_params(call, ())
    record = await common.get_or_404(call, Procedure, call.path_params["ProcNum"], "ProcNum")
    assert isinstance(record, Procedure)
    body = common.json_body(call)
    common.only(body, PUT_FIELDS, "updated")
    # "Attempting to pass in empty strings for ToothNum, Surf, and ToothRange will be
    # silently ignored."
    body = {k: v for k, v in body.items() if not (k in LOCATION_FIELDS and v == "")}
    patch = CODEC.decode(body, call.ctx)
    if record.status is ProcedureStatus.deleted:
        raise Invalid("A deleted procedure cannot be updated.")
    current = await pc.code_of(call, record.code)
    if pc.is_group_note(current):
        raise Invalid("Group note procedures are updated with PUT GroupNote.")
    if "status" in patch and patch["status"] not in pc.WRITABLE_STATUSES:
        raise Invalid.field("ProcStatus", "ProcStatus must be TP, C or EO.")
    if "procedure_date" in patch and patch["procedure_date"] is None:
        raise Invalid.field("ProcDate", "ProcDate must be a date.")
    if "code" in patch and patch["code"] is None:
        raise Invalid.field("procCode", "procCode must name a procedure code.")
    patch = await pc.resolve(call, patch)
    code = await pc.code_of(call, patch["code"]) if "code" in patch else current
    _check_locked(record, current, code, body)
    if code.num != current.num:
        if pc.is_group_note(code):
            raise Invalid.field("procCode", "procCode ~GRP~ is for group notes.")
        if code.treatment_area is not current.treatment_area:
            message = (
                f"procCode {code.code} has treatment area {AREA_NAMES[code.treatment_area]}; "
                f"it must match {AREA_NAMES[current.treatment_area]} of {current.code}."
            )
            raise Invalid.field("procCode", message)
    # Values repeated as stored are not checked again (documents print Mouth codes with a tooth).
    check_locations(
        code,
        {
            w: v
            for w, v in _locations(body).items()
            if code.num != current.num or v != getattr(record, LOCATION_FIELDS[w])
        },
    )
    updated = merge_patch(record, Procedure, patch)
    assert isinstance(updated, Procedure)
    if code.num != current.num:
        missing_locations(code, {w: getattr(updated, f) for w, f in LOCATION_FIELDS.items()})
    patient = await call.backend.get(Patient, num=record.patient.num)
    await _check_appointments(call, patch, patient)
    stored = await call.backend.update(updated)
    return Reply(200, await pc.render_written(call, stored))


def _check_locked(
    record: Procedure, current: ProcedureCode, code: ProcedureCode, body: dict[str, Any]
) -> None:
    """procCode and the location fields "cannot be updated on procedures with a
    ProcStatus of C"; repeating the stored value is not an update."""
    if record.status is not ProcedureStatus.complete:
        return
    stored = {
        "procCode": current.code,
        **{w: getattr(record, f) for w, f in LOCATION_FIELDS.items()},
    }
    given = {"procCode": code.code, **{w: body[w] for w in LOCATION_FIELDS if w in body}}
    errors = {
        w: f"{w} cannot be updated on a procedure with a ProcStatus of C."
        for w in LOCKED_WHEN_COMPLETE
        if w in body and given[w] != stored[w]
    }
    if errors:
        raise Invalid(" ".join(errors.values()), errors)


# -- DELETE -------------------------------------------------------------------------


async def delete(call: Call) -> Reply:
    common.query_params(call, ())
    record = await common.get_or_404(call, Procedure, call.path_params["ProcNum"], "ProcNum")
    assert isinstance(record, Procedure)
    if record.status not in DELETABLE:
        status = pc.STATUSES.reverse[record.status]
        raise Invalid(
            f"Procedures with a ProcStatus of {status} cannot be deleted; "
            "only TP, TPi or C procedures can."
        )
    if record.attached_to:
        what = ATTACHMENT_TEXT[record.attached_to[0].value]
        raise Invalid(f"The procedure cannot be deleted because it is attached to {what}.")
    await pc.mark_deleted(call, record)
    return Reply(200, None)


ENDPOINTS = [
    Endpoint("GET", "/procedurelogs/{ProcNum}", get_one, "procedure"),
    Endpoint("GET", "/procedurelogs", get_many, "procedure"),
    Endpoint("POST", "/procedurelogs", post, "procedure"),
    Endpoint("PUT", "/procedurelogs/{ProcNum}", put, "procedure"),
    Endpoint("DELETE", "/procedurelogs/{ProcNum}", delete, "procedure"),
]
CODECS = {"procedure": CODEC}
