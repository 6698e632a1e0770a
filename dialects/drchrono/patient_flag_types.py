"""DrChrono ``/api/patient_flag_types`` (seed 004): the kinds of flag a patient
can carry, owned by a doctor. GET list (``doctor``), GET one, POST, PUT, PATCH.
A flag type is a canonical alert definition: the org API's patient alert
definitions (seed 003) are the same records.

Decisions where the documents are silent or contradict themselves:

- ``name`` is optional (seed); absent, it is "". The OpenAPI's "required" is
  not followed.
- ``archived`` is read-only: a definition archived through the org API reads
  ``true``. The seed documents no ``show_archived`` here, so archived flag
  types are listed too, marked.
- ``priority`` may be null (no priority).
"""

from __future__ import annotations

from typing import Any

from canonical import Cond, Query, Record
from canonical.alert import AlertDefinition
from dialects.base import Call
from dialects.codec import Codec, CodecContext, Field
from dialects.drchrono.clinical import not_null
from dialects.drchrono.formats import Int, OptInt, RefId, Text, Timestamp
from dialects.drchrono.params import Params
from dialects.drchrono.resource import DrChronoResource


class Archived:
    """``deleted_at`` set <-> ``archived: true`` (read-only)."""

    def to_wire(self, value: Any, ctx: CodecContext) -> Any:
        return value is not None

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        return ctx.now if raw in (True, "true", "True", "1") else None


CODEC = Codec(
    "drchrono",
    AlertDefinition,
    [
        Field("archived", "deleted_at", Archived(), read_only=True),
        Field("color", "color", Text()),
        Field("created_at", "created_at", Timestamp(), read_only=True),
        Field("doctor", "provider", RefId(), required="POST PUT"),
        Field("id", "num", Int(), read_only=True),
        Field("name", "name", Text()),
        Field("priority", "priority", OptInt()),
        Field("updated_at", "updated_at", Timestamp(), read_only=True),
    ],
    ref_labels={"provider": "doctor"},
)


async def filters(call: Call, params: Params, query: Query) -> None:
    query.include_deleted = True  # archived flag types are listed, marked
    num = params.int_("doctor")
    if num is not None:
        query.where.append(Cond("provider", "eq", num))


async def prepare(call: Call, patch: dict[str, Any], record: Record | None) -> dict[str, Any]:
    patch = await not_null(CODEC, ("doctor",))(call, patch, record)
    if record is None:
        patch.setdefault("name", "")
    return patch


RESOURCE = DrChronoResource(
    "/api/patient_flag_types",
    CODEC,
    scope="patients settings",
    operations=("list", "read", "create", "replace", "update"),
    filters=filters,
    prepare=prepare,
    include_archived=True,
)
"""Archived (soft-deleted) flag types stay readable and writable by id."""
ENDPOINTS = RESOURCE.endpoints()
CODECS = {"alert_definition": CODEC}
