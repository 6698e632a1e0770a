"""Org API patients (seed 003, "Patients"): get, create, PATCH update, archive,
restore and status transitions. Lists live in :mod:`.patient_lists`, bulk
import in :mod:`.patient_bulk`, the duplicate check in
:mod:`.patient_duplicates`; the field map in :mod:`.patient_codec`.

Status lifecycle (as documented): prospective -> active; active -> inactive or
deceased; inactive -> active; deceased is terminal; ``archived`` is reached
only through archive (which also sets ``deleted_at``) and left only through
restore (which clears it and sets ``inactive``). A patient Open Dental calls
NonPatient is shown as inactive and moves as an inactive patient does.
Archived patients cannot be updated or transitioned (404, as for the other
"normal queries" that exclude them) until restored.
"""

from __future__ import annotations

from typing import Any

from canonical import Cond, Conflict, Patient, PatientStatus, Query, Record, utcnow
from dialects.base import Call, Endpoint, Reply
from dialects.orgapi.bodies import json_body
from dialects.orgapi.dialect import ValidationFailed
from dialects.orgapi.inputs import BaseVersion, check, closed_model, one_of
from dialects.orgapi.patient_codec import (
    CODEC,
    DUPLICATES,
    NOT_FOUND,
    STATUSES,
    derived,
    summary,
    wire_status,
)
from dialects.orgapi.patient_duplicates import Signals, find_duplicates
from dialects.orgapi.resource import OrgApiResource

TRANSITIONS: dict[PatientStatus, frozenset[PatientStatus]] = {
    PatientStatus.prospective: frozenset({PatientStatus.active}),
    PatientStatus.active: frozenset({PatientStatus.inactive, PatientStatus.deceased}),
    PatientStatus.inactive: frozenset({PatientStatus.active}),
    PatientStatus.non_patient: frozenset({PatientStatus.active}),
    PatientStatus.deceased: frozenset(),
    PatientStatus.archived: frozenset(),
}
"""Allowed ``transition-status`` moves, from the current canonical status."""


def not_created_archived(patch: dict[str, Any], record: Any) -> None:
    if record is None and patch.get("status") is PatientStatus.archived:
        raise ValidationFailed.one(
            ["body", "status"],
            "A patient cannot be created archived; use the archive endpoint.",
            "value_error",
        )


async def ensure_chart_number_free(call: Call, chart_number: str, num: int | None) -> None:
    """409 when another patient (archived ones included) already has this chart number."""
    if not chart_number.strip():
        return
    query = Query(where=[Cond("chart_number", "eq", chart_number)], limit=2, include_deleted=True)
    for other in (await call.backend.find(Patient, query)).items:
        if other.num != num:
            raise Conflict(f"Chart number {chart_number!r} is already in use.")


async def chart_number_free(call: Call, patch: dict[str, Any], record: Any) -> None:
    if record is None or "chart_number" in patch:
        await ensure_chart_number_free(
            call, patch.get("chart_number", ""), None if record is None else record.num
        )


async def report_duplicates(call: Call, record: Record, body: Any, created: bool) -> Record:
    """A create answers the potential duplicates of the new patient."""
    if created:
        assert isinstance(record, Patient)
        found = await find_duplicates(call, Signals.of(record), exclude=record.num)
        call.ctx.options[DUPLICATES] = {record.num: [summary(call, p) for p in found]}
    return record


PATIENTS = OrgApiResource(
    "/{org_id}/patients",
    CODEC,
    operations=("read", "create", "update"),
    item="patient_uuid",
    missing=NOT_FOUND,
    read_archived=True,
    lenient_nulls=False,
    validate=not_created_archived,
    finish=chart_number_free,
    after=report_duplicates,
    computed=derived,
)


# -- archive, restore and status transitions ---------------------------------------------


async def archive(call: Call) -> Reply:
    record = await PATIENTS.fetch(call)
    assert isinstance(record, Patient)
    if await _dependents(call, record):
        raise ValidationFailed.one(
            ["path", "patient_uuid"],
            "Patient is guarantor for active dependents; reassign them first.",
            "value_error",
        )
    stored = await call.backend.update(
        record.model_copy(update={"status": PatientStatus.archived, "deleted_at": utcnow()})
    )
    return Reply(200, await PATIENTS.show(call, stored))


async def _dependents(call: Call, record: Patient) -> int:
    """Patients (not archived) whose guarantor is ``record``, itself excluded."""
    query = Query(
        where=[Cond("guarantor", "eq", record.num), Cond("num", "ne", record.num)], limit=1
    )
    return len((await call.backend.find(Patient, query)).items)


async def restore(call: Call) -> Reply:
    record = await PATIENTS.fetch(call, include_deleted=True)
    if record.deleted_at is None:
        raise ValidationFailed.one(
            ["path", "patient_uuid"], "Patient is not archived.", "value_error"
        )
    stored = await call.backend.update(
        record.model_copy(update={"status": PatientStatus.inactive, "deleted_at": None})
    )
    return Reply(200, await PATIENTS.show(call, stored))


TRANSITION_IN = closed_model(
    "TransitionStatusIn",
    {"base_version": BaseVersion, "new_status": one_of(tuple(STATUSES.table))},
    ("base_version", "new_status"),
)


def _refused(message: str) -> ValidationFailed:
    return ValidationFailed.one(["body", "new_status"], message, "value_error")


async def transition_status(call: Call) -> Reply:
    record = await PATIENTS.fetch(call)
    assert isinstance(record, Patient)
    body = check(TRANSITION_IN, PATIENTS.given(json_body(call), ()))
    base_version = body["base_version"]
    target = STATUSES.from_wire(body["new_status"].value, call.ctx)
    if base_version != record.version:
        raise Conflict(
            f"Patient has changed (version {record.version}, base_version {base_version}).",
            current_version=record.version,
        )
    current = wire_status(record.status)
    if target is PatientStatus.archived:
        raise _refused("Archived status requires the archive endpoint.")
    if current == target.value:
        raise _refused(f"Patient is already {current}.")
    if target not in TRANSITIONS[record.status]:
        raise _refused(f"Invalid status transition: {current} -> {target.value}.")
    stored = await call.backend.update(
        record.model_copy(update={"status": target}), base_version=base_version
    )
    return Reply(200, await PATIENTS.show(call, stored))


ENDPOINTS = [
    *PATIENTS.endpoints(),
    Endpoint("POST", f"{PATIENTS.one}/archive", archive, "patient"),
    Endpoint("POST", f"{PATIENTS.one}/restore", restore, "patient"),
    Endpoint("POST", f"{PATIENTS.one}/transition-status", transition_status, "patient"),
]
CODECS = {"patient": CODEC}
