"""DrChrono v4: OAuth2 bearer tokens with scopes, integer ids (the canonical
``num``), ``{next, previous, results}`` paging, 204 on PUT/PATCH/DELETE.

Implements ../shared/seeds/004. Each resource module declares ``ENDPOINTS``
and ``CODECS`` (see :func:`dialects.base.served_by`), most of them from its
:class:`dialects.drchrono.resource.DrChronoResource`; the dialect serves those
of :data:`MODULES`. Every other documented path answers from
:mod:`dialects.drchrono.catalogue`.
"""

from __future__ import annotations

from types import ModuleType

from dialects.base import register_dialect, served_by
from dialects.drchrono import (
    allergies,
    appointments,
    catalogue,
    comm_logs,
    doctors,
    medications,
    oauth,
    offices,
    patient_flag_types,
    patients,
    problems,
    procedures,
    task_setup,
    tasks,
    user_groups,
    users,
)
from dialects.drchrono.dialect import DrChronoBase

__all__ = ["MODULES", "DrChrono"]

MODULES: tuple[ModuleType, ...] = (
    patients,
    comm_logs,
    procedures,
    tasks,
    task_setup,
    appointments,
    doctors,
    offices,
    users,
    user_groups,
    patient_flag_types,
    allergies,
    medications,
    problems,
    oauth,
)
"""Resource modules served; add a module here to serve its endpoints."""

_served = served_by(MODULES)


@register_dialect
class DrChrono(DrChronoBase):
    endpoints = (*_served.endpoints, *catalogue.unserved(_served.endpoints))
    codecs = _served.codecs
