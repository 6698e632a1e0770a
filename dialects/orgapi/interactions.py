"""Drug-allergy interaction warnings (seed 003: ``interaction_warnings`` on the
create answers of patient allergies and medications; "Empty on subsequent
reads").

The document names the list but not its entries. A warning is raised when a
live, active allergy and a live, active medication of the same patient
share an RxNorm code, or when the allergen's name appears (case-insensitive)
in the medication's name. Each entry is ``{"allergy": {id, name},
"medication": {id, name}, "message": ..., "severity": "warning"}``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from canonical import (
    Allergy,
    AllergyDefinition,
    Cond,
    Medication,
    MedicationDefinition,
    MedicationStatus,
    Query,
    Record,
)
from dialects.base import Call

__all__ = ["KEY", "for_allergy", "for_medication", "on_create"]

KEY = "interaction_warnings"
"""The codec context option the create handlers put the warnings in."""


async def _allergen(call: Call, allergy: Allergy) -> tuple[str, str]:
    name, rxnorm = allergy.description, allergy.rxnorm
    if allergy.allergy_definition is not None and allergy.allergy_definition.num:
        found = await call.backend.get_many(AllergyDefinition, [allergy.allergy_definition.num])
        definition = found.get(allergy.allergy_definition.num)
        if definition is not None:
            name = name or definition.name
            rxnorm = rxnorm or definition.rxnorm
    return name.strip(), rxnorm.strip()


async def _drug(call: Call, med: Medication) -> tuple[str, str]:
    name, rxnorm = med.name, med.rxnorm
    if med.medication_definition is not None and med.medication_definition.num:
        found = await call.backend.get_many(MedicationDefinition, [med.medication_definition.num])
        definition = found.get(med.medication_definition.num)
        if definition is not None:
            name = f"{name} {definition.name} {definition.generic_name}"
            rxnorm = rxnorm or definition.rxnorm
    return name, rxnorm.strip()


async def _check(call: Call, allergy: Allergy, med: Medication) -> dict[str, Any] | None:
    allergen, allergy_rx = await _allergen(call, allergy)
    drug, drug_rx = await _drug(call, med)
    hit = (allergy_rx and allergy_rx == drug_rx) or (allergen and allergen.lower() in drug.lower())
    if not hit:
        return None
    label = allergen or allergy_rx
    med_label = med.name or drug.strip() or drug_rx
    return {
        "allergy": {"id": str(allergy.uuid), "name": allergen or None},
        "medication": {"id": str(med.uuid), "name": med_label or None},
        "message": f"Patient is allergic to {label}; check {med_label}.",
        "severity": "warning",
    }


async def for_allergy(call: Call, allergy: Allergy) -> list[dict[str, Any]]:
    """Warnings for a new allergy against the patient's active medications."""
    if not allergy.is_active:
        return []
    query = Query(
        where=[
            Cond("patient", "eq", allergy.patient.num),
            Cond("status", "eq", MedicationStatus.active),
        ]
    )
    out = []
    for med in (await call.backend.find(Medication, query)).items:
        warning = await _check(call, allergy, med)
        if warning:
            out.append(warning)
    return out


async def for_medication(call: Call, med: Medication) -> list[dict[str, Any]]:
    """Warnings for a new medication against the patient's active allergies."""
    if med.status is not MedicationStatus.active:
        return []
    query = Query(where=[Cond("patient", "eq", med.patient.num), Cond("is_active", "eq", True)])
    out = []
    for allergy in (await call.backend.find(Allergy, query)).items:
        warning = await _check(call, allergy, med)
        if warning:
            out.append(warning)
    return out


Warnings = Callable[[Call, Any], Awaitable[list[dict[str, Any]]]]
After = Callable[[Call, Record, Mapping[str, Any], bool], Awaitable[Record]]


def on_create(warnings: Warnings) -> After:
    """An ``after`` hook: a create's answer carries ``warnings`` for the new record
    (every other answer shows the list empty)."""

    async def after(call: Call, record: Record, body: Mapping[str, Any], created: bool) -> Record:
        if created:
            call.ctx.options[KEY] = await warnings(call, record)
        return record

    return after
