"""Org API patient diseases/problems (seed 003): list (``problem_status``),
record, get, PATCH update and archive (soft delete), under
``/patients/{patient_uuid}/diseases``.

The records are the canonical problems DrChrono's ``/api/problems`` serves.
Choosing a definition copies its name into the canonical ``name`` (and its
ICD-10 / SNOMED codes when the problem has none), so DrChrono, which has no
catalog, reads the problem by name.
"""

from __future__ import annotations

from typing import Any

from canonical import Cond, DiseaseDefinition, FunctionStatus, Problem, ProblemStatus, Query, RefTo
from dialects.base import Call
from dialects.codec import Codec, EnumMap, Field
from dialects.orgapi.field_maps import PATIENT, ref, shown, stamps
from dialects.orgapi.formats import Date, Text
from dialects.orgapi.params import Params
from dialects.orgapi.resource import PER_PATIENT, OrgApiResource

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
        *ref("disease_definition", "disease_definition", DISEASE_DEFINITION, required="POST"),
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


async def filters(call: Call, params: Params, query: Query) -> None:
    status = params.choice("problem_status", PROBLEM_STATUSES.table)
    if status is not None:
        query.where.append(Cond("status", "eq", status))


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


RESOURCE = OrgApiResource(
    f"{PER_PATIENT}/diseases",
    CODEC,
    operations=("list", "read", "create", "update", "archive"),
    item="disease_uuid",
    missing="Disease not found.",
    owner="patient",
    filters=filters,
    finish=name_from_definition,
)
ENDPOINTS = RESOURCE.endpoints()
CODECS = {"problem": CODEC}
