"""Open Dental: PascalCase fields, integer keys, ``ODFHIR`` auth, ``Offset`` paging.

Each resource module declares ``ENDPOINTS`` and ``CODECS`` (see
:func:`dialects.base.served_by`); the dialect serves those of :data:`MODULES`.
Every other resource of the Open Dental API answers from
:mod:`dialects.opendental.catalogue`.
"""

from __future__ import annotations

from types import ModuleType

from dialects.base import register_dialect, served_by
from dialects.opendental import (
    allergies,
    appointment_actions,
    appointment_planned,
    appointment_slots,
    appointment_websched,
    appointments,
    catalogue,
    clinics,
    commlogs,
    definitions,
    diseases,
    group_notes,
    insurance_history,
    medicationpats,
    patients,
    procedurelogs,
    providers,
    tasks,
)
from dialects.opendental.dialect import OpenDentalBase

__all__ = ["MODULES", "OpenDental"]

MODULES: tuple[ModuleType, ...] = (
    commlogs,
    tasks,
    procedurelogs,
    insurance_history,
    group_notes,
    patients,
    providers,
    clinics,
    definitions,
    allergies,
    medicationpats,
    diseases,
    appointments,
    appointment_actions,
    appointment_slots,
    appointment_planned,
    appointment_websched,
)
"""Resource modules served; add a module here to serve its endpoints."""

_served = served_by(MODULES)


@register_dialect
class OpenDental(OpenDentalBase):
    endpoints = (*_served.endpoints, *catalogue.unserved(_served.endpoints))
    codecs = _served.codecs
