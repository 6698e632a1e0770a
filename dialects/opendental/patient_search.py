"""Open Dental patient searches (reference/opendental/apipatients.md):
``GET /patients/Simple`` (sync by ``DateTStamp``, every field) and ``GET /patients``
(the Patient Select window: its columns and its search parameters).

Every filter runs in the backend query, so ``Offset``/``Limit`` page the filtered,
ordered result. Decisions where the document is silent:

- Simple: ``LName``/``FName`` match anywhere in the name (the document's
  ``FName=eter``); a reference parameter that names no record is a 404 (the
  endpoint documents 404), ``0`` selects patients without one. Ordered by PatNum.
- GET /patients follows Open Dental's Patient Select query: ``LName``, ``Address``,
  ``Email`` and ``Country`` match anywhere; ``FName``, ``City``, ``State``, ``SSN``,
  ``ChartNumber``, ``SubscriberId`` and ``clinicAbbr`` match the start; ``Phone``
  matches the digits of any of the three phones, punctuation ignored;
  ``Address`` words match in any order (punctuation is a wildcard there). Ordered
  by LName, FName, then PatNum. Archived and deceased patients are hidden unless
  ``showArchived=true``; ``hideInactive=true`` also hides inactive ones.
  ``clinicNums`` keeps patients of those clinics, patients of no clinic, and
  patients with an appointment in one of them. ``SubscriberId`` matches the
  patients who subscribe to an insurance plan with that subscriber id
  (dependents covered through someone else's plan are not recorded canonically).
  ``invoiceNumber`` is a 400: the gateway holds no statements to search.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from canonical import (
    AnyOf,
    Appointment,
    Clinic,
    Cond,
    Employer,
    FeeSchedule,
    InsuranceSubscription,
    Invalid,
    Order,
    Patient,
    PatientStatus,
    Provider,
    Query,
    Record,
    Unsupported,
)
from dialects.base import Call, Reply
from dialects.codec import EnumMap
from dialects.opendental import common
from dialects.opendental.formats import parse_date, parse_int
from dialects.opendental.patient_codec import (
    CODEC,
    GENDERS,
    LIST_FIELDS,
    POSITIONS,
    SIMPLE_CODEC,
    STATUSES,
)
from dialects.opendental.patient_rules import head_of

SIMPLE_PARAMS = (
    "LName",
    "FName",
    "Birthdate",
    "ClinicNum",
    "PatStatus",
    "DateTStamp",
    "PriProv",
    "Gender",
    "Position",
    "Guarantor",
    "SuperFamily",
    "EmployerNum",
    "FeeSched",
)

LIST_PARAMS = (
    "LName",
    "FName",
    "Phone",
    "Address",
    "hideInactive",
    "City",
    "State",
    "SSN",
    "ChartNumber",
    "guarOnly",
    "showArchived",
    "Birthdate",
    "SiteNum",
    "SubscriberId",
    "Email",
    "Country",
    "clinicNums",
    "clinicAbbr",
    "invoiceNumber",
)

# Simple's reference filters: parameter -> (canonical field, referenced model, label).
SIMPLE_REFS: dict[str, tuple[str, type[Record], str]] = {
    "ClinicNum": ("location", Clinic, "Clinic"),
    "PriProv": ("primary_provider", Provider, "Provider"),
    "SuperFamily": ("super_family", Patient, "SuperFamily"),
    "EmployerNum": ("employer", Employer, "Employer"),
    "FeeSched": ("fee_schedule", FeeSchedule, "FeeSched"),
}

SIMPLE_ENUMS: dict[str, tuple[str, EnumMap[Any]]] = {
    "PatStatus": ("status", STATUSES),
    "Gender": ("gender", GENDERS),
    "Position": ("marital_status", POSITIONS),
}

# GET /patients text filters: parameter -> (canonical field, operator).
LIST_TEXT: dict[str, tuple[str, Any]] = {
    "LName": ("last_name", "contains"),
    "FName": ("first_name", "startswith"),
    "City": ("city", "startswith"),
    "State": ("state", "startswith"),
    "SSN": ("social_security_number", "startswith"),
    "ChartNumber": ("chart_number", "startswith"),
    "Email": ("email", "contains"),
    "Country": ("country", "contains"),
}

PHONES = ("home_phone", "work_phone", "mobile_phone")


def _given(params: Mapping[str, str], name: str) -> str | None:
    value = params.get(name)
    return value if value not in (None, "") else None


def _date(params: Mapping[str, str], name: str) -> tuple[bool, Any]:
    raw = _given(params, name)
    if raw is None:
        return False, None
    try:
        return True, parse_date(raw)
    except ValueError as exc:
        raise Invalid.field(name, f"{name} {exc}.") from None


def _bool(params: Mapping[str, str], name: str) -> bool:
    raw = _given(params, name)
    if raw is None:
        return False
    if raw.strip().lower() not in ("true", "false"):
        raise Invalid.field(name, f'{name} must be "true" or "false".')
    return raw.strip().lower() == "true"


def _enum(call: Call, params: Mapping[str, str], name: str, table: EnumMap[Any]) -> Any:
    raw = _given(params, name)
    if raw is None:
        return None
    try:
        return table.from_wire(raw, call.ctx)
    except ValueError as exc:
        raise Invalid.field(name, f"{name} {exc}.") from None


async def simple(call: Call) -> Reply:
    params = common.query_params(call, SIMPLE_PARAMS)
    query = common.page_query(Query(), params)
    for name, fld in (("LName", "last_name"), ("FName", "first_name")):
        if (text := _given(params, name)) is not None:
            query.add(fld, "contains", text)
    given, birthdate = _date(params, "Birthdate")
    if given:
        query.add("date_of_birth", "eq", birthdate)
    for name, (fld, table) in SIMPLE_ENUMS.items():
        if (member := _enum(call, params, name, table)) is not None:
            query.add(fld, "eq", member)
    stamp = common.datetime_param(call, params, "DateTStamp")
    if stamp is not None:
        query.add("updated_at", "ge", stamp)
    for name, (fld, model, label) in SIMPLE_REFS.items():
        num = common.int_param(params, name)
        if num == 0:
            query.add(fld, "is_null")
        elif num is not None:
            await common.must_exist(call, model, num, label)
            query.add(fld, "eq", num)
    guarantor = common.int_param(params, "Guarantor")
    if guarantor:
        query.where.append(await _family_of(call, guarantor))
    page = await call.backend.find(Patient, query)
    return Reply(200, await common.render_many(call, SIMPLE_CODEC, page.items))


async def _family_of(call: Call, num: int) -> Cond | AnyOf:
    """Patients whose guarantor is ``num``: the head (canonically their own guarantor)
    and the members pointing at them."""
    await common.must_exist(call, Patient, num, "Guarantor")
    head = await call.backend.get(Patient, num=num)
    if head_of(head) != head.num:
        return Cond("guarantor", "eq", num)
    return AnyOf((Cond("guarantor", "eq", num), Cond("num", "eq", num)))


async def get_many(call: Call) -> Reply:
    params = common.query_params(call, LIST_PARAMS)
    if _given(params, "invoiceNumber") is not None:
        raise Unsupported(
            "invoiceNumber is not supported: this server keeps no statements or invoices."
        )
    query = common.page_query(
        Query(order=[Order("last_name"), Order("first_name"), Order("num")]), params
    )
    hidden = {PatientStatus.archived, PatientStatus.deceased}
    if _bool(params, "showArchived"):
        hidden.clear()
    if _bool(params, "hideInactive"):
        hidden.add(PatientStatus.inactive)
    if hidden:
        query.add("status", "in", [s for s in PatientStatus if s not in hidden])
    for name, (fld, op) in LIST_TEXT.items():
        if (text := _given(params, name)) is not None:
            query.add(fld, op, text)
    digits = "".join(ch for ch in params.get("Phone", "") if ch.isdigit())
    if digits:
        query.where.append(AnyOf(tuple(Cond(p, "digits_contains", digits) for p in PHONES)))
    for word in re.split(r"[\W_]+", params.get("Address", "")):
        if word:
            query.add("address_line1", "contains", word)
    if _bool(params, "guarOnly"):
        query.add("guarantor", "is_null")
    given, birthdate = _date(params, "Birthdate")
    if given:
        query.add("date_of_birth", "eq", birthdate)
    site = common.int_param(params, "SiteNum")
    if site:
        query.add("site", "eq", site)
    if (subscriber_id := _given(params, "SubscriberId")) is not None:
        query.add("num", "in", await _subscribers(call, subscriber_id))
    if (clinics := _given(params, "clinicNums")) is not None:
        query.where.append(await _clinics(call, clinics))
    if (abbr := _given(params, "clinicAbbr")) is not None:
        found = await call.backend.find(
            Clinic, Query(where=[Cond("abbreviation", "startswith", abbr)])
        )
        query.add("location", "in", [c.num for c in found.items])
    page = await call.backend.find(Patient, query)
    return Reply(200, await common.render_many(call, CODEC, page.items, only=LIST_FIELDS))


async def _subscribers(call: Call, subscriber_id: str) -> list[int]:
    query = Query(where=[Cond("subscriber_id", "startswith", subscriber_id)])
    subs = (await call.backend.find(InsuranceSubscription, query)).items
    return sorted({s.subscriber.num for s in subs if s.subscriber and s.subscriber.num})


async def _clinics(call: Call, raw: str) -> AnyOf:
    try:
        nums = [parse_int(part) for part in raw.split(",") if part.strip()]
    except ValueError:
        raise Invalid.field(
            "clinicNums", "clinicNums must be a comma separated list of ClinicNums."
        ) from None
    query = Query(where=[Cond("clinic", "in", nums)])
    appointments = (await call.backend.find(Appointment, query)).items
    patients = sorted({a.patient.num for a in appointments if a.patient and a.patient.num})
    return AnyOf(
        (
            Cond("location", "is_null"),
            Cond("location", "in", nums),
            Cond("num", "in", patients),
        )
    )
