"""Org API patient medications (seed 003): list (``is_active``), record, get,
PATCH update and archive (soft delete), under
``/patients/{patient_uuid}/medications``.

Mapping to the canonical medication (shared with DrChrono
``/api/medications``): ``med_descript`` <-> ``name`` (DrChrono ``name``);
``rx_cui`` <-> ``rxnorm``; ``date_start``/``date_stop`` <->
``date_started``/``date_stopped`` (DrChrono ``date_started_taking`` /
``date_stopped_taking``); ``provider`` is the prescriber (DrChrono
``doctor``). Status: DrChrono's ``inactive`` has no org value and is shown as
its nearest, ``discontinued``; the record keeps ``inactive`` until the org
API changes the status. ``is_active=true`` lists ``status='active'`` only,
``false`` every other status. ``interaction_warnings`` is filled on create
and empty on every other answer. ``GET .../medications/{medication_uuid}`` is
not printed in the document (its endpoint count includes it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from canonical import Cond, Medication, MedicationStatus, RefTo
from dialects.base import Call
from dialects.codec import Codec, EnumMap, Field
from dialects.orgapi import common, interactions
from dialects.orgapi.clinical_formats import Computed
from dialects.orgapi.formats import Bool, Date, Text
from dialects.orgapi.subresources import PATIENT, SubResource, ref, shown, stamps

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
        Field("discontinuation_reason", "discontinuation_reason", Text()),
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
        Field("status", "status", STATUSES),
        _s["updated_at"],
        _s["version"],
    ],
    ref_labels={"medication_definition": "Medication definition", "provider": "Provider"},
)

CREATE_INPUT = (
    "date_start",
    "date_stop",
    "dosage",
    "frequency",
    "is_cpoe",
    "med_descript",
    "medication_definition_uuid",
    "patient_note",
    "provider_uuid",
    "route",
    "rx_cui",
)
UPDATE_INPUT = ("base_version", *CREATE_INPUT, "discontinuation_reason", "status")


def filters(call: Call, params: Mapping[str, str]) -> list[Any]:
    active = common.bool_query(params, "is_active")
    if active is None:
        return []
    return [Cond("status", "eq" if active else "ne", MedicationStatus.active)]


RESOURCE = SubResource(
    model=Medication,
    codec=CODEC,
    segment="medications",
    param="medication_uuid",
    not_found="Medication not found.",
    create_fields=CREATE_INPUT,
    update_fields=UPDATE_INPUT,
    filters=filters,
    warnings=interactions.for_medication,
)
ENDPOINTS = RESOURCE.endpoints()
CODECS = {"medication": CODEC}
