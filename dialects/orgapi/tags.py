"""Tags assigned to a patient: what the org API's patient lists filter by
(``tag_definition_uuid``, seed 003).

The document defines tag definitions and the filter but prints no route to
assign a tag; its patients section counts 59 endpoints while printing fewer.
A client needs one, so assignments are served in the document's own
conventions, as a per-patient sub-resource:

- ``GET  /patients/{patient_uuid}/tags``: ``{items, page, page_size, total}``
- ``POST /patients/{patient_uuid}/tags`` ``{"tag_definition_uuid": ...}``: 201
  with the assignment; 404 when the patient or the (live) tag definition does
  not exist; 409 when the patient already has the tag.
- ``GET  /patients/{patient_uuid}/tags/{tag_uuid}``
- ``POST /patients/{patient_uuid}/tags/{tag_uuid}/archive``: removes the tag
  (soft delete), answering the assignment.
"""

from __future__ import annotations

from typing import Any

from canonical import Cond, Conflict, Query, RefTo, TagAssignment
from dialects.base import Call
from dialects.codec import Codec
from dialects.orgapi.field_maps import PATIENT, ref, shown, stamps
from dialects.orgapi.resource import PER_PATIENT, OrgApiResource

TAG_DEFINITION = RefTo("tag_definition")

_s = stamps()
CODEC = Codec(
    "orgapi",
    TagAssignment,
    [
        _s["created_at"],
        _s["created_by"],
        _s["deleted_at"],
        _s["id"],
        shown("patient", "patient", PATIENT),
        *ref("tag_definition", "tag_definition", TAG_DEFINITION, required="POST"),
        _s["updated_at"],
        _s["version"],
    ],
    ref_labels={"tag_definition": "Tag definition"},
)


async def not_yet_tagged(call: Call, patch: dict[str, Any], record: Any) -> None:
    query = Query(
        where=[
            Cond("patient", "eq", patch["patient"].num),
            Cond("tag_definition", "eq", patch["tag_definition"].num),
        ]
    )
    if await call.backend.count(TagAssignment, query):
        raise Conflict("Patient already has this tag.")


RESOURCE = OrgApiResource(
    f"{PER_PATIENT}/tags",
    CODEC,
    operations=("list", "read", "create", "archive"),
    item="tag_uuid",
    missing="Tag assignment not found.",
    owner="patient",
    finish=not_yet_tagged,
)
ENDPOINTS = RESOURCE.endpoints()
CODECS = {"tag_assignment": CODEC}
