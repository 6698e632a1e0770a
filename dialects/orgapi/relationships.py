"""Org API patient relationships (seed 003): list, create, get, PATCH update and
archive (soft delete) under ``/patients/{patient_uuid}/relationships``, and
the guardian views ``/dependents`` and ``/guardians``.

A relationship is directional, from the patient in the path (canonical
``patient``, org ``from_patient``) to ``to_patient``; the inverse is not
created. ``from_patient_name`` / ``to_patient_name`` show the patients' names.

Decisions where the document is silent:

- A relationship from a patient to itself is refused (422 on
  ``to_patient_uuid``): no relationship type, not even ``merge`` or
  ``clone``, relates a chart to itself.
- ``/dependents`` and ``/guardians`` answer JSON arrays of relationship
  records (the shape above): the live relationships with ``is_guardian`` true
  from this patient (dependents) or to this patient (guardians), in the order
  they were created.
"""

from __future__ import annotations

from typing import Any

from canonical import Cond, Order, Query, Relationship, RelationshipType
from dialects.base import Call, Endpoint, Reply
from dialects.codec import Codec, CodecContext, EnumMap, Field
from dialects.orgapi.dialect import ValidationFailed
from dialects.orgapi.field_maps import PATIENT, ref, shown, stamps
from dialects.orgapi.formats import NullableBool, Text, display_name
from dialects.orgapi.records import patient_of
from dialects.orgapi.resource import PER_PATIENT, OrgApiResource
from dialects.render import render

TYPES = EnumMap({t.value: t for t in RelationshipType})


class PatientName:
    """The referenced patient's display name (``from_patient_name``)."""

    def to_wire(self, value: Any, ctx: CodecContext) -> str | None:
        return display_name("patient", ctx.ref_record("patient", value))

    def from_wire(self, raw: Any, ctx: CodecContext) -> None:
        raise ValueError("is read-only")


_s = stamps()
CODEC = Codec(
    "orgapi",
    Relationship,
    [
        _s["created_at"],
        _s["deleted_at"],
        shown("from_patient", "patient", PATIENT),
        Field("from_patient_name", "patient", PatientName(), read_only=True, ref=PATIENT),
        _s["id"],
        Field("is_guardian", "is_guardian", NullableBool()),
        Field("note", "note", Text()),
        Field("relationship_type", "relationship_type", TYPES, required="POST"),
        *ref("to_patient", "to_patient", PATIENT, accepts="POST", required="POST"),
        Field("to_patient_name", "to_patient", PatientName(), read_only=True, ref=PATIENT),
        _s["updated_at"],
        _s["version"],
    ],
    ref_labels={"to_patient": "Target patient"},
)


async def not_to_self(call: Call, patch: dict[str, Any], record: Any) -> None:
    target, source = patch.get("to_patient"), patch.get("patient")
    if target is not None and source is not None and target.num == source.num:
        raise ValidationFailed.one(
            ["body", "to_patient_uuid"],
            "A patient cannot be related to itself",
            "value_error",
        )


RESOURCE = OrgApiResource(
    f"{PER_PATIENT}/relationships",
    CODEC,
    operations=("list", "read", "create", "update", "archive"),
    item="relationship_uuid",
    missing="Relationship not found.",
    owner="patient",
    finish=not_to_self,
)


async def _guardian_links(call: Call, field: str) -> Reply:
    owner = await patient_of(call)
    query = Query(
        where=[Cond(field, "eq", owner.num), Cond("is_guardian", "eq", True)],
        order=[Order("num")],
    )
    found = (await call.backend.find(Relationship, query)).items
    return Reply(200, await render(call, CODEC, found))


async def dependents(call: Call) -> Reply:
    return await _guardian_links(call, "patient")


async def guardians(call: Call) -> Reply:
    return await _guardian_links(call, "to_patient")


ENDPOINTS = [
    *RESOURCE.endpoints(),
    Endpoint("GET", f"{PER_PATIENT}/dependents", dependents, "relationship"),
    Endpoint("GET", f"{PER_PATIENT}/guardians", guardians, "relationship"),
]
CODECS = {"relationship": CODEC}
