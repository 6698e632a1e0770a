"""Org API patient medications (seed 003): list (``is_active``), record, get,
PATCH update and archive (soft delete), under
``/patients/{patient_uuid}/medications``.

The records are the canonical medications DrChrono's ``/api/medications``
serves; ``provider`` is the prescriber (DrChrono's ``doctor``). Status:
DrChrono's ``inactive`` has no org value and is shown as its nearest,
``discontinued``; the record keeps ``inactive`` until the org API changes the
status. ``is_active=true`` lists ``status='active'`` only, ``false`` every
other status. ``interaction_warnings`` is filled on create and empty on every
other answer.
"""

from __future__ import annotations

from canonical import Cond, Medication, MedicationStatus, Query, RefTo
from dialects.base import Call
from dialects.codec import Codec, EnumMap, Field
from dialects.orgapi import interactions
from dialects.orgapi.clinical_formats import Computed
from dialects.orgapi.field_maps import PATIENT, ref, shown, stamps
from dialects.orgapi.formats import Bool, Date, Text
from dialects.orgapi.params import Params
from dialects.orgapi.resource import PER_PATIENT, OrgApiResource

MEDICATION_DEFINITION = RefTo("medication_definition")
PROVIDER = RefTo("provider")

STATUSES = EnumMap(
    {
        "active": MedicationStatus.active,
        "discontinued": MedicationStatus.discontinued,
        "on_hold": MedicationStatus.on_hold,
        "completed": MedicationStatus.completed,
    },
    nearest={MedicationStatus.inactive: "discontinued"},
)

_s = stamps()
CODEC = Codec(
    "orgapi",
    Medication,
    [
        _s["created_at"],
        Field("date_start", "date_started", Date()),
        Field("date_stop", "date_stopped", Date()),
        _s["deleted_at"],
        Field("discontinuation_reason", "discontinuation_reason", Text(), accepts="PATCH"),
        Field("dosage", "dosage", Text()),
        Field("frequency", "frequency", Text()),
        _s["id"],
        Field("interaction_warnings", None, Computed(interactions.KEY, list), read_only=True),
        Field("is_cpoe", "is_cpoe", Bool()),
        Field("med_descript", "name", Text()),
        *ref("medication_definition", "medication_definition", MEDICATION_DEFINITION),
        shown("patient", "patient", PATIENT),
        Field("patient_note", "patient_note", Text()),
        *ref("provider", "provider", PROVIDER),
        Field("route", "route", Text()),
        Field("rx_cui", "rxnorm", Text()),
        Field("status", "status", STATUSES, accepts="PATCH"),
        _s["updated_at"],
        _s["version"],
    ],
    ref_labels={"medication_definition": "Medication definition", "provider": "Provider"},
)


async def filters(call: Call, params: Params, query: Query) -> None:
    active = params.bool_("is_active")
    if active is not None:
        query.where.append(Cond("status", "eq" if active else "ne", MedicationStatus.active))


RESOURCE = OrgApiResource(
    f"{PER_PATIENT}/medications",
    CODEC,
    operations=("list", "read", "create", "update", "archive"),
    item="medication_uuid",
    missing="Medication not found.",
    owner="patient",
    filters=filters,
    after=interactions.on_create(interactions.for_medication),
)
ENDPOINTS = RESOURCE.endpoints()
CODECS = {"medication": CODEC}
