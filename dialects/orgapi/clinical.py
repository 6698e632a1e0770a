"""The org API's per-patient sub-resources and definitions (seed 003), as one
list of resource modules the dialect serves beside the patients themselves."""

from __future__ import annotations

from types import ModuleType

from dialects.orgapi import alerts, allergies, diseases, family, medications, vitals

__all__ = ["CLINICAL_MODULES"]

CLINICAL_MODULES: tuple[ModuleType, ...] = (
    alerts,
    allergies,
    diseases,
    medications,
    vitals,
    family,
)
