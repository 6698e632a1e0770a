"""Patient alerts and their definitions.

:class:`PatientAlert` is the superset of the org API's patient alert (seed
003: alert_definition, alert_scope, is_urgent, status, note, disable_on,
date_disabled, created_by) and DrChrono's patient flag
(``patient_flags_attached`` in seed 004's ``/api/patients``: flag_type,
flag_text, archived). :class:`AlertDefinition` is the superset of the org
API's patient alert definition (name, description, category, default_scope,
default_is_urgent, item_order) and DrChrono's ``/api/patient_flag_types``
(name, color, priority, doctor, archived). Archiving a definition sets
``deleted_at`` (DrChrono ``archived``).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from canonical.base import Record, Ref, RefTo
from canonical.registry import register

__all__ = ["AlertDefinition", "AlertScope", "AlertStatus", "PatientAlert"]


class AlertScope(StrEnum):
    patient = "patient"
    """Shown on this chart only."""
    family = "family"
    """Shown on every chart of the family (same guarantor)."""


class AlertStatus(StrEnum):
    active = "active"
    disabled = "disabled"
    archived = "archived"
    """DrChrono's ``archived: true``."""


@register
class AlertDefinition(Record):
    resource = "alert_definition"
    name_field = "name"

    name: str
    description: str = ""
    category: str = ""
    default_scope: AlertScope = AlertScope.patient
    default_is_urgent: bool = False
    item_order: int = 0
    color: str = ""
    priority: int | None = None
    provider: Annotated[Ref | None, RefTo("provider")] = None
    """The doctor who owns the flag type (DrChrono ``doctor``)."""


@register
class PatientAlert(Record):
    resource = "patient_alert"

    patient: Annotated[Ref, RefTo("patient")]
    alert_definition: Annotated[Ref | None, RefTo("alert_definition")] = None
    """Org ``alert_definition``; DrChrono ``flag_type``."""
    scope: AlertScope = AlertScope.patient
    is_urgent: bool = False
    status: AlertStatus = AlertStatus.active
    note: str = ""
    """Org ``note``; DrChrono ``flag_text``."""
    disable_on: date | None = None
    date_disabled: datetime | None = None
    user: Annotated[Ref | None, RefTo("user")] = None
    """Who created it (org ``created_by``)."""
