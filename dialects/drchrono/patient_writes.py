"""What a DrChrono patient write carries beyond its field map: insurance
objects, employer strings (matched to or creating a canonical employer) and
attached flags, written in the same transaction as the patient."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from canonical import (
    Cond,
    Employer,
    Invalid,
    Patient,
    Query,
    Record,
    Ref,
)
from canonical.alert import AlertDefinition, AlertStatus, PatientAlert
from dialects.base import Call
from dialects.codec import CodecContext
from dialects.drchrono import formats
from dialects.drchrono.formats import Text
from dialects.drchrono.patient_codec import EMPLOYER_KEYS, INSURANCE_KEYS, NEEDS_INSURANCE
from dialects.limits import value_problem

__all__ = ["after", "extra", "prepare"]


async def extra(
    call: Call, body: Mapping[str, Any], patch: dict[str, Any], record: Record | None
) -> None:
    """Insurance objects, employer strings and attached flags."""
    errors: dict[str, str] = {}
    insurances = dict(getattr(record, "insurances", {}) or {})
    touched = False
    for wire, kind in INSURANCE_KEYS.items():
        if wire not in body:
            continue
        touched = True
        raw = body[wire]
        if raw in (None, ""):
            insurances.pop(kind, None)
        elif isinstance(raw, dict):
            insurances[kind] = dict(raw)
        else:
            errors[wire] = "Must be an object (nested objects need application/json)."
    if touched:
        patch["insurances"] = insurances
    if any(k in body for k in EMPLOYER_KEYS):
        strings, bad = _employer_strings(body, call.ctx)
        errors.update(bad)
        if not bad:
            patch["employer"] = await _employer(call, strings, record)
    for wire in ("patient_photo", "patient_photo_date"):
        if body.get(wire) not in (None, ""):
            errors[wire] = "Patient photos are files this gateway does not store."
    flags = body.get("patient_flags_attached")
    if flags is not None and not (
        isinstance(flags, list) and all(isinstance(f, dict) for f in flags)
    ):
        errors["patient_flags_attached"] = "Must be an array of objects (send application/json)."
    if errors:
        raise Invalid(" ".join(f"{k}: {v}" for k, v in errors.items()), errors)


def _employer_strings(
    body: Mapping[str, Any], ctx: CodecContext
) -> tuple[dict[str, str], dict[str, str]]:
    """The employer keys the body carries, as strings (canonical attribute ->
    value), and the errors of those that are not strings."""
    strings: dict[str, str] = {}
    errors: dict[str, str] = {}
    for wire, attr in EMPLOYER_KEYS.items():
        if wire not in body:
            continue
        try:
            value = Text().from_wire(body[wire], ctx)
            problem = value_problem(value)
            if problem:
                raise ValueError(problem)
        except ValueError as exc:
            errors[wire] = f"{wire} {exc}".rstrip(".") + "."
            continue
        strings[attr] = value
    return strings, errors


async def _employer(call: Call, given: Mapping[str, str], record: Record | None) -> Ref | None:
    """The employer the strings name: an existing one with the same name and
    address, else a new one (never edits an employer other patients share).

    Each key is a string of its own (seed 004), so an address without a name
    is still kept, on an employer record with no name; only when every key is
    empty has the patient no employer. A PATCH keeps the keys it leaves out; a
    PUT that sends some employer keys empties the others (PUT replaces), one
    that sends none leaves the employer alone, as it does the insurance objects.
    """
    current: Employer | None = None
    ref = getattr(record, "employer", None)
    if call.method != "PUT" and isinstance(ref, Ref) and ref.num:
        current = (await call.backend.get_many(Employer, [ref.num])).get(ref.num)
    wanted = {
        attr: given[attr] if attr in given else (getattr(current, attr) if current else "")
        for attr in EMPLOYER_KEYS.values()
    }
    if not any(wanted.values()):
        return None
    query = Query(where=[Cond(attr, "eq", value) for attr, value in wanted.items()], limit=1)
    found = (await call.backend.find(Employer, query)).items
    if found:
        return found[0].ref()
    return (await call.backend.create(Employer(**wanted))).ref()


async def prepare(call: Call, patch: dict[str, Any], record: Record | None) -> dict[str, Any]:
    if record is None:
        patch.setdefault("first_name", "")
        patch.setdefault("last_name", "")
    profile = patch.get("patient_payment_profile", getattr(record, "patient_payment_profile", ""))
    insurances = patch.get("insurances", getattr(record, "insurances", {}) or {})
    if profile in NEEDS_INSURANCE and not ({"primary", "secondary"} & set(insurances)):
        raise Invalid.field(
            "patient_payment_profile",
            f'"{profile}" needs a primary_insurance or secondary_insurance on the patient.',
        )
    return patch


async def after(call: Call, record: Record, body: Mapping[str, Any], created: bool) -> Record:
    assert isinstance(record, Patient) and record.num is not None
    num = record.num
    if created and not record.chart_number:
        chart = (record.last_name[:2] + record.first_name[:2]).upper() + f"{num:06d}"
        record = await call.backend.update(record.model_copy(update={"chart_number": chart}))
    flags = body.get("patient_flags_attached")
    if isinstance(flags, list):
        await _set_flags(call, num, flags)
    return record


async def _set_flags(call: Call, patient: int, flags: list[dict[str, Any]]) -> None:
    """Make the patient's flags the given list: listed ids change, new ones are
    added, unlisted ones are archived (their history is kept)."""
    existing = {
        a.num: a
        for a in (
            await call.backend.find(PatientAlert, Query(where=[Cond("patient", "eq", patient)]))
        ).items
    }
    keep: set[int] = set()
    for i, item in enumerate(flags):
        try:
            flag_type = formats.parse_int(item.get("flag_type"))
        except ValueError:
            raise Invalid.field(
                "patient_flags_attached", f"item {i}: flag_type must be an integer."
            ) from None
        await _must_exist(call, AlertDefinition, flag_type, "patient_flags_attached")
        values = {
            "alert_definition": Ref(num=flag_type),
            "note": str(item.get("flag_text") or ""),
            "status": AlertStatus.archived if item.get("archived") is True else AlertStatus.active,
        }
        num = item.get("id")
        if isinstance(num, int) and num in existing:
            keep.add(num)
            patched = await call.backend.resolve(PatientAlert, values)
            await call.backend.update(existing[num].model_copy(update=patched))
        else:
            patched = await call.backend.resolve(
                PatientAlert, {**values, "patient": Ref(num=patient)}
            )
            await call.backend.create(PatientAlert(**patched))
    for num, alert in existing.items():
        if num not in keep and alert.status != AlertStatus.archived:
            await call.backend.update(alert.model_copy(update={"status": AlertStatus.archived}))


async def _must_exist(call: Call, model: type[Record], num: int, key: str) -> None:
    if not (await call.backend.get_many(model, [num])):
        raise Invalid.field(key, f'Invalid pk "{num}" - object does not exist.')
