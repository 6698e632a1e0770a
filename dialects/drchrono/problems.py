"""DrChrono ``/api/problems`` (seed 004): patients' problems (diseases). GET
list (``patient``), GET one, POST, PUT, PATCH. A problem is the canonical
problem the org API's patient diseases (seed 003) also use.

Decisions where the documents are silent or contradict themselves:

- ``icd_version`` is an integer 9 or 10 (the seed's type; the OpenAPI's string
  enum "9"/"10" is accepted too); absent on POST it is 10.
- ``status`` is "active", "inactive" or "resolved"; absent on POST "active".
- ``info_url`` is read-only, "" unless a source filled it.
"""

from __future__ import annotations

from typing import Any

from canonical.problem import Problem, ProblemStatus
from dialects.codec import Codec, CodecContext, EnumMap, Field
from dialects.drchrono.clinical import clinical_resource
from dialects.drchrono.formats import Date, Enum_, Int, RefId, Text, parse_int

STATUSES = EnumMap({m.value: m for m in ProblemStatus})


class IcdVersion:
    def to_wire(self, value: Any, ctx: CodecContext) -> Any:
        return value

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        if raw is None or raw == "":
            return 10
        try:
            version = parse_int(raw)
        except ValueError:
            version = None
        if version not in (9, 10):
            raise ValueError(f'"{raw}" is not a valid choice.')
        return version


CODEC = Codec(
    "drchrono",
    Problem,
    [
        Field("doctor", "provider", RefId(), required="POST PUT"),
        Field("icd_version", "icd_version", IcdVersion()),
        Field("id", "num", Int(), read_only=True),
        Field("patient", "patient", RefId(), required="POST PUT"),
        Field("date_changed", "date_changed", Date()),
        Field("date_diagnosis", "date_diagnosis", Date()),
        Field("date_onset", "date_onset", Date()),
        Field("description", "description", Text()),
        Field("icd_code", "icd_code", Text()),
        Field("info_url", "info_url", Text(), read_only=True),
        Field("name", "name", Text()),
        Field("notes", "notes", Text()),
        Field("status", "status", Enum_(STATUSES, empty=ProblemStatus.active)),
        Field("snomed_ct_code", "snomed_code", Text()),
    ],
    ref_labels={"provider": "doctor", "patient": "patient"},
)


RESOURCE = clinical_resource("/api/problems", CODEC)
ENDPOINTS = RESOURCE.endpoints()
CODECS = {"problem": CODEC}
