"""How a patient was acquired (org API referral attributions, seed 003), and the
marketing sources an attribution can name.

An attribution links to exactly one source: a marketing
:class:`ReferralSource`, a referral partner (the canonical ``referral``, Open
Dental's referral), an in-house provider, or a referring patient. Only one
live ``primary`` attribution per patient. DrChrono's patient
``referring_source`` text and Open Dental's refattach are other views of it.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from canonical.base import Record, Ref, RefTo
from canonical.registry import register

__all__ = ["SOURCE_FIELDS", "AttributionRole", "ReferralAttribution", "ReferralSource"]


class AttributionRole(StrEnum):
    primary = "primary"
    """First-touch attribution set at intake."""
    secondary = "secondary"
    assist = "assist"


@register
class ReferralSource(Record):
    """A marketing channel a patient can come from ("Google", "Mailer")."""

    resource = "referral_source"
    name_field = "name"

    name: str
    category: str = ""
    is_hidden: bool = False


SOURCE_FIELDS = ("referral_source", "referral_partner", "provider", "referring_patient")
"""The attribution's source references; exactly one is set."""


@register
class ReferralAttribution(Record):
    resource = "referral_attribution"

    patient: Annotated[Ref, RefTo("patient")]
    role: AttributionRole | None = None
    referral_source: Annotated[Ref | None, RefTo("referral_source")] = None
    referral_partner: Annotated[Ref | None, RefTo("referral")] = None
    provider: Annotated[Ref | None, RefTo("provider")] = None
    referring_patient: Annotated[Ref | None, RefTo("patient")] = None
    source_note: str = ""
    attributed_at: datetime | None = None
