"""Org API patient listings (seed 003, "Patients"): ``GET /patients`` (page/
page_size/total), ``GET /patients/cursor`` (keyset, ``first``/``after``),
``GET /patients/search`` (typeahead) and ``GET /patients/counts/by-location``.

Filters (both lists): ``status`` (an archived patient is listed only when
``status=archived`` is asked for; ``inactive`` also lists Open Dental's
NonPatients, which show as inactive), ``search`` (every word must match one of
first/last/middle/preferred name, chart number, email, home/work/mobile phone
(by digits for a phone-looking word),
or, when the word is a date ``YYYY-MM-DD`` or ``MM/DD/YYYY``, the date of
birth), ``primary_provider_uuid``, ``location_uuid`` and
``tag_definition_uuid`` (404 when that record does not exist),
``dob_from``/``dob_to`` (inclusive). Sorting: the documented ``sort_by``
fields, then the record number, so the order is total and pages never
overlap. In the cursor list a patient without a date of birth sorts after
every dated one, in both directions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from canonical import (
    AnyOf,
    Clinic,
    Cond,
    Order,
    Patient,
    PatientStatus,
    Provider,
    Query,
    TagAssignment,
    TagDefinition,
)
from dialects.base import Call, Endpoint, Reply
from dialects.orgapi.formats import LightRef
from dialects.orgapi.paging import PAGES, CursorPaging
from dialects.orgapi.params import Params
from dialects.orgapi.patient_codec import CLINIC, CODEC, STATUSES, derived, summary
from dialects.orgapi.records import ref_filter
from dialects.orgapi.resource import OrgApiResource

LIST_SORTS = ("last_name", "first_name", "date_of_birth", "chart_number", "created_at", "status")
CURSOR_SORTS = (*LIST_SORTS, "updated_at")
NULLABLE_SORTS = frozenset({"date_of_birth"})
SEARCH_FIELDS = (
    "first_name",
    "last_name",
    "middle_name",
    "preferred_name",
    "chart_number",
    "email",
    "home_phone",
    "work_phone",
    "mobile_phone",
)
TYPEAHEAD_FIELDS = ("first_name", "last_name", "preferred_name", "chart_number")
TYPEAHEAD_MAX = 100
"""Decision: ``limit`` 1..100 (the document gives only the default, 20)."""


def _as_date(word: str) -> date | None:
    for fmt in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.strptime(word, fmt).date()
        except ValueError:
            continue
    return None


PHONE_FIELDS = frozenset({"home_phone", "work_phone", "mobile_phone"})
_PHONE_WORD = re.compile(r"^[\d()+\-. ]*$")


def _option(field: str, word: str) -> Cond:
    """A phone-looking word matches phone numbers by their digits, punctuation ignored."""
    if field in PHONE_FIELDS and _PHONE_WORD.match(word) and sum(c.isdigit() for c in word) >= 3:
        return Cond(field, "digits_contains", word)
    return Cond(field, "contains", word)


def search_conds(text: str, fields: tuple[str, ...]) -> list[Cond | AnyOf]:
    """Every word of ``text`` must match one of ``fields`` (case-insensitive substring)."""
    conds: list[Cond | AnyOf] = []
    for word in text.split():
        options: list[Cond | AnyOf] = [_option(f, word) for f in fields]
        born = _as_date(word) if fields is SEARCH_FIELDS else None
        if born is not None:
            options.append(Cond("date_of_birth", "eq", born))
        conds.append(AnyOf(tuple(options)))
    return conds


def statuses_for(wire: str) -> list[PatientStatus]:
    """Canonical statuses shown as ``wire`` (inactive includes non_patient)."""
    return [s for s in PatientStatus if STATUSES.to_wire(s, None) == wire]  # type: ignore[arg-type]


async def filters(call: Call, params: Params, query: Query) -> None:
    """The documented filters of both lists; archived patients only when asked for."""
    where = query.where
    status = params.choice("status", STATUSES.table)
    if status is not None:
        where.append(Cond("status", "in", statuses_for(status)))
    query.include_deleted = status == "archived"
    where += search_conds(params.get("search", "") or "", SEARCH_FIELDS)
    provider = await ref_filter(
        call, Provider, params.get("primary_provider_uuid"), "Primary provider not found."
    )
    if provider is not None:
        where.append(Cond("primary_provider", "eq", provider))
    location = await ref_filter(call, Clinic, params.get("location_uuid"), "Location not found.")
    if location is not None:
        where.append(Cond("location", "eq", location))
    for name, op in (("dob_from", "ge"), ("dob_to", "le")):
        born = params.date_(name)
        if born is not None:
            where.append(Cond("date_of_birth", op, born))  # type: ignore[arg-type]
    tag = await ref_filter(
        call, TagDefinition, params.get("tag_definition_uuid"), "Tag definition not found."
    )
    if tag is not None:
        assigned = await call.backend.find(
            TagAssignment, Query(where=[Cond("tag_definition", "eq", tag)])
        )
        where.append(Cond("num", "in", sorted({a.patient.num for a in assigned.items})))


async def listed(call: Call, params: Params, query: Query) -> None:
    """``GET /patients``: the page and the sort are checked first (422 before any lookup)."""
    PAGES.window(params)
    field, descending = params.sort(LIST_SORTS, "last_name")
    query.order = [Order(field, descending)]
    await filters(call, params, query)


async def cursored(call: Call, params: Params, query: Query) -> None:
    """``GET /patients/cursor``: ``first``, the sort and the cursor are checked
    first (a malformed cursor is a 422 before any lookup)."""
    CURSOR.window(Patient, params)
    await filters(call, params, query)


CURSOR = CursorPaging(CURSOR_SORTS, "first_name", NULLABLE_SORTS)


@dataclass(frozen=True)
class PatientCursor(OrgApiResource):
    """The keyset listing of patients."""

    paging = CURSOR
    """``{data, page_info}`` pages, ``first``/``after`` and the sort."""


LIST = OrgApiResource(
    "/{org_id}/patients", CODEC, operations=("list",), filters=listed, computed=derived
)
CURSOR_LIST = PatientCursor(
    "/{org_id}/patients/cursor", CODEC, operations=("list",), filters=cursored, computed=derived
)


async def search_patients(call: Call) -> Reply:
    """Typeahead: every word matches a name or the chart number; empty ``q`` -> nothing."""
    params = Params(call.query, call.ctx)
    limit = params.int_("limit", 20, ge=1, le=TYPEAHEAD_MAX)
    text = params.get("q", "") or ""
    if not text.strip():
        return Reply(200, {"items": [], "total": 0})
    query = Query(
        where=search_conds(text, TYPEAHEAD_FIELDS),
        order=[Order("last_name"), Order("first_name")],
        limit=limit,
        with_total=True,
    )
    result = await call.backend.find(Patient, query)
    return Reply(
        200,
        {"items": [summary(call, p) for p in result.items], "total": result.total or 0},
    )


async def counts_by_location(call: Call) -> Reply:
    """Patients per active (not hidden, not deleted) location; the rest are excluded.

    ``date_from`` (inclusive) and ``date_to`` (exclusive) bound the first-visit
    date; ``status_set`` (repeatable) defaults to active. ``total`` counts every
    matching patient, grouped or not. Locations with no patients are listed
    with 0, so a dashboard shows every location.
    """
    params = Params(call.query, call.ctx)
    date_from, date_to = params.date_("date_from"), params.date_("date_to")
    wanted = [v for k, v in call.query if k == "status_set"] or ["active"]
    for value in wanted:
        Params([("status_set", value)]).choice("status_set", STATUSES.table)
    statuses = [s for w in dict.fromkeys(wanted) for s in statuses_for(w)]
    where: list[Cond | AnyOf] = [Cond("status", "in", statuses)]
    if date_from is not None:
        where.append(Cond("date_first_visit", "ge", date_from))
    if date_to is not None:
        where.append(Cond("date_first_visit", "lt", date_to))
    archived = "archived" in wanted
    backend = call.backend
    total = await backend.count(Patient, Query(where=list(where), include_deleted=archived))
    clinics = await call.backend.find(
        Clinic, Query(where=[Cond("is_hidden", "eq", False)], order=[Order("abbreviation")])
    )
    ref = LightRef(CLINIC)
    items: list[dict[str, Any]] = []
    for clinic in clinics.items:
        count = await backend.count(
            Patient,
            Query(where=[*where, Cond("location", "eq", clinic.num)], include_deleted=archived),
        )
        call.ctx.refs[("clinic", clinic.num or 0)] = clinic
        items.append({"location": ref.to_wire(clinic.ref(), call.ctx), "count": count})
    grouped = sum(i["count"] for i in items)
    body = {
        "date_from": None if date_from is None else date_from.isoformat(),
        "date_to": None if date_to is None else date_to.isoformat(),
        "excluded_count": total - grouped,
        "group_by": "location",
        "items": items,
        "status_set": list(dict.fromkeys(wanted)),
        "total": total,
    }
    return Reply(200, body)


P = "/{org_id}/patients"
ENDPOINTS = [
    *LIST.endpoints(),
    *CURSOR_LIST.endpoints(),
    Endpoint("GET", f"{P}/search", search_patients, "patient"),
    Endpoint("GET", f"{P}/counts/by-location", counts_by_location, "patient"),
]
