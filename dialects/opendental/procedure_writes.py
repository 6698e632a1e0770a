"""The rules of ProcedureLogs POST and PUT (seed 002;
reference/opendental/apiprocedurelogs.md) beyond the field map: what the
code's treatment area asks of the location fields (:mod:`.procedure_rules`),
the appointments, the defaults, and what a complete procedure keeps.

Decisions where the documents are silent or contradict themselves:

- POST: ``ProcNum``, ``provAbbr``, ``CodeNum`` and ``descript`` are silently
  ignored, as documented. An empty ``ToothNum``/``Surf``/``ToothRange`` counts
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
- PUT: empty location strings are "silently ignored". On a procedure with
  ProcStatus C, giving ``procCode``, ``ToothNum``, ``Surf`` or ``ToothRange``
  with a different value than stored is a 400; the same value is accepted
  (nothing changes), and a location value repeated as stored is not checked
  again. When ``procCode`` changes, the procedure must then have every
  location field the new code requires. Deleted (D) and group note
  procedures cannot be changed here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from canonical import (
    Appointment,
    DefinitionCategory,
    Invalid,
    NotFound,
    Patient,
    Procedure,
    ProcedureCode,
    ProcedureStatus,
    Record,
)
from canonical.references import AppointmentStatus
from dialects.base import Call
from dialects.codec import merge_patch
from dialects.opendental import procedure_codec as pc
from dialects.opendental.procedure_rules import (
    AREA_NAMES,
    LOCATION_FIELDS,
    check_locations,
    missing_locations,
)

__all__ = ["ignored", "rules"]

IGNORED_ON_POST = ("ProcNum", "provAbbr", "CodeNum", "descript")
""""Attempts to set them will be silently ignored"."""

LOCKED_WHEN_COMPLETE = ("procCode", "ToothNum", "Surf", "ToothRange")


def ignored(body: dict[str, Any], method: str) -> dict[str, Any]:
    """The body without what the method silently ignores: POST the server's
    fields; PUT empty ``ToothNum``, ``Surf`` and ``ToothRange`` ("Attempting to
    pass in empty strings ... will be silently ignored")."""
    if method == "POST":
        return {k: v for k, v in body.items() if k not in IGNORED_ON_POST}
    return {k: v for k, v in body.items() if not (k in LOCATION_FIELDS and v == "")}


def _locations(body: Mapping[str, Any]) -> dict[str, str]:
    """The location fields given with a value ("" counts as not given)."""
    return {w: v for w, v in body.items() if w in LOCATION_FIELDS and isinstance(v, str) and v}


async def rules(
    call: Call, body: Mapping[str, Any], patch: dict[str, Any], record: Record | None
) -> None:
    """Check and complete a decoded POST (``record`` ``None``) or PUT patch;
    its references are resolved here, in :data:`.procedure_codec.RESOLVE_ORDER`."""
    if record is None:
        await _created(call, body, patch)
    else:
        assert isinstance(record, Procedure)
        await _changed(call, body, patch, record)


# -- POST -------------------------------------------------------------------------------


async def _created(call: Call, body: Mapping[str, Any], patch: dict[str, Any]) -> None:
    if patch.get("procedure_date") is None:
        raise Invalid.field("ProcDate", "ProcDate is required.")
    if patch.get("code") is None:
        raise Invalid.field("procCode", "procCode is required.")
    if patch["status"] not in pc.WRITABLE_STATUSES:
        raise Invalid.field("ProcStatus", "ProcStatus must be TP, C or EO.")
    if patch.get("patient") is None:
        raise NotFound("Patient not found.", resource="patient", field="PatNum")
    patch.update(await pc.resolve(call, patch))
    patient = await call.backend.get(Patient, num=patch["patient"].num)
    code = await pc.code_of(call, patch["code"])
    if pc.is_group_note(code):
        raise Invalid.field("procCode", "procCode ~GRP~ is for group notes; use POST GroupNote.")
    locations = _locations(body)
    check_locations(code, locations)
    missing_locations(code, locations)
    appointment = await _check_appointments(call, patch, patient)
    await _defaults(call, patch, patient, code, appointment)


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


# -- PUT --------------------------------------------------------------------------------


async def _changed(
    call: Call, body: Mapping[str, Any], patch: dict[str, Any], record: Procedure
) -> None:
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
    patch.update(await pc.resolve(call, patch))
    code = await pc.code_of(call, patch["code"]) if "code" in patch else current
    _check_locked(record, current, code, body)
    if code.num != current.num:
        _check_new_code(current, code)
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
    if code.num != current.num:
        missing_locations(code, {w: getattr(updated, f) for w, f in LOCATION_FIELDS.items()})
    patient = await call.backend.get(Patient, num=record.patient.num)
    await _check_appointments(call, patch, patient)


def _check_new_code(current: ProcedureCode, code: ProcedureCode) -> None:
    if pc.is_group_note(code):
        raise Invalid.field("procCode", "procCode ~GRP~ is for group notes.")
    if code.treatment_area is not current.treatment_area:
        message = (
            f"procCode {code.code} has treatment area {AREA_NAMES[code.treatment_area]}; "
            f"it must match {AREA_NAMES[current.treatment_area]} of {current.code}."
        )
        raise Invalid.field("procCode", message)


def _check_locked(
    record: Procedure, current: ProcedureCode, code: ProcedureCode, body: Mapping[str, Any]
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
