"""The canonical patient: the superset of Open Dental's patient, the org API's
``PatientOut`` (seed 003) and DrChrono's ``/api/patients`` (seed 004).

Field names are neutral; each dialect's codec maps its own names onto these.
Values that belong to one dialect only still have a home here, so a patient
written through any dialect can be read back through it unchanged.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, ClassVar

from pydantic import Field

from canonical.base import Record, Ref, RefTo
from canonical.registry import register

__all__ = [
    "AllergyReviewStatus",
    "ContactMethod",
    "Ethnicity",
    "Gender",
    "MaritalStatus",
    "Patient",
    "PatientStatus",
    "Pronoun",
    "Race",
    "TriState",
]


class PatientStatus(StrEnum):
    """Union of OD ``PatStatus``, org API ``status`` and DrChrono ``patient_status``."""

    active = "active"
    non_patient = "non_patient"
    inactive = "inactive"
    archived = "archived"
    deceased = "deceased"
    prospective = "prospective"


class Gender(StrEnum):
    male = "male"
    female = "female"
    unknown = "unknown"
    other = "other"
    non_binary = "non_binary"
    prefer_not_to_say = "prefer_not_to_say"


class MaritalStatus(StrEnum):
    single = "single"
    married = "married"
    child = "child"
    widowed = "widowed"
    divorced = "divorced"
    domestic_partner = "domestic_partner"
    separated = "separated"
    other = "other"


class ContactMethod(StrEnum):
    """Union of OD ``ContactMethod`` and the org API's preferred methods."""

    none = "none"
    do_not_call = "do_not_call"
    home_phone = "home_phone"
    work_phone = "work_phone"
    mobile_phone = "mobile_phone"
    phone = "phone"
    email = "email"
    see_notes = "see_notes"
    mail = "mail"
    text = "text"


class TriState(StrEnum):
    unknown = "unknown"
    yes = "yes"
    no = "no"


class Pronoun(StrEnum):
    he_him = "he_him"
    she_her = "she_her"
    they_them = "they_them"
    other = "other"
    not_specified = "not_specified"


class AllergyReviewStatus(StrEnum):
    not_reviewed = "not_reviewed"
    nkda = "nkda"
    reviewed = "reviewed"


class Race(StrEnum):
    blank = "blank"
    indian = "indian"
    asian = "asian"
    black = "black"
    hawaiian = "hawaiian"
    white = "white"
    declined = "declined"


class Ethnicity(StrEnum):
    blank = "blank"
    hispanic = "hispanic"
    not_hispanic = "not_hispanic"
    declined = "declined"


@register
class Patient(Record):
    resource = "patient"
    indexes: ClassVar[tuple[tuple[str, ...], ...]] = (
        # Keyset paging of the org API's patient lists, one per sort field: the
        # (tenant, field, num) index serves both the order and the cursor seek.
        # The trailing deleted_at lets the "not deleted" filter be checked in the
        # index, so an offset page skips rows without reading each one (page 400
        # of 200: ~130 ms -> ~7 ms over 100,000 patients).
        ("last_name", "num", "deleted_at"),
        ("first_name", "num", "deleted_at"),
        ("date_of_birth", "num", "deleted_at"),
        ("chart_number", "num", "deleted_at"),
        ("created_at", "num", "deleted_at"),
        ("updated_at", "num", "deleted_at"),
        ("status", "num", "deleted_at"),
        # Counting a tenant's live patients (every page's ``total``) from the index
        # alone instead of reading every row: ~90-190 ms -> ~3 ms for 100,000.
        ("deleted_at",),
    )

    # Name
    last_name: str
    first_name: str
    middle_name: str = ""
    preferred_name: str = ""
    title: str = ""
    salutation: str = ""
    suffix: str = ""
    pronoun: Pronoun | None = None

    # Demographics
    status: PatientStatus = PatientStatus.active
    gender: Gender = Gender.unknown
    marital_status: MaritalStatus = MaritalStatus.single
    date_of_birth: date | None = None
    date_time_deceased: datetime | None = None
    social_security_number: str = ""
    preferred_language: str = ""
    """ISO 639-2/3 code, or a practice-defined name; empty for none."""
    race: Race | None = None
    ethnicity: Ethnicity | None = None

    # Address and contact
    address_line1: str = ""
    address_line2: str = ""
    address_note: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    country: str = ""
    home_phone: str = ""
    work_phone: str = ""
    mobile_phone: str = ""
    email: str = ""
    preferred_confirmation_method: ContactMethod = ContactMethod.none
    preferred_contact_method: ContactMethod = ContactMethod.none
    preferred_recall_method: ContactMethod = ContactMethod.none
    text_messaging_ok: TriState = TriState.unknown
    receives_email: bool | None = None
    disable_sms_messages: bool = False
    emergency_contact_name: str = ""
    emergency_contact_phone: str = ""
    emergency_contact_relation: str = ""

    # Family and responsibility
    guarantor: Annotated[Ref | None, RefTo("patient")] = None
    """Head of household; a patient with none is their own guarantor."""
    super_family: Annotated[Ref | None, RefTo("patient")] = None
    responsible_party: Annotated[Ref | None, RefTo("patient")] = None
    responsible_party_name: str = ""
    responsible_party_relation: str = ""
    responsible_party_phone: str = ""
    responsible_party_email: str = ""

    # Practice
    primary_provider: Annotated[Ref | None, RefTo("provider")] = None
    secondary_provider: Annotated[Ref | None, RefTo("provider")] = None
    location: Annotated[Ref | None, RefTo("clinic")] = None
    fee_schedule: Annotated[Ref | None, RefTo("fee_schedule")] = None
    billing_type: Annotated[Ref | None, RefTo("definition", "billing_type")] = None
    employer: Annotated[Ref | None, RefTo("employer")] = None
    site: Annotated[Ref | None, RefTo("site")] = None
    chart_number: str = ""
    medicaid_id: str = ""
    image_folder: str = ""
    date_first_visit: date | None = None
    ward: str = ""
    admit_date: date | None = None
    billing_cycle_day: int | None = None
    ask_to_arrive_early_mins: int | None = None
    scheduling_hold: bool | None = None
    consent_flags: int = 0
    patient_payment_profile: str = ""
    default_pharmacy: str = ""
    primary_care_physician: str = ""
    referring_source: str = ""

    # Notes
    family_financial_note: str = ""
    medical_urgent_note: str = ""
    medical_summary: str = ""
    treatment_notes: str = ""
    appointment_module_note: str = ""

    # Clinical flags
    premedication_required: bool = False
    allergy_review_status: AllergyReviewStatus = AllergyReviewStatus.not_reviewed
    smoking_snomed: str = ""

    # Balances (money as Decimal; maintained by the practice system)
    estimated_balance: Decimal = Decimal("0")
    balance_total: Decimal = Decimal("0")
    balance_0_30: Decimal = Decimal("0")
    balance_31_60: Decimal = Decimal("0")
    balance_61_90: Decimal = Decimal("0")
    balance_over_90: Decimal = Decimal("0")
    insurance_estimate: Decimal = Decimal("0")
    payment_plan_due: Decimal = Decimal("0")

    # Structured data other dialects attach to a patient
    custom_demographics: list[dict[str, Any]] = Field(default_factory=list)
    insurances: dict[str, dict[str, Any]] = Field(default_factory=dict)
    """DrChrono's primary/secondary/tertiary/auto/workers-comp insurance objects."""
