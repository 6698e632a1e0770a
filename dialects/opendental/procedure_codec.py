"""The Open Dental procedurelog field map (seed 002, API ProcedureLogs;
reference/opendental/apiprocedurelogs.md) and what every procedurelog
endpoint shares: status codes, response shapes, default lookups.

Value shapes. Seed 002 disagrees with itself on the JSON type of the foreign
keys: its GET examples show ``"AptNum": "0"``, ``"PlannedAptNum": "0"`` and
``"Dx": ""``, its POST and InsuranceHistory examples integers. Open Dental's
current reference page and the published clients (which type them as
integers and cannot read a numeric string) agree on integers, so one shape is
used everywhere:

    AptNum, PlannedAptNum, Dx, ClinicNum,
    ProvNum, CodeNum, Priority            integers (0 for none)
    ProcFee                               a two-place string ("130.00")

On input, integers and numeric strings are both accepted (and "" for ``Dx``).

Write responses (POST, POST InsuranceHistory, PUT) have the fields of the
documented write examples: no ``Prosthesis``, ``DateOriginalProsth`` or
``IsDateProsthEst``, and an empty ``serverDateTime`` (the sync watermark
belongs to GET). ``DateTStamp`` in them is the record's real change stamp
(the examples show "", "0001-01-01 00:00:00" and a real stamp).
"""

from __future__ import annotations

from typing import Any

from canonical import (
    Appointment,
    Cond,
    Definition,
    DefinitionCategory,
    Order,
    Patient,
    Procedure,
    ProcedureCode,
    ProcedureStatus,
    Provider,
    Query,
    Record,
    Ref,
    RefTo,
)
from dialects.base import Call
from dialects.codec import Codec, CodecContext, EnumMap, Field
from dialects.opendental.formats import (
    Bool,
    Date,
    DateTime,
    Int,
    MoneyText,
    RefName,
    RefNum,
    ServerTime,
    Text,
)
from dialects.render import render_one

PRIORITY = RefTo("definition", "treatment_priority")
DIAGNOSIS = RefTo("definition", "diagnosis")
PROVIDER = RefTo("provider")
CODE = RefTo("procedure_code")

STATUSES = EnumMap(
    {
        "TP": ProcedureStatus.treatment_planned,
        "C": ProcedureStatus.complete,
        "EC": ProcedureStatus.existing_current,
        "EO": ProcedureStatus.existing_other,
        "R": ProcedureStatus.referred,
        "D": ProcedureStatus.deleted,
        "Cn": ProcedureStatus.condition,
        "TPi": ProcedureStatus.treatment_planned_inactive,
    }
)

WRITABLE_STATUSES = (
    ProcedureStatus.treatment_planned,
    ProcedureStatus.complete,
    ProcedureStatus.existing_other,
)
"""POST and PUT take "Either Treatment Planned (TP), Complete (C), or Existing Other Provider (EO)"."""


class DxNum(RefNum):
    """``Dx``: a diagnosis definition's number, 0 for none. Also "" for none on
    input, as the seed's GET examples show it."""

    def from_wire(self, raw: Any, ctx: CodecContext) -> Ref | None:
        return None if raw == "" else super().from_wire(raw, ctx)


CODEC = Codec(
    "opendental",
    Procedure,
    [
        Field("ProcNum", "num", Int(), read_only=True),
        Field("PatNum", "patient", RefNum(), accepts="POST", required="POST"),
        Field("AptNum", "appointment", RefNum()),
        Field("ProcDate", "procedure_date", Date(), required="POST"),
        Field("ProcFee", "fee", MoneyText()),
        Field("Surf", "surface", Text()),
        Field("ToothNum", "tooth_num", Text()),
        Field("ToothRange", "tooth_range", Text()),
        Field("Priority", "priority", RefNum()),
        Field("priority", "priority", RefName(PRIORITY, "name"), ref=PRIORITY, accepts="POST"),
        Field("ProcStatus", "status", STATUSES, required="POST"),
        Field("ProvNum", "provider", RefNum()),
        Field(
            "provAbbr", "provider", RefName(PROVIDER, "abbreviation"), ref=PROVIDER, read_only=True
        ),
        Field("Dx", "diagnosis", DxNum()),
        Field("dxName", "diagnosis", RefName(DIAGNOSIS, "name"), ref=DIAGNOSIS, accepts="POST"),
        Field("PlannedAptNum", "planned_appointment", RefNum()),
        Field("Prosthesis", "prosthesis", Text(), read_only=True),
        Field("DateOriginalProsth", "date_original_prosthesis", Date(), read_only=True),
        Field("ClinicNum", "clinic", RefNum()),
        Field("CodeNum", "code", RefNum(), read_only=True),
        Field("procCode", "code", RefName(CODE, "code"), ref=CODE, precedence=1, required="POST"),
        Field("descript", "code", RefName(CODE, "description"), ref=CODE, read_only=True),
        Field("UnitQty", "unit_qty", Int(), read_only=True),
        Field("BaseUnits", "base_units", Int(), read_only=True),
        Field("DateTStamp", "updated_at", DateTime(), read_only=True),
        Field("IsDateProsthEst", "is_date_prosthesis_estimated", Bool(), read_only=True),
        Field("serverDateTime", None, ServerTime(), read_only=True),
    ],
    ref_labels={
        "patient": "Patient",
        "appointment": "Appointment",
        "code": "procCode",
        "priority": "Priority",
        "diagnosis": "Dx",
        "provider": "Provider",
        "clinic": "Clinic",
        "planned_appointment": "Planned appointment",
    },
)

WRITE_RESPONSE_FIELDS = tuple(
    f.wire
    for f in CODEC.fields
    if f.wire not in ("Prosthesis", "DateOriginalProsth", "IsDateProsthEst")
)

RESOLVE_ORDER = (
    "patient",
    "appointment",
    "code",
    "priority",
    "diagnosis",
    "provider",
    "clinic",
    "planned_appointment",
)
"""References are checked in this order, so the first 404 is the most basic one."""


async def resolve(call: Call, patch: dict[str, Any]) -> dict[str, Any]:
    """Complete every reference of the patch, or 404 "<what> not found."."""
    ordered = {k: patch[k] for k in RESOLVE_ORDER if k in patch}
    ordered.update({k: v for k, v in patch.items() if k not in ordered})
    return await call.backend.resolve(Procedure, ordered, labels=CODEC.ref_labels)


async def code_of(call: Call, ref: Ref) -> ProcedureCode:
    assert ref.num is not None
    return await call.backend.get(ProcedureCode, num=ref.num, include_deleted=True)


async def office_provider(call: Call) -> Ref | None:
    """The office's default provider: the first provider who is not hidden."""
    query = Query(where=[Cond("is_hidden", "eq", False)], order=[Order("num")], limit=1)
    found = (await call.backend.find(Provider, query)).items
    return Ref(uuid=found[0].uuid, num=found[0].num) if found else None


async def first_definition(call: Call, category: DefinitionCategory) -> Ref | None:
    """ "Default is the first definition in that Category" (visible ones, in list order)."""
    query = Query(
        where=[Cond("category", "eq", category), Cond("is_hidden", "eq", False)],
        order=[Order("order"), Order("num")],
        limit=1,
    )
    found = (await call.backend.find(Definition, query)).items
    return Ref(uuid=found[0].uuid, num=found[0].num) if found else None


async def render(call: Call, record: Record) -> dict[str, Any]:
    """A procedurelog as GET shows it."""
    return await render_one(call, CODEC, record)


async def render_written(call: Call, record: Record) -> dict[str, Any]:
    """A procedurelog as the write examples show it (see the module docstring)."""
    body = await render_one(call, CODEC, record, only=WRITE_RESPONSE_FIELDS)
    body["serverDateTime"] = ""
    return body


async def default_provider(
    call: Call, patient: Patient, appointment: Appointment | None = None
) -> Ref | None:
    """The appointment's provider, else the patient's primary provider, else the office's."""
    for ref in (appointment.provider if appointment else None, patient.primary_provider):
        if ref is not None and ref.num:
            return ref
    return await office_provider(call)


async def mark_deleted(call: Call, record: Procedure) -> Procedure:
    """Open Dental's delete: ProcStatus D, off its appointment and planned appointment."""
    gone = record.model_copy(
        update={
            "status": ProcedureStatus.deleted,
            "appointment": None,
            "planned_appointment": None,
        }
    )
    return await call.backend.update(gone)


def is_group_note(code: ProcedureCode) -> bool:
    return code.is_group_note or code.code == "~GRP~"
