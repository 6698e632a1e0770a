"""Open Dental: PascalCase fields, integer keys, ``ODFHIR`` auth, ``Offset`` paging."""

from __future__ import annotations

from dialects.base import register_dialect
from dialects.opendental import commlogs, patients, procedurelogs, tasks
from dialects.opendental.dialect import OpenDentalBase

__all__ = ["OpenDental"]


@register_dialect
class OpenDental(OpenDentalBase):
    endpoints = (
        *commlogs.ENDPOINTS,
        *tasks.ENDPOINTS,
        *procedurelogs.ENDPOINTS,
        *patients.ENDPOINTS,
    )
    codecs = {
        "commlog": commlogs.CODEC,
        "task": tasks.CODEC,
        "procedure": procedurelogs.CODEC,
        "patient": patients.CODEC,
    }
