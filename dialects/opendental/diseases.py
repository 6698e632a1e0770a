"""Open Dental Diseases (reference/opendental/apidiseases.md): GET one, GET
many (``PatNum`` optional), POST, PUT and DELETE of a patient's problems,
over the canonical problem the org API's patient diseases and DrChrono's
``/api/problems`` also serve. How the DiseaseDef is chosen, shown and kept,
and what DELETE does: :mod:`.clinical_defs`.

Decisions where the page is silent or contradicts itself:

- GET many without ``PatNum`` lists every patient's problems; an unknown
  ``PatNum`` is a 404 "Patient not found."; the list is in ``DiseaseNum``
  order and pages with ``Offset``/``Limit``. No ``DateTStamp`` filter is
  documented, so none is taken.
- POST takes ``DiseaseDefName`` as ``diseaseDefName`` (the page's second
  example spells it so); sending both is a 400. A DiseaseDef inserted for a
  new name has no codes. Choosing a definition also fills the problem's
  ICD-10 and SNOMED codes from it, as the org API does.
- The page's POST and PUT examples answer with DiseaseDefNums (28, 14) and a
  patient (26) its GET examples contradict for the same names and disease;
  the demo data follows the GET examples.
- What Open Dental has no key for (the org API's functional status and SNOMED
  problem type, DrChrono's doctor, ICD code and version, diagnosis and change
  dates, notes, verification status) stays in the canonical record: no Open
  Dental write touches it.
"""

from __future__ import annotations

from typing import Any

from canonical import DiseaseDefinition, Invalid, Patient, Problem, ProblemStatus, Query, Record
from dialects.base import Call
from dialects.codec import Codec, EnumMap, Field
from dialects.opendental.clinical_defs import NAME_LENGTH, Catalog, ClinicalResource, shown_names
from dialects.opendental.formats import Date, Int, RefNum, Text
from dialects.opendental.params import Params
from dialects.opendental.records import must_exist

__all__ = ["CODEC", "CODECS", "ENDPOINTS", "RESOURCE", "STATUSES"]

STATUSES = EnumMap(
    {
        "Active": ProblemStatus.active,
        "Resolved": ProblemStatus.resolved,
        "Inactive": ProblemStatus.inactive,
    }
)
"""ProbStatus: 'Either "Active", "Resolved" or "Inactive"'."""

CODEC = Codec(
    "opendental",
    Problem,
    [
        Field("DiseaseNum", "num", Int(), read_only=True),
        Field("PatNum", "patient", RefNum(), accepts="POST", required="POST"),
        # "Rarely used": the number wins when both come.
        Field("DiseaseDefNum", "disease_definition", RefNum(), accepts="POST"),
        Field("diseaseDefName", "name", Text(NAME_LENGTH), accepts="POST"),
        # "Will overwrite existing note."
        Field("PatNote", "patient_note", Text()),
        Field("ProbStatus", "status", STATUSES),
        Field("DateStart", "date_onset", Date()),
        Field("DateStop", "date_resolved", Date()),
    ],
    ref_labels={"patient": "Patient", "disease_definition": "DiseaseDef"},
)

CATALOG = Catalog(
    DiseaseDefinition,
    ref="disease_definition",
    text="name",
    num_key="DiseaseDefNum",
    name_key="diseaseDefName",
    label="DiseaseDef",
)

ALIAS = ("DiseaseDefName", "diseaseDefName")


def _alias(body: dict[str, Any], method: str) -> dict[str, Any]:
    """A POST's ``DiseaseDefName`` read as ``diseaseDefName``."""
    wrong, right = ALIAS
    if method != "POST" or wrong not in body:
        return body
    if right in body:
        message = f"Only one of {right} or {wrong} may be specified."
        raise Invalid(message, {right: message, wrong: message})
    return {(right if k == wrong else k): v for k, v in body.items()}


async def _filters(call: Call, params: Params, query: Query) -> None:
    pat_num = params.int_("PatNum")
    if pat_num is not None:
        await must_exist(call, Patient, pat_num, "Patient")
        query.add("patient", "eq", pat_num)


async def _prepare(call: Call, patch: dict[str, Any], record: Record | None) -> dict[str, Any]:
    if record is None:
        entry = await CATALOG.choose(call, patch)
        assert isinstance(entry, DiseaseDefinition)
        if entry.icd10_code:
            patch["icd_code"], patch["icd_version"] = entry.icd10_code, 10
        if entry.snomed_code:
            patch["snomed_code"] = entry.snomed_code
    return patch


RESOURCE = ClinicalResource(
    "/diseases",
    CODEC,
    operations=("read", "list", "create", "replace", "delete"),
    item="DiseaseNum",
    takes=("PatNum",),
    drop=_alias,
    filters=_filters,
    prepare=_prepare,
    computed=shown_names(CATALOG, "diseaseDefName"),
    missing="Disease not found.",
)
ENDPOINTS = RESOURCE.endpoints()
CODECS = {"problem": CODEC}
