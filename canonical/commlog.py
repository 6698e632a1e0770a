"""A communication with or about a patient (OD commlog, org API communication
log, DrChrono comm log)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from canonical.base import Record, Ref, RefTo
from canonical.registry import register

__all__ = ["CommDirection", "CommMode", "CommSource", "Commlog"]


class CommMode(StrEnum):
    """Union of OD ``Mode_`` and the org API's ``mode``."""

    none = "none"
    email = "email"
    mail = "mail"
    phone = "phone"
    in_person = "in_person"
    text = "text"
    email_and_text = "email_and_text"
    phone_and_text = "phone_and_text"
    fax = "fax"


class CommDirection(StrEnum):
    neither = "neither"
    sent = "sent"
    received = "received"


class CommSource(StrEnum):
    user = "user"
    automated = "automated"
    integration = "integration"


@register
class Commlog(Record):
    resource = "commlog"

    patient: Annotated[Ref, RefTo("patient")]
    communicated_at: datetime
    commlog_type: Annotated[Ref | None, RefTo("definition", "commlog_type")] = None
    note: str = ""
    mode: CommMode = CommMode.phone
    direction: CommDirection = CommDirection.sent
    user: Annotated[Ref | None, RefTo("user")] = None
    source: CommSource = CommSource.user
    program_num: int = 0
    """The integration program that wrote the entry (OD ``ProgramNum``); 0 for none."""
    referral: Annotated[Ref | None, RefTo("referral")] = None
    signature: str = ""
    """Cleared whenever the note changes."""
    subject: str = ""
    appointment: Annotated[Ref | None, RefTo("appointment")] = None
    """The appointment the communication was about (org API ``appointment``)."""
    provider: Annotated[Ref | None, RefTo("provider")] = None
    """The doctor the communication was for (DrChrono ``doctor``)."""
    cash_charged: Decimal = Decimal("0.00")
    """Cash to charge for the call (DrChrono phone call logs)."""
    duration_minutes: int | None = None
    is_archived: bool = False
