"""DrChrono ``/api/procedures`` (seed 004): read-only (GET list, GET one) over
the canonical :class:`~canonical.Procedure` (Open Dental's procedurelog; ``id``
is ``ProcNum``).

Decisions where the documents are silent:

- ``procedure_type`` ('C' CPT, 'H' HCPCS, 'U' custom, 'S' SNOMED) follows the
  code's form: dental CDT codes (``D`` and four digits) are HCPCS Level II
  codes, so 'H', as is any letter and four digits; five characters starting
  with four digits are CPT, 'C'; all digits longer than five are SNOMED
  concept ids, 'S'; anything else is a practice's own code, 'U'.
- ``status`` (a string with no documented values) is the canonical status in
  words: "Treatment Planned", "Complete", "Existing Current", "Existing
  Other", "Referred", "Condition", "Treatment Planned Inactive". Deleted
  procedures are not listed and answer 404.
- ``service_date`` is a timestamp; its date selects procedures of that date.
"""

from __future__ import annotations

import re
from typing import Any

from canonical import NotFound, Procedure, ProcedureStatus, Query, Record, Ref, RefTo
from dialects.base import Call
from dialects.codec import Codec, CodecContext, EnumMap, Field
from dialects.drchrono.formats import Date, Int, RefId, Timestamp
from dialects.drchrono.params import Params
from dialects.drchrono.refs import RefAttr
from dialects.drchrono.resource import DrChronoResource

__all__ = ["CODEC", "CODECS", "ENDPOINTS", "RESOURCE", "procedure_type"]

CODE = RefTo("procedure_code")

STATUSES = EnumMap(
    {
        "Treatment Planned": ProcedureStatus.treatment_planned,
        "Complete": ProcedureStatus.complete,
        "Existing Current": ProcedureStatus.existing_current,
        "Existing Other": ProcedureStatus.existing_other,
        "Referred": ProcedureStatus.referred,
        "Deleted": ProcedureStatus.deleted,
        "Condition": ProcedureStatus.condition,
        "Treatment Planned Inactive": ProcedureStatus.treatment_planned_inactive,
    }
)

_TYPES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"[A-Z]\d{4}"), "H"),
    (re.compile(r"\d{4}[0-9A-Z]"), "C"),
    (re.compile(r"\d{6,18}"), "S"),
]


def procedure_type(code: str) -> str:
    return next((kind for pattern, kind in _TYPES if pattern.fullmatch(code)), "U")


class ProcedureType:
    def to_wire(self, value: Ref | None, ctx: CodecContext) -> Any:
        record = ctx.ref_record("procedure_code", value)
        return "U" if record is None else procedure_type(record.code)  # type: ignore[attr-defined]

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        return None  # derived from the code; reading a full record takes the code itself


CODEC = Codec(
    "drchrono",
    Procedure,
    [
        Field("appointment", "appointment", RefId(), read_only=True),
        Field("code", "code", RefAttr(CODE, "code"), read_only=True, ref=CODE, precedence=1),
        Field("created_at", "created_at", Timestamp(), read_only=True),
        Field("date", "procedure_date", Date(), read_only=True),
        Field("description", "code", RefAttr(CODE, "description"), read_only=True, ref=CODE),
        Field("doctor", "provider", RefId(), read_only=True),
        Field("id", "num", Int(), read_only=True),
        Field("patient", "patient", RefId(), read_only=True),
        Field("procedure_type", "code", ProcedureType(), read_only=True, ref=CODE),
        Field("status", "status", STATUSES, read_only=True),
        Field("updated_at", "updated_at", Timestamp(), read_only=True),
    ],
)


async def _filters(call: Call, params: Params, query: Query) -> None:
    for wire, field in (
        ("appointment", "appointment"),
        ("doctor", "provider"),
        ("patient", "patient"),
    ):
        num = params.int_(wire)
        if num is not None:
            query.add(field, "eq", num)
    when = params.timestamp("service_date")
    if when is not None:
        query.add("procedure_date", "eq", when.astimezone(call.ctx.tz).date())
    query.add("status", "ne", ProcedureStatus.deleted)


class _Procedures(DrChronoResource):
    """Deleted procedures are gone for DrChrono (Open Dental keeps them)."""

    async def fetch(self, call: Call, *, include_deleted: bool = False) -> Record:
        record = await super().fetch(call, include_deleted=include_deleted)
        if getattr(record, "status", None) == ProcedureStatus.deleted:
            raise NotFound("Not found.", resource="procedure")
        return record


RESOURCE = _Procedures(
    "/api/procedures", CODEC, scope="billing", operations=("list", "read"), filters=_filters
)
ENDPOINTS = RESOURCE.endpoints()
CODECS = {"procedure": CODEC}
