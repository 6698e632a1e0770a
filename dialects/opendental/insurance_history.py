"""Open Dental ProcedureLogs InsuranceHistory GET and POST (seed 002;
reference/opendental/apiprocedurelogs.md): the Insurance History form, one row
per ``InsHist*Codes`` category.

A category's codes are the procedure codes whose ``insurance_history_categories``
name it (Open Dental keeps them in preferences). Decisions:

- A procedure counts for a plan's history when it was recorded against that
  insurance subscription (``insurance_subscription``; Open Dental's InsHist
  claimproc) and is complete or existing (C, EC, EO). The perio quadrant rows
  (UR, UL, LR, LL) count a quadrant-area code only when its ``Surf`` is that
  quadrant, since the four rows usually share their codes. The most recent
  procedure wins (latest ``ProcDate``, then highest ``ProcNum``).
- The patient must be the subscriber or in the subscriber's family (same
  guarantor); otherwise 400. A subscription with no subscriber is accepted.
- POST records the date with the category's first code in alphanumeric
  order, fee 0, no priority or diagnosis, the patient's primary provider (else
  the office's), the patient's clinic, and for a quadrant code of a perio
  quadrant row that quadrant as ``Surf``. A category with no codes ("Not
  Set") is a 400. The response is the write shape of the procedurelog.
"""

from __future__ import annotations

from typing import Any

from canonical import (
    Cond,
    InsuranceHistoryCategory,
    InsuranceSubscription,
    Invalid,
    NotFound,
    Patient,
    Procedure,
    ProcedureCode,
    ProcedureStatus,
    Query,
    TreatmentArea,
)
from dialects.base import Call, Endpoint, Reply
from dialects.codec import Codec, CodecContext, Field
from dialects.opendental import procedure_codec as pc
from dialects.opendental.bodies import check_keys, json_body
from dialects.opendental.formats import Date, RefNum, parse_date, parse_int, render_date
from dialects.opendental.params import Params
from dialects.opendental.resource import created

__all__ = ["ENDPOINTS", "RECORD"]

Category = InsuranceHistoryCategory

QUADRANT_OF = {
    Category.perio_upper_right: "UR",
    Category.perio_upper_left: "UL",
    Category.perio_lower_right: "LR",
    Category.perio_lower_left: "LL",
}

HISTORY_STATUSES = (
    ProcedureStatus.complete,
    ProcedureStatus.existing_current,
    ProcedureStatus.existing_other,
)

NO_HISTORY = "No History"
NOT_SET = "Not Set"


class CategoryName:
    """``insHistPrefName``: the preference naming the category (``"InsHistExamCodes"``)."""

    def to_wire(self, value: Category | None, ctx: CodecContext) -> str:
        return value.value if value is not None else ""

    def from_wire(self, raw: Any, ctx: CodecContext) -> Category:
        try:
            return Category(raw)
        except ValueError:
            allowed = ", ".join(f'"{c.value}"' for c in Category)
            raise ValueError(f"must be one of {allowed}") from None


RECORD = Codec(
    "opendental",
    Procedure,
    [
        Field("PatNum", "patient", RefNum(), required="POST"),
        Field("InsSubNum", "insurance_subscription", RefNum(), required="POST"),
        Field("insHistPrefName", "insurance_history_category", CategoryName(), required="POST"),
        Field("ProcDate", "procedure_date", Date(), required="POST"),
    ],
)
"""The body of POST InsuranceHistory: which plan and category, and the date to record."""


async def _codes_by_category(call: Call) -> dict[Category, list[ProcedureCode]]:
    """Each category's codes, in alphanumeric order of their code."""
    codes = (await call.backend.find(ProcedureCode, Query())).items
    out: dict[Category, list[ProcedureCode]] = {c: [] for c in Category}
    for code in sorted(codes, key=lambda c: c.code):
        for category in code.insurance_history_categories:
            out[category].append(code)
    return out


def _counts(category: Category, code: ProcedureCode, procedure: Procedure) -> bool:
    quadrant = QUADRANT_OF.get(category)
    if quadrant is None or code.treatment_area is not TreatmentArea.quadrant:
        return True
    return procedure.surface == quadrant


def _num(params: dict[str, Any], name: str) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        raise Invalid.field(name, f"{name} is required.")
    try:
        return parse_int(raw)
    except ValueError:
        raise Invalid.field(name, f"{name} must be an integer.") from None


def _family(patient: Patient) -> int | None:
    """The family a patient belongs to: its guarantor's num (its own when it is one)."""
    return patient.guarantor.num if patient.guarantor and patient.guarantor.num else patient.num


async def _patient_and_plan(
    call: Call, pat_num: int, ins_sub_num: int
) -> tuple[Patient, InsuranceSubscription]:
    try:
        patient = await call.backend.get(Patient, num=pat_num)
    except NotFound:
        raise NotFound("Patient not found.", resource="patient", field="PatNum") from None
    try:
        plan = await call.backend.get(InsuranceSubscription, num=ins_sub_num)
    except NotFound:
        raise NotFound("InsSub not found.", resource="insurance_subscription") from None
    if plan.subscriber is not None and plan.subscriber.num != patient.num:
        subscriber = await call.backend.get(Patient, num=plan.subscriber.num, include_deleted=True)
        if _family(patient) != _family(subscriber):
            raise Invalid.field("InsSubNum", "InsSubNum is not a plan of the patient's family.")
    return patient, plan


async def get_history(call: Call) -> Reply:
    params = Params(call.query, call.ctx, takes=("PatNum", "InsSubNum")).values
    pat_num, ins_sub_num = _num(params, "PatNum"), _num(params, "InsSubNum")
    await _patient_and_plan(call, pat_num, ins_sub_num)
    query = Query(
        where=[
            Cond("patient", "eq", pat_num),
            Cond("insurance_subscription", "eq", ins_sub_num),
            Cond("status", "in", HISTORY_STATUSES),
        ]
    )
    procedures = (await call.backend.find(Procedure, query)).items
    by_category = await _codes_by_category(call)
    rows = []
    for category in Category:
        codes = {c.num: c for c in by_category[category]}
        dated = [
            (p.procedure_date, p.num or 0)
            for p in procedures
            if p.procedure_date and p.code.num in codes and _counts(category, codes[p.code.num], p)
        ]
        if not codes:
            date_text, num = NOT_SET, 0
        elif not dated:
            date_text, num = NO_HISTORY, 0
        else:
            when, num = max(dated)
            date_text = render_date(when, call.ctx)
        rows.append({"insHistPrefName": category.value, "procDate": date_text, "ProcNum": num})
    return Reply(200, rows)


async def post_history(call: Call) -> Reply:
    Params(call.query, call.ctx)
    body = json_body(call)
    check_keys(body, RECORD, "POST")
    pat_num, ins_sub_num = _num(body, "PatNum"), _num(body, "InsSubNum")
    try:
        category = RECORD.by_wire["insHistPrefName"].conv.from_wire(
            body["insHistPrefName"], call.ctx
        )
    except ValueError as exc:
        raise Invalid.field("insHistPrefName", f"insHistPrefName {exc}.") from None
    try:
        when = parse_date(body["ProcDate"])
    except ValueError as exc:
        raise Invalid.field("ProcDate", f"ProcDate {exc}.") from None
    if when is None:
        raise Invalid.field("ProcDate", "ProcDate is required.")
    patient, plan = await _patient_and_plan(call, pat_num, ins_sub_num)
    codes = (await _codes_by_category(call))[category]
    if not codes:
        raise Invalid.field(
            "insHistPrefName", f"insHistPrefName {category.value} has no procedure codes set."
        )
    code = codes[0]
    quadrant = QUADRANT_OF.get(category)
    surface = quadrant if quadrant and code.treatment_area is TreatmentArea.quadrant else ""
    record = Procedure(
        patient=patient.ref(),
        code=code.ref(),
        status=ProcedureStatus.existing_other,
        procedure_date=when,
        surface=surface,
        provider=await pc.default_provider(call, patient),
        clinic=patient.location,
        base_units=code.base_units,
        insurance_subscription=plan.ref(),
        insurance_history_category=category,
    )
    stored = await call.backend.create(record)
    body_out = await pc.render_written(call, stored)
    return created(call, body_out, f"/procedurelogs/{stored.num}")


ENDPOINTS = [
    Endpoint("GET", "/procedurelogs/InsuranceHistory", get_history, "procedure"),
    Endpoint("POST", "/procedurelogs/InsuranceHistory", post_history, "procedure"),
]
