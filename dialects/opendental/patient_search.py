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
from dialects.changes import changed_since
from dialects.codec import EnumMap
from dialects.opendental.formats import parse_int
from dialects.opendental.paging import OffsetPaging
from dialects.opendental.params import Params
from dialects.opendental.patient_codec import (
    CODEC,
    GENDERS,
    LIST_FIELDS,
    POSITIONS,
    SIMPLE_CODEC,
    STATUSES,
    computed,
    derived,
)
from dialects.opendental.patient_rules import head_of
from dialects.opendental.records import must_exist
from dialects.opendental.resource import OpenDentalResource
from dialects.render import render

__all__ = ["SIMPLE", "select"]

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


def _date(params: Params, name: str) -> tuple[bool, Any]:
    """Whether the date is given, and its value (``0001-01-01`` is none)."""
    if params.text(name) is None:
        return False, None
    return True, params.date_(name)


# -- GET /patients/Simple ------------------------------------------------------------


async def _simple(call: Call, params: Params, query: Query) -> None:
    for name, fld in (("LName", "last_name"), ("FName", "first_name")):
        if (text := params.text(name)) is not None:
            query.add(fld, "contains", text)
    given, birthdate = _date(params, "Birthdate")
    if given:
        query.add("date_of_birth", "eq", birthdate)
    for name, (fld, table) in SIMPLE_ENUMS.items():
        if (member := params.enum(name, table)) is not None:
            query.add(fld, "eq", member)
    changed_since(query, params.timestamp("DateTStamp"))
    for name, (fld, model, label) in SIMPLE_REFS.items():
        num = params.int_(name)
        if num == 0:
            query.add(fld, "is_null")
        elif num is not None:
            await must_exist(call, model, num, label)
            query.add(fld, "eq", num)
    guarantor = params.int_("Guarantor")
    if guarantor:
        query.where.append(await _family_of(call, guarantor))


SIMPLE = OpenDentalResource(
    "/patients/Simple",
    SIMPLE_CODEC,
    operations=("list",),
    takes=SIMPLE_PARAMS,
    filters=_simple,
    computed=computed,
)
"""GET /patients/Simple: every field, for sync by ``DateTStamp``."""


async def _family_of(call: Call, num: int) -> Cond | AnyOf:
    """Patients whose guarantor is ``num``: the head (canonically their own guarantor)
    and the members pointing at them."""
    await must_exist(call, Patient, num, "Guarantor")
    head = await call.backend.get(Patient, num=num)
    if head_of(head) != head.num:
        return Cond("guarantor", "eq", num)
    return AnyOf((Cond("guarantor", "eq", num), Cond("num", "eq", num)))


# -- GET /patients ---------------------------------------------------------------------


async def select(call: Call) -> Reply:
    """The Patient Select window: its columns (:data:`.patient_codec.LIST_FIELDS`)
    and its search."""
    params = Params(call.query, call.ctx, takes=LIST_PARAMS)
    if params.text("invoiceNumber") is not None:
        raise Unsupported(
            "invoiceNumber is not supported: this server keeps no statements or invoices."
        )
    query = Query(order=[Order("last_name"), Order("first_name"), Order("num")])
    query.offset, query.limit = OffsetPaging().window(params)
    await _select(call, params, query)
    found = (await call.backend.find(Patient, query)).items
    keys = {r.num or 0: derived(r) for r in found}
    return Reply(200, await render(call, CODEC, found, computed=keys, only=LIST_FIELDS))


async def _select(call: Call, params: Params, query: Query) -> None:
    hidden = {PatientStatus.archived, PatientStatus.deceased}
    if params.switch("showArchived"):
        hidden.clear()
    if params.switch("hideInactive"):
        hidden.add(PatientStatus.inactive)
    if hidden:
        query.add("status", "in", [s for s in PatientStatus if s not in hidden])
    for name, (fld, op) in LIST_TEXT.items():
        if (text := params.text(name)) is not None:
            query.add(fld, op, text)
    digits = "".join(ch for ch in params.get("Phone") or "" if ch.isdigit())
    if digits:
        query.where.append(AnyOf(tuple(Cond(p, "digits_contains", digits) for p in PHONES)))
    for word in re.split(r"[\W_]+", params.get("Address") or ""):
        if word:
            query.add("address_line1", "contains", word)
    if params.switch("guarOnly"):
        query.add("guarantor", "is_null")
    given, birthdate = _date(params, "Birthdate")
    if given:
        query.add("date_of_birth", "eq", birthdate)
    site = params.int_("SiteNum")
    if site:
        query.add("site", "eq", site)
    if (subscriber_id := params.text("SubscriberId")) is not None:
        query.add("num", "in", await _subscribers(call, subscriber_id))
    if (clinics := params.text("clinicNums")) is not None:
        query.where.append(await _clinics(call, clinics))
    if (abbr := params.text("clinicAbbr")) is not None:
        found = await call.backend.find(
            Clinic, Query(where=[Cond("abbreviation", "startswith", abbr)])
        )
        query.add("location", "in", [c.num for c in found.items])


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
