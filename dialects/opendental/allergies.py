"""Open Dental Allergies (reference/opendental/apiallergies.md): GET (by
``PatNum``), POST, PUT and DELETE, over the canonical allergy the org API's
patient allergies and DrChrono's ``/api/allergies`` also serve. How the
AllergyDef is chosen, shown and kept, and what DELETE does:
:mod:`.clinical_defs`.

Decisions where the page is silent:

- GET: ``PatNum`` missing is a 400 "PatNum is required.", an unknown patient
  a 404 "Patient not found."; the list is in ``AllergyNum`` order and pages
  with ``Offset``/``Limit``. The page documents no ``DateTStamp`` filter, so
  none is taken.
- POST and PUT answer with the allergy as GET shows it (the page prints no
  body). PUT takes only ``Reaction``, ``DateAdverseReaction`` and
  ``StatusIsActive``; any other key is a 400 naming it.
- ``defSnomedType`` is the AllergyDef's SNOMED allergy type, by Open Dental's
  SnomedAllergy names (the canonical definition's ``snomed_type``); "None"
  for a definition without one, and for an allergy without a definition.
- What Open Dental has no key for (severity, SNOMED reaction, RxNorm, the
  diagnosing doctor, notes, verification status) stays in the canonical
  record: no Open Dental write touches it.
"""

from __future__ import annotations

from typing import Any

from canonical import Allergy, AllergyDefinition, Patient, Query, Record
from dialects.base import Call
from dialects.codec import Codec, Field
from dialects.opendental.clinical_defs import (
    NAME_LENGTH,
    Catalog,
    ClinicalResource,
    Companion,
    shown_names,
)
from dialects.opendental.formats import Bool, Date, Int, RefNum, Text
from dialects.opendental.params import Params
from dialects.opendental.records import must_exist

__all__ = ["CODEC", "CODECS", "ENDPOINTS", "RESOURCE", "SNOMED_TYPES"]

SNOMED_TYPES = (
    "None",
    "AdverseReactionsToFood",
    "AdverseReactionsToDrug",
    "AdverseReactionsToSubstance",
    "AllergyToSubstance",
    "DrugAllergy",
    "DrugIntolerance",
    "FoodAllergy",
    "FoodIntolerance",
    "PropensityToAdverseReactions",
)
"""Open Dental's SnomedAllergy enum (allergydef.SnomedType), in its order."""

CODEC = Codec(
    "opendental",
    Allergy,
    [
        Field("AllergyNum", "num", Int(), read_only=True),
        # "Rarely used. Just use defDescription instead": the number wins when both come.
        Field("AllergyDefNum", "allergy_definition", RefNum(), accepts="POST"),
        Field("PatNum", "patient", RefNum(), accepts="POST", required="POST"),
        Field("defDescription", "description", Text(NAME_LENGTH), accepts="POST"),
        Field("defSnomedType", None, Companion("None"), read_only=True),
        Field("Reaction", "reaction", Text()),
        Field("StatusIsActive", "is_active", Bool()),
        Field("DateAdverseReaction", "date_adverse_reaction", Date()),
    ],
    ref_labels={"patient": "Patient", "allergy_definition": "AllergyDef"},
)

CATALOG = Catalog(
    AllergyDefinition,
    ref="allergy_definition",
    text="description",
    num_key="AllergyDefNum",
    name_key="defDescription",
    label="AllergyDef",
)


def snomed_type(entry: Record | None) -> dict[str, str]:
    value = getattr(entry, "snomed_type", "") if entry is not None else ""
    return {"defSnomedType": value if value in SNOMED_TYPES else "None"}


async def _filters(call: Call, params: Params, query: Query) -> None:
    pat_num = params.int_("PatNum")
    if pat_num is None:
        raise params.invalid("PatNum", "is required")
    await must_exist(call, Patient, pat_num, "Patient")
    query.add("patient", "eq", pat_num)


async def _prepare(call: Call, patch: dict[str, Any], record: Record | None) -> dict[str, Any]:
    if record is None:
        await CATALOG.choose(call, patch)
    return patch


RESOURCE = ClinicalResource(
    "/allergies",
    CODEC,
    operations=("list", "create", "replace", "delete"),
    item="AllergyNum",
    takes=("PatNum",),
    filters=_filters,
    prepare=_prepare,
    computed=shown_names(CATALOG, "defDescription", snomed_type),
    missing="Allergy not found.",
)
ENDPOINTS = RESOURCE.endpoints()
CODECS = {"allergy": CODEC}
