"""A procedure performed, planned or recorded for a patient (OD procedurelog,
DrChrono procedure)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from canonical.base import Record, Ref, RefTo
from canonical.registry import register

__all__ = ["InsuranceHistoryCategory", "Procedure", "ProcedureAttachment", "ProcedureStatus"]


class ProcedureStatus(StrEnum):
    treatment_planned = "treatment_planned"
    complete = "complete"
    existing_current = "existing_current"
    existing_other = "existing_other"
    referred = "referred"
    deleted = "deleted"
    condition = "condition"
    treatment_planned_inactive = "treatment_planned_inactive"


class InsuranceHistoryCategory(StrEnum):
    """Insurance History form rows (OD ``InsHist*Codes`` preferences)."""

    bitewing = "InsHistBWCodes"
    panoramic = "InsHistPanoCodes"
    exam = "InsHistExamCodes"
    prophylaxis = "InsHistProphyCodes"
    perio_upper_right = "InsHistPerioURCodes"
    perio_upper_left = "InsHistPerioULCodes"
    perio_lower_right = "InsHistPerioLRCodes"
    perio_lower_left = "InsHistPerioLLCodes"
    perio_maintenance = "InsHistPerioMaintCodes"
    debridement = "InsHistDebridementCodes"


class ProcedureAttachment(StrEnum):
    """Records that hold on to a procedure, so it may not be deleted (OD's delete rules)."""

    claim = "claim"
    insurance_payment = "insurance_payment"
    patient_payment = "patient_payment"
    adjustment = "adjustment"
    prescription = "prescription"
    payment_plan = "payment_plan"
    referral = "referral"
    ortho_case = "ortho_case"
    last_of_preauthorization = "last_of_preauthorization"
    """The only procedure left on a preauthorization claim."""


@register
class Procedure(Record):
    resource = "procedure"

    patient: Annotated[Ref, RefTo("patient")]
    code: Annotated[Ref, RefTo("procedure_code")]
    status: ProcedureStatus
    procedure_date: date | None = None
    fee: Decimal = Decimal("0.00")
    surface: str = ""
    tooth_num: str = ""
    tooth_range: str = ""
    priority: Annotated[Ref | None, RefTo("definition", "treatment_priority")] = None
    provider: Annotated[Ref | None, RefTo("provider")] = None
    diagnosis: Annotated[Ref | None, RefTo("definition", "diagnosis")] = None
    appointment: Annotated[Ref | None, RefTo("appointment")] = None
    planned_appointment: Annotated[Ref | None, RefTo("appointment")] = None
    clinic: Annotated[Ref | None, RefTo("clinic")] = None
    prosthesis: str = ""
    date_original_prosthesis: date | None = None
    is_date_prosthesis_estimated: bool = False
    unit_qty: int = 1
    base_units: int = 0
    note: str = ""
    group_members: list[int] = []
    """For a group note: the nums of the procedures it covers."""
    insurance_subscription: Annotated[Ref | None, RefTo("insurance_subscription")] = None
    """Set on procedures recorded through insurance history for that plan."""
    insurance_history_category: InsuranceHistoryCategory | None = None
    attached_to: list[ProcedureAttachment] = []
    """What holds on to this procedure (claims, payments, ...), as far as it is known."""
