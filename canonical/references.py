"""Reference entities that patients, commlogs, tasks and procedures point at."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from canonical.base import Record, Ref, RefTo
from canonical.procedure import InsuranceHistoryCategory
from canonical.registry import register

__all__ = [
    "Appointment",
    "AppointmentPriority",
    "AppointmentStatus",
    "AppointmentStatusChange",
    "Clinic",
    "Definition",
    "DefinitionCategory",
    "Employer",
    "ExamRoom",
    "FeeSchedule",
    "InsuranceSubscription",
    "OnlineBooking",
    "ProcedureCode",
    "Provider",
    "ProviderStatus",
    "Referral",
    "Site",
    "TaskList",
    "TreatmentArea",
    "User",
    "UserGroup",
    "WeeklySlot",
]


class ProviderStatus(StrEnum):
    """Open Dental's ``ProvStatus``: a provider is never removed, only marked deleted."""

    active = "active"
    deleted = "deleted"


@register
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
    group_npi: str = ""
    """The NPI of the provider's group practice (an individual ``npi`` is preferred)."""
    country: str = "US"
    """ISO 3166 two-letter code."""
    office_phone: str = ""
    home_phone: str = ""
    cell_phone: str = ""
    website: str = ""
    job_title: str = ""
    profile_picture: str = ""
    """URL of the provider's picture."""
    time_zone: str = ""
    """IANA zone of the provider's calendar; empty means the tenant's zone."""
    is_suspended: bool = False
    """The provider's account is suspended (cannot sign in)."""
    specialty_definition: Annotated[Ref | None, RefTo("definition", "provider_specialty")] = None
    """The provider specialty definition ``specialty`` names (Open Dental's ``Specialty``)."""
    fee_schedule: Annotated[Ref | None, RefTo("fee_schedule")] = None
    ssn: str = ""
    """The provider's SSN or the practice's TIN (``using_tin``), digits only."""
    using_tin: bool = False
    state_license: str = ""
    color: str = ""
    """CSS colour (``#rrggbb``) of the provider in schedules; empty for none."""
    signature_on_file: bool = False
    is_not_person: bool = False
    """A billing entity or organization rather than a person."""
    status: ProviderStatus = ProviderStatus.active
    is_hidden_on_reports: bool = False
    birthdate: date | None = None
    schedule_note: str = ""
    preferred_name: str = ""
    clinics: list[Annotated[Ref, RefTo("clinic")]] = Field(default_factory=list)
    """The clinics the provider is restricted to; empty: not restricted to any."""


class ExamRoom(BaseModel):
    """A room of a clinic that appointments are booked into, by its 1-based ``index``."""

    model_config = ConfigDict(extra="forbid")

    index: int
    name: str = ""
    online_scheduling: bool = False


class WeeklySlot(BaseModel):
    """A weekly start time (``weekday`` 0 = Monday) offered for online booking."""

    model_config = ConfigDict(extra="forbid")

    weekday: int
    hour: int
    minute: int = 0


@register
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
    country: str = ""
    fax: str = ""
    owner: Annotated[Ref | None, RefTo("provider")] = None
    """The provider who owns the clinic (DrChrono's office ``doctor``)."""
    opens_at: time | None = None
    """Start of the clinic's day; ``None`` for midnight."""
    closes_at: time | None = None
    """End of the clinic's day; ``None`` for midnight at the end of the day (24:00)."""
    online_scheduling: bool = False
    online_slots: list[WeeklySlot] = Field(default_factory=list)
    exam_rooms: list[ExamRoom] = Field(default_factory=list)
    billing_address_line1: str = ""
    """Where claims are billed from, when not the clinic's own address."""
    billing_address_line2: str = ""
    billing_city: str = ""
    billing_state: str = ""
    billing_postal_code: str = ""
    pay_to_address_line1: str = ""
    """Where insurance payments are sent, when not the clinic's own address."""
    pay_to_address_line2: str = ""
    pay_to_city: str = ""
    pay_to_state: str = ""
    pay_to_postal_code: str = ""


@register
class User(Record):
    resource = "user"
    name_field = "username"
    username: str = ""
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    provider: Annotated[Ref | None, RefTo("provider")] = None
    is_hidden: bool = False
    is_provider: bool = False
    """The user is the provider ``provider`` names; otherwise staff whose primary
    physician is ``provider``."""
    plan_type: str = ""
    """The account's subscription plan."""
    permissions: dict[str, Any] = Field(default_factory=dict)
    """Named permissions the user holds, as the practice system reports them."""


@register
class UserGroup(Record):
    """A named group of users (DrChrono ``/api/user_groups``)."""

    resource = "user_group"
    name_field = "name"
    name: str = ""
    members: list[Annotated[Ref, RefTo("user")]] = Field(default_factory=list)
    is_archived: bool = False


class DefinitionCategory(StrEnum):
    """Kinds of configurable code lists (Open Dental's definition categories)."""

    billing_type = "billing_type"
    diagnosis = "diagnosis"
    treatment_priority = "treatment_priority"
    commlog_type = "commlog_type"
    task_priority = "task_priority"
    # The rest of Open Dental's definition categories (its DefCat), so every
    # definition it lists has a category here.
    account_color = "account_color"
    adjustment_type = "adjustment_type"
    appointment_confirmed = "appointment_confirmed"
    appointment_quick_add = "appointment_quick_add"
    claim_format = "claim_format"
    dunning_message = "dunning_message"
    fee_schedule_name_old = "fee_schedule_name_old"
    medical_note = "medical_note"
    operatory_old = "operatory_old"
    payment_type = "payment_type"
    procedure_code_category = "procedure_code_category"
    progress_note_color = "progress_note_color"
    recall_unscheduled_status = "recall_unscheduled_status"
    service_note = "service_note"
    discount_type = "discount_type"
    appointment_color = "appointment_color"
    image_category = "image_category"
    appointment_phone_note = "appointment_phone_note"
    misc_color = "misc_color"
    chart_graphic_color = "chart_graphic_color"
    contact_category = "contact_category"
    letter_merge_category = "letter_merge_category"
    blockout_type = "blockout_type"
    procedure_button_category = "procedure_button_category"
    supply_category = "supply_category"
    paysplit_unearned_type = "paysplit_unearned_type"
    prognosis = "prognosis"
    claim_custom_tracking = "claim_custom_tracking"
    insurance_payment_type = "insurance_payment_type"
    fee_color = "fee_color"
    provider_specialty = "provider_specialty"
    claim_payment_tracking = "claim_payment_tracking"
    account_quick_charge = "account_quick_charge"
    insurance_verification_status = "insurance_verification_status"
    region = "region"
    claim_payment_group = "claim_payment_group"
    auto_note_category = "auto_note_category"
    web_sched_new_patient_appointment_type = "web_sched_new_patient_appointment_type"
    claim_error_code = "claim_error_code"
    clinic_specialty = "clinic_specialty"
    job_priority = "job_priority"
    carrier_group_name = "carrier_group_name"
    pay_plan_category = "pay_plan_category"
    auto_deposit = "auto_deposit"
    insurance_filing_code_group = "insurance_filing_code_group"
    time_card_adjustment_type = "time_card_adjustment_type"
    web_sched_existing_appointment_type = "web_sched_existing_appointment_type"
    certification_category = "certification_category"


@register
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


@register
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
    time_pattern: str = ""
    """How long the procedure takes (Open Dental ``ProcTime``: ``/`` and ``X`` per
    five minutes); empty: not recorded."""
    is_group_note: bool = False
    insurance_history_categories: list[InsuranceHistoryCategory] = []
    """Insurance History rows this code counts for (OD's ``InsHist*Codes`` preferences)."""


@register
class TaskList(Record):
    resource = "task_list"
    name_field = "description"
    description: str = ""
    parent: Annotated[Ref | None, RefTo("task_list")] = None
    is_archived: bool = False


class AppointmentStatus(StrEnum):
    """Union of Open Dental's ``AptStatus`` and DrChrono's appointment statuses."""

    scheduled = "scheduled"
    complete = "complete"
    unscheduled_list = "unscheduled_list"
    planned = "planned"
    broken = "broken"
    patient_note = "patient_note"
    patient_note_completed = "patient_note_completed"
    cancelled = "cancelled"
    arrived = "arrived"
    checked_in = "checked_in"
    checked_in_online = "checked_in_online"
    in_room = "in_room"
    in_session = "in_session"
    confirmed = "confirmed"
    not_confirmed = "not_confirmed"
    rescheduled = "rescheduled"
    no_show = "no_show"


class AppointmentPriority(StrEnum):
    """Open Dental's ``Priority``: an appointment on the ASAP list is ``asap``."""

    normal = "normal"
    asap = "asap"


class OnlineBooking(StrEnum):
    """How a patient booked the appointment online (Open Dental's Web Sched
    ``eServiceLogType``); ``none`` for one booked by the office."""

    none = "none"
    recall = "recall"
    new_patient = "new_patient"
    existing_patient = "existing_patient"
    asap = "asap"


class AppointmentStatusChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    from_status: AppointmentStatus | None = None
    to_status: AppointmentStatus
    changed_at: datetime


@register
class Appointment(Record):
    """An appointment or a break (no patient) on a provider's calendar: the superset
    of Open Dental's appointment (as procedures and tasks reference it) and
    DrChrono's ``/api/appointments``."""

    resource = "appointment"
    patient: Annotated[Ref | None, RefTo("patient")] = None
    provider: Annotated[Ref | None, RefTo("provider")] = None
    hygienist: Annotated[Ref | None, RefTo("provider")] = None
    clinic: Annotated[Ref | None, RefTo("clinic")] = None
    status: AppointmentStatus = AppointmentStatus.scheduled
    starts_at: datetime | None = None
    duration_minutes: int = 0
    note: str = ""
    exam_room: int | None = None
    """1-based index into the clinic's ``exam_rooms``."""
    reason: str = ""
    color: str = ""
    """CSS colour shown on the calendar."""
    is_break: bool = False
    """A block of the provider's time with no patient."""
    is_walk_in: bool = False
    allow_overlap: bool = False
    """Booked on purpose over another appointment of the same provider."""
    supervising_provider: Annotated[Ref | None, RefTo("provider")] = None
    billing_provider: Annotated[Ref | None, RefTo("provider")] = None
    billing_status: str = ""
    cloned_from: Annotated[Ref | None, RefTo("appointment")] = None
    is_recurring: bool = False
    recurring_base: Annotated[Ref | None, RefTo("appointment")] = None
    """The first appointment of the recurring series this one belongs to."""
    status_history: list[AppointmentStatusChange] = Field(default_factory=list)
    """Changes of ``status``, oldest first, as recorded by the writers that keep a
    history (DrChrono ``status_transitions``)."""
    operatory: Annotated[Ref | None, RefTo("operatory")] = None
    """The operatory booked (Open Dental's ``Op``); see :mod:`canonical.schedule`
    for how it relates to ``clinic`` and ``exam_room``."""
    pattern: str = ""
    """Open Dental's time pattern (``/`` and ``X`` per five minutes); empty: none
    recorded (``duration_minutes`` alone says how long)."""
    pattern_secondary: str = ""
    confirmation: Annotated[Ref | None, RefTo("definition", "appointment_confirmed")] = None
    """How far the appointment is confirmed (an appointment-confirmed definition)."""
    time_locked: bool = False
    planned_appointment: Annotated[Ref | None, RefTo("appointment")] = None
    """The planned appointment this one was scheduled from."""
    unscheduled_status: Annotated[Ref | None, RefTo("definition", "recall_unscheduled_status")] = (
        None
    )
    is_new_patient: bool = False
    procedure_description: str = ""
    """Abbreviations of the procedures attached, as the calendar shows them."""
    is_hygiene: bool = False
    arrived_at: datetime | None = None
    seated_at: datetime | None = None
    dismissed_at: datetime | None = None
    asked_to_arrive_at: datetime | None = None
    appointment_type: int | None = None
    """The appointment type's num (Open Dental ``AppointmentTypeNum``); kept as a plain
    number, as appointments may name types the practice no longer lists
    (:class:`canonical.schedule.AppointmentType`)."""
    entered_by: Annotated[Ref | None, RefTo("user")] = None
    priority: AppointmentPriority = AppointmentPriority.normal
    planned_order: int = 0
    """Order of a planned appointment among the patient's planned appointments."""
    online_booking: OnlineBooking = OnlineBooking.none

    indexes: ClassVar[tuple[tuple[str, ...], ...]] = (
        ("provider_num", "starts_at"),
        ("clinic_num", "exam_room", "starts_at"),
    )
    """Calendar listings and overlap checks look appointments up by provider or room, by time."""


@register
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


@register
class FeeSchedule(Record):
    resource = "fee_schedule"
    description: str = ""


@register
class Site(Record):
    resource = "site"
    description: str = ""


@register
class Referral(Record):
    resource = "referral"
    last_name: str = ""
    first_name: str = ""
    is_doctor: bool = False


@register
class InsuranceSubscription(Record):
    """A subscriber's enrolment in an insurance plan (Open Dental ``inssub``)."""

    resource = "insurance_subscription"
    subscriber: Annotated[Ref | None, RefTo("patient")] = None
    subscriber_id: str = ""
    carrier_name: str = ""
    plan_group_name: str = ""
    effective_date: date | None = None
