"""Org API patient allergies (seed 003): list (``is_active``), record, get,
PATCH update and archive (soft delete), under ``/patients/{patient_uuid}/allergies``.

Mapping: ``allergy_definition`` <-> the catalog reference; ``status_is_active``
<-> ``is_active`` (DrChrono ``status``). Choosing a definition also copies its
name into the canonical ``description``, so DrChrono, which has no catalog,
reads the allergen by name. ``interaction_warnings`` is filled on create (see
:mod:`.interactions`) and empty on every other answer.
``GET .../allergies/{allergy_uuid}`` is not printed in the document (its
endpoint count includes it); it answers one live allergy.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from canonical import Allergy, AllergyDefinition, Cond, RefTo
from dialects.base import Call
from dialects.codec import Codec, Field
from dialects.orgapi import common, interactions
from dialects.orgapi.clinical_formats import Computed
from dialects.orgapi.formats import Bool, Date, Text
from dialects.orgapi.subresources import PATIENT, SubResource, ref, shown, stamps

ALLERGY_DEFINITION = RefTo("allergy_definition")

_s = stamps()
CODEC = Codec(
    "orgapi",
    Allergy,
    [
        *ref("allergy_definition", "allergy_definition", ALLERGY_DEFINITION),
        _s["created_at"],
        Field("date_adverse_reaction", "date_adverse_reaction", Date()),
        _s["deleted_at"],
        _s["id"],
        Field("interaction_warnings", None, Computed(interactions.KEY, list), read_only=True),
        shown("patient", "patient", PATIENT),
        Field("reaction", "reaction", Text()),
        Field("severity", "severity", Text()),
        Field("snomed_reaction", "snomed_reaction", Text()),
        Field("status_is_active", "is_active", Bool()),
        _s["updated_at"],
        _s["version"],
    ],
    ref_labels={"allergy_definition": "Allergy definition"},
)

INPUT = (
    "allergy_definition_uuid",
    "date_adverse_reaction",
    "reaction",
    "severity",
    "snomed_reaction",
    "status_is_active",
)


def filters(call: Call, params: Mapping[str, str]) -> list[Any]:
    active = common.bool_query(params, "is_active")
    return [] if active is None else [Cond("is_active", "eq", active)]


async def name_from_definition(call: Call, patch: dict[str, Any], record: Any) -> None:
    ref_value = patch.get("allergy_definition")
    if ref_value is not None and ref_value.num is not None:
        definition = await call.backend.get(AllergyDefinition, num=ref_value.num)
        patch["description"] = definition.name


RESOURCE = SubResource(
    model=Allergy,
    codec=CODEC,
    segment="allergies",
    param="allergy_uuid",
    not_found="Allergy not found.",
    create_fields=INPUT,
    create_required=("allergy_definition_uuid",),
    update_fields=("base_version", *INPUT),
    filters=filters,
    prepare=name_from_definition,
    warnings=interactions.for_allergy,
)
ENDPOINTS = RESOURCE.endpoints()
CODECS = {"allergy": CODEC}
