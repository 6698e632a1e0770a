"""The UUID org API (seed 003): snake_case JSON, UUID ids, bearer tokens scoped to
``{org_id}``, ``page``/``page_size`` and cursor paging, FastAPI-style errors.

Each resource module declares ``ENDPOINTS`` and ``CODECS`` (canonical resource
-> codec); the dialect aggregates them from :data:`MODULES`.
"""

from __future__ import annotations

from types import ModuleType

from dialects.base import register_dialect
from dialects.codec import Codec
from dialects.orgapi import patient_bulk, patient_duplicates, patient_lists, patients
from dialects.orgapi.clinical import CLINICAL_MODULES
from dialects.orgapi.dialect import OrgApiBase

__all__ = ["MODULES", "OrgApi"]

MODULES: tuple[ModuleType, ...] = (patients, patient_lists, patient_duplicates, patient_bulk)
"""Resource modules served; add a module here to serve its endpoints."""
MODULES += CLINICAL_MODULES


def _codecs() -> dict[str, Codec]:
    out: dict[str, Codec] = {}
    for mod in MODULES:
        out.update(getattr(mod, "CODECS", {}))
    return out


@register_dialect
class OrgApi(OrgApiBase):
    endpoints = tuple(ep for mod in MODULES for ep in mod.ENDPOINTS)
    codecs = _codecs()
