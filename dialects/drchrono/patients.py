"""DrChrono ``/api/patients`` and ``/api/patients_summary`` (seed 004): GET
(list, one), POST (one or a list), PUT, PATCH, DELETE, over the canonical
:class:`~canonical.Patient`. A patient's ``id`` is its canonical ``num`` (Open
Dental's ``PatNum``).

Decisions where the documents are silent:

- Lists show active patients (wire status "A") unless ``show_inactive`` is true;
  a deleted patient is never listed and its id answers 404.
- ``chart_id``, "automatically set using first & last names if absent": the
  first two letters of the last name and of the first name, upper case, then
  the id zero-padded to six digits (``SMJO000042``).
- ``patient_photo`` is a file the gateway does not store: sending one is a 400
  naming the key; responses show ``null``.
- A payment profile of "Insurance", "Auto Accident" or "Worker's Comp" needs a
  primary or secondary insurance, on the patient already or in the request.
- ``patients_summary`` is the same record through a narrower field map; its
  ``date_of_birth`` is required on POST/PUT as the seed says.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from canonical import (
    Appointment,
    Cond,
    Gender,
    Invalid,
    Query,
    Record,
)
from canonical.alert import AlertDefinition, AlertStatus, PatientAlert
from dialects.base import Call
from dialects.codec import CodecContext
from dialects.drchrono import patient_writes as writes
from dialects.drchrono.formats import Timestamp
from dialects.drchrono.params import Params, since
from dialects.drchrono.patient_codec import (
    ACTIVE,
    CODEC,
    ETHNICITIES,
    GENDERS,
    RACES,
    SUMMARY_CODEC,
    VERBOSE,
    Language,
)
from dialects.drchrono.patient_flag_types import CODEC as FLAG_TYPE_CODEC
from dialects.drchrono.resource import DrChronoResource

__all__ = ["CODEC", "CODECS", "ENDPOINTS", "PATIENTS", "RESOURCES", "SUMMARY", "SUMMARY_CODEC"]


# -- filters -------------------------------------------------------------------


def _gender(params: Params) -> Gender | None:
    raw = params.text("gender")
    if raw is None:
        return None
    try:
        return GENDERS.from_wire(raw, CodecContext())
    except ValueError as exc:
        raise Invalid.field("gender", str(exc)) from None


async def _summary_filters(call: Call, params: Params, query: Query) -> None:
    for wire, field in (("first_name", "first_name"), ("last_name", "last_name")):
        text = params.text(wire)
        if text is not None:
            query.add(field, "contains", text)
    born = params.date_("date_of_birth")
    if born is not None:
        query.add("date_of_birth", "eq", born)
    doctor = params.int_("doctor")
    if doctor is not None:
        query.add("primary_provider", "eq", doctor)
    gender = _gender(params)
    if gender is not None:
        query.add("gender", "eq", gender)
    since(params, query)


async def _filters(call: Call, params: Params, query: Query) -> None:
    await _summary_filters(call, params, query)
    email = params.text("email")
    if email is not None:
        query.add("email", "eq", email)
    for wire, conv, field in (
        ("ethnicity", ETHNICITIES, "ethnicity"),
        ("race", RACES, "race"),
    ):
        raw = params.text(wire)
        if raw is not None:
            try:
                query.add(field, "eq", conv.from_wire(raw, call.ctx))
            except ValueError as exc:
                raise Invalid.field(wire, str(exc)) from None
    language = params.text("preferred_language")
    if language is not None:
        try:
            query.add("preferred_language", "eq", Language().from_wire(language, call.ctx))
        except ValueError as exc:
            raise Invalid.field("preferred_language", str(exc)) from None
    offices = params.ints("offices")
    if offices is not None:
        visits = await call.backend.find(
            Appointment, Query(where=[Cond("clinic", "in", offices)], include_deleted=False)
        )
        query.add("num", "in", sorted({a.patient.num for a in visits.items if a.patient}))
    if not params.flag("show_inactive"):
        query.add("status", "in", list(ACTIVE))


# -- rendering ------------------------------------------------------------------


async def _computed(call: Call, records: list[Record], verbose: bool) -> dict[int, dict[str, Any]]:
    """``offices`` (every listing) and the flags (verbose only; ``[]`` otherwise) of
    each patient, by num: one query per related kind for the whole page."""
    nums = [r.num for r in records if r.num is not None]
    if not nums:
        return {}
    visits = await call.backend.find(Appointment, Query(where=[Cond("patient", "in", nums)]))
    offices: dict[int, set[int]] = {}
    for a in visits.items:
        if a.patient and a.patient.num is not None and a.clinic and a.clinic.num is not None:
            offices.setdefault(a.patient.num, set()).add(a.clinic.num)
    flags: dict[int, list[PatientAlert]] = {}
    types: dict[int, Record] = {}
    if verbose:
        alerts = await call.backend.find(PatientAlert, Query(where=[Cond("patient", "in", nums)]))
        for alert in alerts.items:
            flags.setdefault(alert.patient.num or 0, []).append(alert)
        wanted = {a.alert_definition.num for a in alerts.items if a.alert_definition}
        types = dict(await call.backend.get_many(AlertDefinition, [n for n in wanted if n]))
    ctx = call.ctx
    shown: dict[int, dict[str, Any]] = {}
    for num in nums:
        mine = flags.get(num)
        visited = offices.get(num)
        shown[num] = {
            "offices": sorted(visited) if visited else [],
            "patient_flags_attached": [_flag(a, ctx) for a in mine] if mine else [],
            "patient_flags": _flag_types(mine, types, ctx) if mine else [],
        }
    return shown


def _flag_types(
    alerts: list[PatientAlert], types: Mapping[int, Record], ctx: CodecContext
) -> list[dict[str, Any]]:
    """The definitions of a patient's flags, each once, in the order first used."""
    used = dict.fromkeys(a.alert_definition.num for a in alerts if a.alert_definition)
    return [_flag_type(types[n], ctx) for n in used if n is not None and n in types]


def _flag(alert: PatientAlert, ctx: CodecContext) -> dict[str, Any]:
    ts = Timestamp()
    return {
        "archived": alert.status == AlertStatus.archived,
        "flag_text": alert.note,
        "created_at": ts.to_wire(alert.created_at, ctx),
        "flag_type": alert.alert_definition.num if alert.alert_definition else None,
        "updated_at": ts.to_wire(alert.updated_at, ctx),
        "id": alert.num,
    }


def _flag_type(definition: Record, ctx: CodecContext) -> dict[str, Any]:
    """A flag type as ``/api/patient_flag_types`` shows it."""
    return FLAG_TYPE_CODEC.encode(definition, ctx)


PATIENTS = DrChronoResource(
    "/api/patients",
    CODEC,
    scope="patients",
    verbose=VERBOSE,
    filters=_filters,
    prepare=writes.prepare,
    extra=writes.extra,
    after=writes.after,
    computed=_computed,
)

SUMMARY = DrChronoResource(
    "/api/patients_summary",
    SUMMARY_CODEC,
    scope="patients:summary",
    filters=_summary_filters,
    prepare=writes.prepare,
    after=writes.after,
)

RESOURCES = [SUMMARY, PATIENTS]
"""The summary and the full field map; the full one is the dialect's codec for ``patient``."""
ENDPOINTS = [ep for r in RESOURCES for ep in r.endpoints()]
CODECS = {"patient": CODEC}
