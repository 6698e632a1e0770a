"""The org API's per-patient sub-resources and definitions (seed 003), as one
list of resource modules the dialect serves beside the patients themselves."""

from __future__ import annotations

from types import ModuleType

from dialects.orgapi import (
    alerts,
    allergies,
    communication_logs,
    definitions,
    diseases,
    family,
    field_values,
    medical_summary,
    medications,
    referrals,
    relationships,
    tags,
    vitals,
)

__all__ = ["CLINICAL_MODULES"]

CLINICAL_MODULES: tuple[ModuleType, ...] = (
    alerts,
    allergies,
    diseases,
    medications,
    vitals,
    referrals,
    relationships,
    communication_logs,
    field_values,
    medical_summary,
    tags,
    definitions,
    family,
)
