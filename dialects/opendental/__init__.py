"""Open Dental: PascalCase fields, integer keys, ``ODFHIR`` auth, ``Offset`` paging.

Every other resource of the Open Dental API answers from
:mod:`dialects.opendental.catalogue`.
"""

from __future__ import annotations

from dialects.base import register_dialect
from dialects.opendental import catalogue, commlogs, patients, procedurelogs, tasks
from dialects.opendental.dialect import OpenDentalBase

__all__ = ["OpenDental"]


_served = (
    *commlogs.ENDPOINTS,
    *tasks.ENDPOINTS,
    *procedurelogs.ENDPOINTS,
    *patients.ENDPOINTS,
)


@register_dialect
class OpenDental(OpenDentalBase):
    endpoints = (*_served, *catalogue.unserved(_served))
    codecs = {
        "commlog": commlogs.CODEC,
        "task": tasks.CODEC,
        "procedure": procedurelogs.CODEC,
        "patient": patients.CODEC,
    }
