"""Org API patient diseases/problems (seed 003): list (``problem_status``),
record, get, PATCH update and archive (soft delete), under
``/patients/{patient_uuid}/diseases``.

Mapping to the canonical problem (shared with DrChrono ``/api/problems``):
``problem_status`` <-> ``status``; ``date_start`` <-> ``date_onset``
(DrChrono ``date_onset``); ``date_stop`` <-> ``date_resolved`` (DrChrono
``abatement_date``); ``patient_note``, ``function_status`` and
``snomed_problem_type`` as named. Choosing a definition copies its name into
the canonical ``name`` (and its ICD-10 / SNOMED codes when the problem has
none), so DrChrono, which has no catalog, reads the problem by name.
``GET .../diseases/{disease_uuid}`` is not printed in the document (its
endpoint count includes it); it answers one live record.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from canonical import Cond, DiseaseDefinition, FunctionStatus, Problem, ProblemStatus, RefTo
from dialects.base import Call
from dialects.codec import Codec, EnumMap, Field
from dialects.orgapi import common
from dialects.orgapi.formats import Date, Text
from dialects.orgapi.subresources import PATIENT, SubResource, ref, shown, stamps

DISEASE_DEFINITION = RefTo("disease_definition")
PROBLEM_STATUSES = EnumMap({s.value: s for s in ProblemStatus})
FUNCTION_STATUSES = EnumMap({s.value: s for s in FunctionStatus})

_s = stamps()
CODEC = Codec(
    "orgapi",
    Problem,
    [
        _s["created_at"],
        Field("date_start", "date_onset", Date()),
        Field("date_stop", "date_resolved", Date()),
        _s["deleted_at"],
        *ref("disease_definition", "disease_definition", DISEASE_DEFINITION),
        Field("function_status", "function_status", FUNCTION_STATUSES),
        _s["id"],
        shown("patient", "patient", PATIENT),
        Field("patient_note", "patient_note", Text()),
        Field("problem_status", "status", PROBLEM_STATUSES),
        Field("snomed_problem_type", "snomed_problem_type", Text()),
        _s["updated_at"],
        _s["version"],
    ],
    ref_labels={"disease_definition": "Disease definition"},
)

INPUT = (
    "date_start",
    "date_stop",
    "disease_definition_uuid",
    "function_status",
    "patient_note",
    "problem_status",
    "snomed_problem_type",
)


def filters(call: Call, params: Mapping[str, str]) -> list[Any]:
    status = common.enum_query(params, "problem_status", PROBLEM_STATUSES.table)
    return [] if status is None else [Cond("status", "eq", status)]


async def name_from_definition(call: Call, patch: dict[str, Any], record: Any) -> None:
    ref_value = patch.get("disease_definition")
    if ref_value is None or ref_value.num is None:
        return
    definition = await call.backend.get(DiseaseDefinition, num=ref_value.num)
    patch["name"] = definition.name
    if definition.icd10_code and not (record and record.icd_code):
        patch["icd_code"], patch["icd_version"] = definition.icd10_code, 10
    if definition.snomed_code and not (record and record.snomed_code):
        patch["snomed_code"] = definition.snomed_code


RESOURCE = SubResource(
    model=Problem,
    codec=CODEC,
    segment="diseases",
    param="disease_uuid",
    not_found="Disease not found.",
    create_fields=INPUT,
    create_required=("disease_definition_uuid",),
    update_fields=("base_version", *INPUT),
    filters=filters,
    prepare=name_from_definition,
)
ENDPOINTS = RESOURCE.endpoints()
CODECS = {"problem": CODEC}
