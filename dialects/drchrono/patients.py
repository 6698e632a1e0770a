"""DrChrono ``/api/patients`` and ``/api/patients_summary`` (seed 004): GET
(list, one), POST (one or a list), PUT, PATCH, DELETE, over the canonical
:class:`~canonical.Patient`. A patient's ``id`` is its canonical ``num`` (Open
Dental's ``PatNum``).

Field map (wire -> canonical): ``doctor`` -> ``primary_provider``;
``address`` -> ``address_line1`` (``address_line2`` is kept, not shown);
``cell_phone`` -> ``mobile_phone``; ``chart_id`` -> ``chart_number``;
``nick_name`` -> ``preferred_name``; ``zip_code`` -> ``postal_code``;
``employer*`` -> the referenced canonical employer (name, address, city,
state, zip); ``*_insurance`` -> ``insurances[primary|secondary|tertiary|
auto_accident|workers_comp]``; ``patient_flags_attached`` -> the patient's
canonical alerts (``flag_type`` -> alert definition, ``flag_text`` -> note,
``archived`` -> status archived), ``patient_flags`` -> their definitions;
``offices`` -> the clinics of the patient's appointments; ``referring_doctor``
is kept as given in ``extensions["drchrono"]``.

Code tables:

- gender: "Male" <-> male, "Female" <-> female, "Other" <-> other. Canonical
  values DrChrono cannot say are shown as the nearest: non_binary -> "Other",
  unknown and prefer_not_to_say -> "" (the record keeps the original).
- patient_status: "A" <-> active, "I" <-> inactive, "D" <-> deceased;
  prospective shows "A" (a patient not yet seen is active), non_patient and
  archived show "I".
- race, ethnicity: the seed's codes, one canonical member each; an unset value
  shows "blank".
- preferred_language: ISO 639 alpha-3 codes (lower case) or "blank", "other",
  "unknown", "declined"; canonical keeps the code, "" for "blank".

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

import re
from collections.abc import Mapping
from typing import Any

from canonical import (
    Appointment,
    Cond,
    Employer,
    Gender,
    Invalid,
    Patient,
    PatientStatus,
    Query,
    Record,
    Ref,
    RefTo,
)
from canonical.alert import AlertDefinition, AlertStatus, PatientAlert
from canonical.patient import Ethnicity, Race
from dialects.base import Call
from dialects.codec import Codec, CodecContext, EnumMap, Field
from dialects.drchrono import formats
from dialects.drchrono.formats import Bool, Date, Enum_, Int, RefId, Shown, Text, Timestamp
from dialects.drchrono.params import Params, since
from dialects.drchrono.patient_flag_types import CODEC as FLAG_TYPE_CODEC
from dialects.drchrono.resource import DrChronoResource
from dialects.limits import value_problem

__all__ = ["CODEC", "CODECS", "ENDPOINTS", "PATIENTS", "RESOURCES", "SUMMARY", "SUMMARY_CODEC"]

D = "drchrono"
EMPLOYER = RefTo("employer")

GENDERS = EnumMap(
    {"Male": Gender.male, "Female": Gender.female, "Other": Gender.other},
    nearest={
        Gender.non_binary: "Other",
        Gender.unknown: "",
        Gender.prefer_not_to_say: "",
    },
)

STATUSES = EnumMap(
    {"A": PatientStatus.active, "I": PatientStatus.inactive, "D": PatientStatus.deceased},
    nearest={
        PatientStatus.prospective: "A",
        PatientStatus.non_patient: "I",
        PatientStatus.archived: "I",
    },
)
ACTIVE = (PatientStatus.active, PatientStatus.prospective)
"""Canonical statuses shown as "A" (listed without ``show_inactive``)."""

RACES = EnumMap({m.value: m for m in Race})
ETHNICITIES = EnumMap({m.value: m for m in Ethnicity})

PAYMENT_PROFILES = (
    "",
    "Cash",
    "Insurance",
    "Insurance Out of Network",
    "Auto Accident",
    "Worker's Comp",
)
NEEDS_INSURANCE = ("Insurance", "Auto Accident", "Worker's Comp")

INSURANCE_KEYS = {
    "primary_insurance": "primary",
    "secondary_insurance": "secondary",
    "tertiary_insurance": "tertiary",
    "auto_accident_insurance": "auto_accident",
    "workers_comp_insurance": "workers_comp",
}
EMPLOYER_KEYS = {
    "employer": "name",
    "employer_address": "address_line1",
    "employer_city": "city",
    "employer_state": "state",
    "employer_zip_code": "postal_code",
}
LANGUAGE_WORDS = ("blank", "other", "unknown", "declined")


class Language:
    """ISO 639 alpha-3 code; "blank" is the empty canonical value."""

    def to_wire(self, value: str | None, ctx: CodecContext) -> Any:
        return value or "blank"

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        if raw is None or raw in ("", "blank"):
            return ""
        if isinstance(raw, str) and (raw in LANGUAGE_WORDS or re.fullmatch(r"[a-z]{3}", raw)):
            return raw
        raise ValueError('must be an ISO 639 alpha-3 code (such as "eng") or "blank".')


class PaymentProfile(Text):
    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        value = super().from_wire(raw, ctx)
        if value not in PAYMENT_PROFILES:
            raise ValueError("must be one of " + ", ".join(f'"{p}"' for p in PAYMENT_PROFILES))
        return value


class InsurancePart:
    """One insurance object of ``Patient.insurances`` (decoded by :func:`_extra`)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def to_wire(self, value: dict[str, dict[str, Any]] | None, ctx: CodecContext) -> Any:
        return (value or {}).get(self.kind)

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        return {} if raw is None else {self.kind: _object(raw)}


class EmployerPart:
    """One attribute of the referenced employer (decoded by :func:`_extra`)."""

    def __init__(self, attr: str) -> None:
        self.attr = attr

    def to_wire(self, value: Ref | None, ctx: CodecContext) -> Any:
        employer = ctx.ref_record("employer", value)
        return "" if employer is None else getattr(employer, self.attr)

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        return None if raw in (None, "") else Ref(name=str(raw)) if self.attr == "name" else None


class Objects:
    """An array of objects kept as given (custom demographics)."""

    def to_wire(self, value: Any, ctx: CodecContext) -> Any:
        return list(value or [])

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        if raw is None:
            return []
        if not isinstance(raw, list) or not all(isinstance(x, dict) for x in raw):
            raise ValueError("must be an array of objects (send application/json).")
        return raw


class Object:
    def to_wire(self, value: Any, ctx: CodecContext) -> Any:
        return value

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        return None if raw is None else _object(raw)


class NoFile:
    """``patient_photo``: files are not stored here (see module doc; :func:`_extra`)."""

    def to_wire(self, value: Any, ctx: CodecContext) -> Any:
        return None

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        return None


def _object(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ValueError("must be an object (nested objects need application/json).")
    return raw


CODEC = Codec(
    D,
    Patient,
    [
        Field(
            "auto_accident_insurance", "insurances", InsurancePart("auto_accident"), read_only=True
        ),
        Field("date_of_birth", "date_of_birth", Date()),
        Field("doctor", "primary_provider", RefId(), required="POST PUT"),
        Field("gender", "gender", GENDERS, required="POST PUT"),
        Field("address", "address_line1", Text()),
        Field("cell_phone", "mobile_phone", Text()),
        Field("chart_id", "chart_number", Text()),
        Field("city", "city", Text()),
        Field("created_at", "created_at", Timestamp(), read_only=True),
        Field("custom_demographics", "custom_demographics", Objects()),
        Field("default_pharmacy", "default_pharmacy", Text()),
        Field("disable_sms_messages", "disable_sms_messages", Bool()),
        Field("email", "email", Text()),
        Field("emergency_contact_name", "emergency_contact_name", Text()),
        Field("emergency_contact_phone", "emergency_contact_phone", Text()),
        Field("emergency_contact_relation", "emergency_contact_relation", Text()),
        *(
            # The name identifies the employer when a full record is read (translate()).
            Field(
                wire,
                "employer",
                EmployerPart(attr),
                read_only=True,
                ref=EMPLOYER,
                precedence=int(attr == "name"),
            )
            for wire, attr in EMPLOYER_KEYS.items()
        ),
        Field("ethnicity", "ethnicity", Enum_(ETHNICITIES, blank="blank")),
        Field("first_name", "first_name", Text()),
        Field("home_phone", "home_phone", Text()),
        Field("id", "num", Int(), read_only=True),
        Field("last_name", "last_name", Text()),
        Field("middle_name", "middle_name", Text()),
        Field("nick_name", "preferred_name", Text()),
        Field("offices", None, Shown([]), read_only=True, extension=True),
        Field("patient_flags", None, Shown([]), read_only=True, extension=True),
        Field("patient_flags_attached", None, Shown([]), read_only=True, extension=True),
        Field("patient_photo", None, NoFile(), read_only=True, extension=True),
        Field("patient_photo_date", None, Date(), read_only=True, extension=True),
        Field("patient_payment_profile", "patient_payment_profile", PaymentProfile()),
        Field("patient_status", "status", STATUSES),
        Field("preferred_language", "preferred_language", Language()),
        Field("primary_care_physician", "primary_care_physician", Text()),
        Field("primary_insurance", "insurances", InsurancePart("primary"), read_only=True),
        Field("race", "race", Enum_(RACES, blank="blank")),
        Field("referring_doctor", None, Object(), extension=True),
        Field("referring_source", "referring_source", Text()),
        Field("responsible_party_name", "responsible_party_name", Text()),
        Field("responsible_party_relation", "responsible_party_relation", Text()),
        Field("responsible_party_phone", "responsible_party_phone", Text()),
        Field("responsible_party_email", "responsible_party_email", Text()),
        Field("secondary_insurance", "insurances", InsurancePart("secondary"), read_only=True),
        Field("social_security_number", "social_security_number", Text()),
        Field("state", "state", Text()),
        Field("tertiary_insurance", "insurances", InsurancePart("tertiary"), read_only=True),
        Field("updated_at", "updated_at", Timestamp(), read_only=True),
        Field(
            "workers_comp_insurance", "insurances", InsurancePart("workers_comp"), read_only=True
        ),
        Field("zip_code", "postal_code", Text()),
    ],
    ref_labels={"primary_provider": "doctor", "employer": "employer"},
)

VERBOSE = (
    "auto_accident_insurance",
    "primary_insurance",
    "secondary_insurance",
    "tertiary_insurance",
    "custom_demographics",
    "patient_flags",
    "patient_flags_attached",
    "referring_doctor",
    "workers_comp_insurance",
)

SUMMARY_CODEC = Codec(
    D,
    Patient,
    [
        Field("date_of_birth", "date_of_birth", Date(), required="POST PUT"),
        Field("doctor", "primary_provider", RefId(), required="POST PUT"),
        Field("gender", "gender", GENDERS, required="POST PUT"),
        Field("chart_id", "chart_number", Text()),
        Field("first_name", "first_name", Text()),
        Field("last_name", "last_name", Text()),
        Field("id", "num", Int(), read_only=True),
    ],
    ref_labels={"primary_provider": "doctor"},
)


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


# -- writes ---------------------------------------------------------------------


async def _extra(
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


async def _prepare(call: Call, patch: dict[str, Any], record: Record | None) -> dict[str, Any]:
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


async def _after(call: Call, record: Record, body: Mapping[str, Any], created: bool) -> Record:
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
    prepare=_prepare,
    extra=_extra,
    after=_after,
    computed=_computed,
)

SUMMARY = DrChronoResource(
    "/api/patients_summary",
    SUMMARY_CODEC,
    scope="patients:summary",
    filters=_summary_filters,
    prepare=_prepare,
    after=_after,
)

RESOURCES = [SUMMARY, PATIENTS]
"""The summary and the full field map; the full one is the dialect's codec for ``patient``."""
ENDPOINTS = [ep for r in RESOURCES for ep in r.endpoints()]
CODECS = {"patient": CODEC}
