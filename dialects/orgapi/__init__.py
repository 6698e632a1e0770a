"""The UUID org API (seed 003): snake_case JSON, UUID ids, bearer tokens scoped to
``{org_id}``, ``page``/``page_size`` and cursor paging, FastAPI-style errors.

Each resource module declares ``ENDPOINTS`` and ``CODECS`` (see
:func:`dialects.base.served_by`); the dialect serves those of :data:`MODULES`:
the patients themselves, then their per-patient sub-resources and the
definitions those point at.
"""

from __future__ import annotations

from types import ModuleType

from dialects.base import register_dialect, served_by
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
    patient_bulk,
    patient_duplicates,
    patient_lists,
    patients,
    referrals,
    relationships,
    tags,
    vitals,
)
from dialects.orgapi.dialect import OrgApiBase

__all__ = ["MODULES", "OrgApi"]

MODULES: tuple[ModuleType, ...] = (
    patients,
    patient_lists,
    patient_duplicates,
    patient_bulk,
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
"""Resource modules served; add a module here to serve its endpoints."""

_served = served_by(MODULES)


@register_dialect
class OrgApi(OrgApiBase):
    endpoints = _served.endpoints
    codecs = _served.codecs
