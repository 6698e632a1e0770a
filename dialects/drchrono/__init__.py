"""DrChrono v4: OAuth2 bearer tokens with scopes, integer ids (the canonical
``num``), ``{next, previous, results}`` paging, 204 on PUT/PATCH/DELETE.

Implements ../shared/seeds/004. Each resource module lists its ``RESOURCES``
(:class:`dialects.drchrono.resource.DrChronoResource`) or ``ENDPOINTS`` and ``CODEC(S)``;
every other documented path answers from :mod:`dialects.drchrono.catalogue`.
"""

from __future__ import annotations

from dialects.base import Endpoint, register_dialect
from dialects.codec import Codec
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
from dialects.drchrono.resource import DrChronoResource

__all__ = ["DrChrono"]

RESOURCES: list[DrChronoResource] = [
    *patients.RESOURCES,
    comm_logs.RESOURCE,
    procedures.RESOURCE,
    tasks.RESOURCE,
    *task_setup.RESOURCES,
    appointments.RESOURCE,
    doctors.RESOURCE,
    offices.RESOURCE,
    users.RESOURCE,
    user_groups.RESOURCE,
    patient_flag_types.RESOURCE,
    allergies.RESOURCE,
    medications.RESOURCE,
    problems.RESOURCE,
]
"""Served resources; add a module's resources here."""

EXTRA: list[Endpoint] = [
    *oauth.ENDPOINTS,
    *offices.ACTIONS,
    *users.ACTIONS,
    *medications.ACTIONS,
]
"""Endpoints that are not a plain resource (OAuth, actions)."""

_served = [ep for r in RESOURCES for ep in r.endpoints()] + EXTRA
_codecs: dict[str, Codec] = {r.model.resource: r.codec for r in RESOURCES}


@register_dialect
class DrChrono(DrChronoBase):
    endpoints = (*_served, *catalogue.unserved(_served))
    codecs = _codecs
