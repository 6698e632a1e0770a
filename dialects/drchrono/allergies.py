"""DrChrono ``/api/allergies`` (seed 004): patients' allergies. GET list
(``patient``), GET one, POST, PUT, PATCH. An allergy is the canonical allergy
the org API's patient allergies (seed 003) also read and write.

Decisions where the documents are silent or contradict themselves:

- ``description`` is shown only with ``verbose=true`` (seed: "Keys requiring
  verbose=True: description"), but may always be written.
- ``status`` "active"/"inactive" is the canonical ``is_active``; absent on POST
  it is "active".
- Keys only the OpenAPI shows (``verification_status``, ``snomed_code``) are not
  rendered; the canonical record keeps them for the dialects that show them.
"""

from __future__ import annotations

from typing import Any

from canonical.allergy import Allergy
from dialects.codec import Codec, CodecContext, Field
from dialects.drchrono.clinical import clinical_resource
from dialects.drchrono.formats import Int, RefId, Text


class ActiveStatus:
    """``is_active`` <-> "active" / "inactive"; "" or null reads as "active"."""

    def to_wire(self, value: Any, ctx: CodecContext) -> Any:
        return "active" if value or value is None else "inactive"

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        if raw is None or raw == "" or raw == "active":
            return True
        if raw == "inactive":
            return False
        raise ValueError(f'"{raw}" is not a valid choice.')


CODEC = Codec(
    "drchrono",
    Allergy,
    [
        Field("doctor", "provider", RefId(), required="POST PUT"),
        Field("id", "num", Int(), read_only=True),
        Field("patient", "patient", RefId(), required="POST PUT"),
        Field("description", "description", Text()),
        Field("notes", "notes", Text()),
        Field("reaction", "reaction", Text()),
        Field("rxnorm", "rxnorm", Text()),
        Field("snomed_reaction", "snomed_reaction", Text()),
        Field("status", "is_active", ActiveStatus()),
    ],
    ref_labels={"provider": "doctor", "patient": "patient"},
)

VERBOSE = ("description",)

RESOURCE = clinical_resource("/api/allergies", CODEC, verbose=VERBOSE)
ENDPOINTS = RESOURCE.endpoints()
CODECS = {"allergy": CODEC}
