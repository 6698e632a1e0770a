"""Org API patient allergies (seed 003): list (``is_active``), record, get,
PATCH update and archive (soft delete), under ``/patients/{patient_uuid}/allergies``.

Choosing a definition also copies its name into the canonical
``description``, so DrChrono, which has no catalog, reads the allergen by
name. ``interaction_warnings`` is filled on create (see :mod:`.interactions`)
and empty on every other answer.
"""

from __future__ import annotations

from typing import Any

from canonical import Allergy, AllergyDefinition, Cond, Query, RefTo
from dialects.base import Call
from dialects.codec import Codec, Field
from dialects.orgapi import interactions
from dialects.orgapi.clinical_formats import Computed
from dialects.orgapi.field_maps import PATIENT, ref, shown, stamps
from dialects.orgapi.formats import Bool, Date, Text
from dialects.orgapi.params import Params
from dialects.orgapi.resource import PER_PATIENT, OrgApiResource

ALLERGY_DEFINITION = RefTo("allergy_definition")

_s = stamps()
CODEC = Codec(
    "orgapi",
    Allergy,
    [
        *ref("allergy_definition", "allergy_definition", ALLERGY_DEFINITION, required="POST"),
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


async def filters(call: Call, params: Params, query: Query) -> None:
    active = params.bool_("is_active")
    if active is not None:
        query.where.append(Cond("is_active", "eq", active))


async def name_from_definition(call: Call, patch: dict[str, Any], record: Any) -> None:
    ref_value = patch.get("allergy_definition")
    if ref_value is not None and ref_value.num is not None:
        definition = await call.backend.get(AllergyDefinition, num=ref_value.num)
        patch["description"] = definition.name


RESOURCE = OrgApiResource(
    f"{PER_PATIENT}/allergies",
    CODEC,
    operations=("list", "read", "create", "update", "archive"),
    item="allergy_uuid",
    missing="Allergy not found.",
    owner="patient",
    filters=filters,
    finish=name_from_definition,
    after=interactions.on_create(interactions.for_allergy),
)
ENDPOINTS = RESOURCE.endpoints()
CODECS = {"allergy": CODEC}
