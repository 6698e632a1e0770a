"""A patient's allergy.

Superset of the org API's patient allergy (seed 003: allergy_definition,
reaction, severity, snomed_reaction, status_is_active, date_adverse_reaction)
and DrChrono's ``/api/allergies`` (seed 004 and its OpenAPI: doctor,
description, notes, reaction, rxnorm, snomed_reaction, snomed_code, status,
verification_status).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from canonical.base import Record, Ref, RefTo
from canonical.registry import register

__all__ = ["Allergy", "AllergyVerificationStatus"]


class AllergyVerificationStatus(StrEnum):
    """DrChrono's ``verification_status`` (the org API has none)."""

    confirmed = "confirmed"
    unconfirmed = "unconfirmed"
    refuted = "refuted"
    entered_in_error = "entered-in-error"


@register
class Allergy(Record):
    resource = "allergy"

    patient: Annotated[Ref, RefTo("patient")]
    allergy_definition: Annotated[Ref | None, RefTo("allergy_definition")] = None
    """The catalog entry (org API); DrChrono records have none."""
    provider: Annotated[Ref | None, RefTo("provider")] = None
    """The doctor who diagnosed it (DrChrono ``doctor``)."""
    description: str = ""
    """The allergen as text ("Cat hair"): DrChrono's ``description``; filled from the
    definition's name when a catalog entry is chosen, so catalog-less dialects read it."""
    reaction: str = ""
    severity: str = ""
    snomed_reaction: str = ""
    snomed_code: str = ""
    rxnorm: str = ""
    is_active: bool = True
    """Org ``status_is_active``; DrChrono ``status`` "active"/"inactive"."""
    date_adverse_reaction: date | None = None
    notes: str = ""
    """Provider's notes (DrChrono ``notes``)."""
    verification_status: AllergyVerificationStatus | None = None
