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

from pydantic import ValidationError

from canonical import Cond, Conflict, Patient, PatientStatus, Query, utcnow
from dialects.base import Call, Endpoint, Reply
from dialects.codec import merge_patch
from dialects.orgapi import common
from dialects.orgapi.dialect import ValidationFailed
from dialects.orgapi.patient_codec import (
    CODEC,
    CREATE_FIELDS,
    NOT_FOUND,
    REQUIRED,
    STATUSES,
    UPDATE_FIELDS,
    render_one,
    summary,
    wire_status,
)
from dialects.orgapi.patient_duplicates import Signals, find_duplicates

TRANSITIONS: dict[PatientStatus, frozenset[PatientStatus]] = {
    PatientStatus.prospective: frozenset({PatientStatus.active}),
    PatientStatus.active: frozenset({PatientStatus.inactive, PatientStatus.deceased}),
    PatientStatus.inactive: frozenset({PatientStatus.active}),
    PatientStatus.non_patient: frozenset({PatientStatus.active}),
    PatientStatus.deceased: frozenset(),
    PatientStatus.archived: frozenset(),
}
"""Allowed ``transition-status`` moves, from the current canonical status."""


def build(record: Patient | None, patch: dict[str, Any]) -> Patient:
    try:
        return merge_patch(record, Patient, patch)  # type: ignore[return-value]
    except ValidationError as exc:
        raise ValidationFailed(
            [
                {
                    "loc": ["body", *(str(p) for p in e["loc"])],
                    "msg": e["msg"],
                    "type": e["type"],
                }
                for e in exc.errors()
            ]
        ) from None


async def ensure_chart_number_free(call: Call, chart_number: str, num: int | None) -> None:
    """409 when another patient (archived ones included) already has this chart number."""
    if not chart_number.strip():
        return
    query = Query(where=[Cond("chart_number", "eq", chart_number)], limit=2, include_deleted=True)
    for other in (await call.backend.find(Patient, query)).items:
        if other.num != num:
            raise Conflict(f"Chart number {chart_number!r} is already in use.")


async def decode_create(call: Call, body: dict[str, Any], prefix: tuple[Any, ...]) -> Patient:
    """A new patient from a ``CreatePatientIn`` body: validated, references resolved."""
    common.fields_in(body, CREATE_FIELDS, REQUIRED, prefix=prefix)
    patch = common.decode(CODEC, body, call, prefix=prefix)
    if patch.get("status") is PatientStatus.archived:
        raise ValidationFailed.one(
            [*prefix, "status"],
            "A patient cannot be created archived; use the archive endpoint.",
            "value_error",
        )
    patch = await common.resolve(call, Patient, patch, CODEC.ref_labels)
    return build(None, patch)


async def get_one(call: Call) -> Reply:
    record = await common.get_by_uuid(
        call, Patient, call.path_params["patient_uuid"], NOT_FOUND, include_deleted=True
    )
    return Reply(200, await render_one(call, record))


async def create(call: Call) -> Reply:
    body = common.json_body(call)

    async def run() -> Reply:
        new = await decode_create(call, body, ("body",))
        async with call.backend.atomic():
            await ensure_chart_number_free(call, new.chart_number, None)
            record = await call.backend.create(new)
        dupes = await find_duplicates(call, Signals.of(record), exclude=record.num)
        return Reply(201, await render_one(call, record, [summary(call, p) for p in dupes]))

    return await common.idempotent(call, run)


async def update(call: Call) -> Reply:
    record = await common.get_by_uuid(call, Patient, call.path_params["patient_uuid"], NOT_FOUND)
    body = common.json_body(call)
    common.fields_in(body, UPDATE_FIELDS)
    base_version = common.require_base_version(body)
    fields = {k: v for k, v in body.items() if k != "base_version"}
    patch = CODEC.keep_shown(common.decode(CODEC, fields, call), fields, record, call.ctx)
    patch = await common.resolve(call, Patient, patch, CODEC.ref_labels)
    changed = build(record, patch)
    async with call.backend.atomic():
        if "chart_number" in patch:
            await ensure_chart_number_free(call, changed.chart_number, record.num)
        stored = await call.backend.update(changed, base_version=base_version)
    return Reply(200, await render_one(call, stored))


async def archive(call: Call) -> Reply:
    record = await common.get_by_uuid(call, Patient, call.path_params["patient_uuid"], NOT_FOUND)
    if await _dependents(call, record):
        raise ValidationFailed.one(
            ["path", "patient_uuid"],
            "Patient is guarantor for active dependents; reassign them first.",
            "value_error",
        )
    stored = await call.backend.update(
        record.model_copy(update={"status": PatientStatus.archived, "deleted_at": utcnow()})
    )
    return Reply(200, await render_one(call, stored))


async def _dependents(call: Call, record: Patient) -> int:
    """Patients (not archived) whose guarantor is ``record``, itself excluded."""
    query = Query(
        where=[Cond("guarantor", "eq", record.num), Cond("num", "ne", record.num)], limit=1
    )
    return len((await call.backend.find(Patient, query)).items)


async def restore(call: Call) -> Reply:
    record = await common.get_by_uuid(
        call, Patient, call.path_params["patient_uuid"], NOT_FOUND, include_deleted=True
    )
    if record.deleted_at is None:
        raise ValidationFailed.one(
            ["path", "patient_uuid"], "Patient is not archived.", "value_error"
        )
    stored = await call.backend.update(
        record.model_copy(update={"status": PatientStatus.inactive, "deleted_at": None})
    )
    return Reply(200, await render_one(call, stored))


async def transition_status(call: Call) -> Reply:
    record = await common.get_by_uuid(call, Patient, call.path_params["patient_uuid"], NOT_FOUND)
    body = common.json_body(call)
    common.fields_in(body, ("base_version", "new_status"), ("base_version", "new_status"))
    base_version = common.require_base_version(body)
    try:
        target = STATUSES.from_wire(body["new_status"], call.ctx)
    except ValueError as exc:
        raise ValidationFailed.one(["body", "new_status"], f"new_status {exc}", "enum") from None
    if base_version != record.version:
        raise Conflict(
            f"Patient has changed (version {record.version}, base_version {base_version}).",
            current_version=record.version,
        )
    current = wire_status(record.status)
    if target is PatientStatus.archived:
        raise ValidationFailed.one(
            ["body", "new_status"],
            "Archived status requires the archive endpoint.",
            "value_error",
        )
    if current == target.value:
        raise ValidationFailed.one(
            ["body", "new_status"], f"Patient is already {current}.", "value_error"
        )
    if target not in TRANSITIONS[record.status]:
        raise ValidationFailed.one(
            ["body", "new_status"],
            f"Invalid status transition: {current} -> {target.value}.",
            "value_error",
        )
    stored = await call.backend.update(
        record.model_copy(update={"status": target}), base_version=base_version
    )
    return Reply(200, await render_one(call, stored))


P = "/{org_id}/patients"
ENDPOINTS = [
    Endpoint("GET", f"{P}/{{patient_uuid}}", get_one, "patient"),
    Endpoint("POST", P, create, "patient"),
    Endpoint("PATCH", f"{P}/{{patient_uuid}}", update, "patient"),
    Endpoint("POST", f"{P}/{{patient_uuid}}/archive", archive, "patient"),
    Endpoint("POST", f"{P}/{{patient_uuid}}/restore", restore, "patient"),
    Endpoint("POST", f"{P}/{{patient_uuid}}/transition-status", transition_status, "patient"),
]
CODECS = {"patient": CODEC}
