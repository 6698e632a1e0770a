"""Reference entities that patients, commlogs, tasks and procedures point at."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from canonical.base import Record, Ref, RefTo

__all__ = [
    "Appointment",
    "AppointmentStatus",
    "Clinic",
    "Definition",
    "DefinitionCategory",
    "Employer",
    "FeeSchedule",
    "InsuranceSubscription",
    "ProcedureCode",
    "Provider",
    "Referral",
    "Site",
    "TaskList",
    "TreatmentArea",
    "User",
]


class Provider(Record):
    resource = "provider"
    name_field = "abbreviation"
    abbreviation: str = ""
    first_name: str = ""
    last_name: str = ""
    middle_name: str = ""
    suffix: str = ""
    title: str = ""
    specialty: str = ""
    npi: str = ""
    is_hidden: bool = False
    is_secondary: bool = False
    """Hygienist or other non-primary provider."""
    email: str = ""
    clinic: Annotated[Ref | None, RefTo("clinic")] = None


class Clinic(Record):
    resource = "clinic"
    name_field = "abbreviation"
    abbreviation: str = ""
    description: str = ""
    address_line1: str = ""
    address_line2: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    phone: str = ""
    is_hidden: bool = False


class User(Record):
    resource = "user"
    name_field = "username"
    username: str = ""
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    provider: Annotated[Ref | None, RefTo("provider")] = None
    is_hidden: bool = False


class DefinitionCategory(StrEnum):
    """Kinds of configurable code lists (Open Dental's definition categories)."""

    billing_type = "billing_type"
    diagnosis = "diagnosis"
    treatment_priority = "treatment_priority"
    commlog_type = "commlog_type"
    task_priority = "task_priority"


class Definition(Record):
    resource = "definition"
    name_field = "name"
    category: DefinitionCategory
    name: str
    value: str = ""
    order: int = 0
    is_hidden: bool = False


class TreatmentArea(StrEnum):
    """What part of the mouth a procedure code applies to."""

    none = "none"
    surface = "surface"
    tooth = "tooth"
    mouth = "mouth"
    quadrant = "quadrant"
    sextant = "sextant"
    arch = "arch"
    tooth_range = "tooth_range"


class ProcedureCode(Record):
    resource = "procedure_code"
    name_field = "code"
    code: str
    description: str = ""
    abbreviation: str = ""
    treatment_area: TreatmentArea = TreatmentArea.mouth
    area_also_tooth_range: bool = False
    """Quadrant and arch codes that also accept a tooth range."""
    default_fee: Decimal = Decimal("0.00")
    base_units: int = 0
    is_group_note: bool = False


class TaskList(Record):
    resource = "task_list"
    name_field = "description"
    description: str = ""
    parent: Annotated[Ref | None, RefTo("task_list")] = None
    is_archived: bool = False


class AppointmentStatus(StrEnum):
    scheduled = "scheduled"
    complete = "complete"
    unscheduled_list = "unscheduled_list"
    planned = "planned"
    broken = "broken"
    patient_note = "patient_note"
    cancelled = "cancelled"


class Appointment(Record):
    """An appointment, as far as procedures and tasks reference it."""

    resource = "appointment"
    patient: Annotated[Ref | None, RefTo("patient")] = None
    provider: Annotated[Ref | None, RefTo("provider")] = None
    hygienist: Annotated[Ref | None, RefTo("provider")] = None
    clinic: Annotated[Ref | None, RefTo("clinic")] = None
    status: AppointmentStatus = AppointmentStatus.scheduled
    starts_at: datetime | None = None
    duration_minutes: int = 0
    note: str = ""


class Employer(Record):
    resource = "employer"
    name_field = "name"
    name: str = ""
    address_line1: str = ""
    address_line2: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    phone: str = ""


class FeeSchedule(Record):
    resource = "fee_schedule"
    description: str = ""


class Site(Record):
    resource = "site"
    description: str = ""


class Referral(Record):
    resource = "referral"
    last_name: str = ""
    first_name: str = ""
    is_doctor: bool = False


class InsuranceSubscription(Record):
    """A subscriber's enrolment in an insurance plan (Open Dental ``inssub``)."""

    resource = "insurance_subscription"
    subscriber: Annotated[Ref | None, RefTo("patient")] = None
    subscriber_id: str = ""
    carrier_name: str = ""
    plan_group_name: str = ""
    effective_date: date | None = None
