"""The org API's ``PatientOut`` / ``CreatePatientIn`` / ``UpdatePatientIn`` field map
(seed 003, "Patients"), read top to bottom in the document's field order
(the document lists fields alphabetically; responses keep that order).

Mapping decisions:

- ``id`` is the canonical uuid; the integer ``num`` (Open Dental ``PatNum``) is
  not shown, so both ids stay stable across dialects.
- Status (canonical <-> org <-> Open Dental ``PatStatus``): active <-> active
  <-> Patient; inactive <-> Inactive; prospective <-> Prospective; deceased <->
  Deceased; archived <-> Archived. Open Dental's NonPatient has no org status:
  it is shown as its nearest, ``inactive`` (not under care), and the canonical
  ``non_patient`` is kept until the org API itself changes the status, so Open
  Dental reads back exactly what it wrote.
- ``responsible_party`` is the patient financially responsible for this one:
  the canonical ``guarantor`` (OD ``Guarantor``); the document calls it the
  guarantor in its error list and in the family view.
- ``receives_sms`` is the canonical yes/no/unknown text-messaging consent
  (OD ``TxtMsgOk``): true/false/null.
- Preferred methods the org API lacks (home/work/mobile phone, do-not-call,
  see-notes) show as their nearest (``phone``, ``none``); the record keeps them.
- ``scheduling_restricted`` is derived as documented: status inactive or a
  total balance over $500. ``potential_duplicates`` is filled on create (the
  duplicate signals of ``check-duplicates``) and empty on other reads.
- ``latest_vitals_date`` is the newest ``date_taken`` of the patient's vital
  signs. ``billing_account`` (create only; its shape is not documented) is an
  object kept verbatim in the record's org API extensions.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from canonical import (
    Cond,
    Gender,
    MaritalStatus,
    Order,
    Patient,
    PatientStatus,
    Query,
    Record,
    RefTo,
    VitalSign,
)
from canonical.patient import AllergyReviewStatus, ContactMethod, Pronoun
from dialects.base import Call
from dialects.codec import Codec, EnumMap, Field
from dialects.orgapi.field_maps import ref
from dialects.orgapi.formats import (
    Bool,
    Date,
    DateTime,
    Email,
    Int,
    Money,
    NullableBool,
    Text,
    TriBool,
    Uuid,
)
from dialects.render import encoder

PROVIDER = RefTo("provider")
CLINIC = RefTo("clinic")
EMPLOYER = RefTo("employer")
FEE_SCHEDULE = RefTo("fee_schedule")
BILLING_TYPE = RefTo("definition", "billing_type")
PATIENT = RefTo("patient")

STATUSES = EnumMap(
    {
        "active": PatientStatus.active,
        "inactive": PatientStatus.inactive,
        "prospective": PatientStatus.prospective,
        "deceased": PatientStatus.deceased,
        "archived": PatientStatus.archived,
    },
    nearest={PatientStatus.non_patient: "inactive"},
)

GENDERS = EnumMap({g.value: g for g in Gender})
PRONOUNS = EnumMap({p.value: p for p in Pronoun})
ALLERGY_REVIEW = EnumMap({a.value: a for a in AllergyReviewStatus})
MARITAL = EnumMap(
    {m.value: m for m in MaritalStatus if m is not MaritalStatus.child},
    nearest={MaritalStatus.child: "single"},
)
METHODS = EnumMap(
    {
        "none": ContactMethod.none,
        "phone": ContactMethod.phone,
        "email": ContactMethod.email,
        "mail": ContactMethod.mail,
        "text": ContactMethod.text,
    },
    nearest={
        ContactMethod.home_phone: "phone",
        ContactMethod.work_phone: "phone",
        ContactMethod.mobile_phone: "phone",
        ContactMethod.do_not_call: "none",
        ContactMethod.see_notes: "none",
    },
)


class Computed:
    """A value derived from the whole record, filled by :func:`derived`."""

    def to_wire(self, value: Any, ctx: Any) -> Any:
        return None

    def from_wire(self, raw: Any, ctx: Any) -> None:
        raise ValueError("is read-only")


class JsonObject:
    """Any JSON object, kept as given."""

    def to_wire(self, value: Any, ctx: Any) -> Any:
        return value

    def from_wire(self, raw: Any, ctx: Any) -> dict[str, Any]:
        if not isinstance(raw, dict):
            raise ValueError("must be an object")
        return raw


CODEC = Codec(
    "orgapi",
    Patient,
    [
        Field("address_line1", "address_line1", Text()),
        Field("address_line2", "address_line2", Text()),
        Field("address_note", "address_note", Text()),
        Field("allergy_review_status", "allergy_review_status", ALLERGY_REVIEW),
        Field("appointment_module_note", "appointment_module_note", Text()),
        Field(
            "ask_to_arrive_early_mins",
            "ask_to_arrive_early_mins",
            Int(minimum=0, maximum=120, nullable=True),
        ),
        Field("balance_0_30", "balance_0_30", Money(), read_only=True),
        Field("balance_31_60", "balance_31_60", Money(), read_only=True),
        Field("balance_61_90", "balance_61_90", Money(), read_only=True),
        Field("balance_over_90", "balance_over_90", Money(), read_only=True),
        Field("balance_total", "balance_total", Money(), read_only=True),
        Field(
            "billing_account",
            None,
            JsonObject(),
            write_only=True,
            extension=True,
            accepts="POST",
        ),
        Field("billing_cycle_day", "billing_cycle_day", Int(minimum=1, maximum=31, nullable=True)),
        *ref("billing_type", "billing_type", BILLING_TYPE),
        Field("chart_number", "chart_number", Text(max_length=100)),
        Field("city", "city", Text()),
        Field("consent_flags", "consent_flags", Int(minimum=0)),
        Field("country", "country", Text()),
        Field("created_at", "created_at", DateTime(), read_only=True),
        Field("date_first_visit", "date_first_visit", Date()),
        Field("date_of_birth", "date_of_birth", Date()),
        Field("date_time_deceased", "date_time_deceased", DateTime()),
        Field("deleted_at", "deleted_at", DateTime(), read_only=True),
        Field("email", "email", Email(max_length=254)),
        Field("emergency_contact_name", "emergency_contact_name", Text()),
        Field("emergency_contact_phone", "emergency_contact_phone", Text()),
        *ref("employer", "employer", EMPLOYER),
        Field("estimated_balance", "estimated_balance", Money(), read_only=True),
        *ref("fee_schedule", "fee_schedule", FEE_SCHEDULE),
        Field("first_name", "first_name", Text(max_length=100, required=True), required="POST"),
        Field("gender", "gender", GENDERS),
        Field("home_phone", "home_phone", Text()),
        Field("id", "uuid", Uuid(), read_only=True),
        Field("insurance_estimate", "insurance_estimate", Money(), read_only=True),
        Field("last_name", "last_name", Text(max_length=100, required=True), required="POST"),
        Field("latest_vitals_date", None, Computed(), read_only=True),
        *ref("location", "location", CLINIC),
        Field("marital_status", "marital_status", MARITAL),
        Field("medicaid_id", "medicaid_id", Text()),
        Field("medical_summary", "medical_summary", Text()),
        Field("medical_urgent_note", "medical_urgent_note", Text()),
        Field("middle_name", "middle_name", Text()),
        Field("mobile_phone", "mobile_phone", Text()),
        Field("payment_plan_due", "payment_plan_due", Money(), read_only=True),
        Field("postal_code", "postal_code", Text()),
        Field("potential_duplicates", None, Computed(), read_only=True),
        Field("preferred_confirmation_method", "preferred_confirmation_method", METHODS),
        Field("preferred_contact_method", "preferred_contact_method", METHODS),
        Field("preferred_language", "preferred_language", Text()),
        Field("preferred_name", "preferred_name", Text()),
        Field("premedication_required", "premedication_required", Bool()),
        *ref("primary_provider", "primary_provider", PROVIDER),
        Field("pronoun", "pronoun", PRONOUNS),
        Field("receives_email", "receives_email", NullableBool()),
        Field("receives_sms", "text_messaging_ok", TriBool()),
        *ref("responsible_party", "guarantor", PATIENT),
        Field("salutation", "salutation", Text()),
        Field("scheduling_restricted", None, Computed(), read_only=True),
        *ref("secondary_provider", "secondary_provider", PROVIDER),
        Field("smoking_snomed", "smoking_snomed", Text(), read_only=True),
        Field("social_security_number", "social_security_number", Text()),
        Field("state", "state", Text()),
        Field("status", "status", STATUSES, accepts="POST"),
        Field("title", "title", Text()),
        Field("treatment_notes", "treatment_notes", Text()),
        Field("updated_at", "updated_at", DateTime(), read_only=True),
        Field("version", "version", Int(), read_only=True),
        Field("work_phone", "work_phone", Text()),
    ],
    ref_labels={
        "primary_provider": "Primary provider",
        "secondary_provider": "Secondary provider",
        "location": "Location",
        "employer": "Employer",
        "fee_schedule": "Fee schedule",
        "billing_type": "Billing type",
        "guarantor": "Responsible party",
    },
)

NOT_FOUND = "Patient not found."
RESTRICTED_BALANCE = Decimal("500")

SUMMARY = (
    "chart_number",
    "date_of_birth",
    "email",
    "first_name",
    "home_phone",
    "id",
    "last_name",
    "mobile_phone",
    "preferred_name",
    "status",
)
"""The lightweight identification fields of typeahead and duplicate results."""


def wire_status(status: PatientStatus) -> str:
    return str(STATUSES.to_wire(status, None))  # type: ignore[arg-type]


def scheduling_restricted(record: Patient) -> bool:
    """As documented: true when status is inactive or the balance exceeds $500."""
    return wire_status(record.status) == "inactive" or record.balance_total > RESTRICTED_BALANCE


async def latest_vitals(call: Call, records: list[Patient]) -> dict[int, str]:
    """Newest vital-signs date per patient num, one query for the whole page."""
    nums = [r.num for r in records if r.num is not None]
    if not nums:
        return {}
    query = Query(
        where=[Cond("patient", "in", nums)],
        order=[Order("date_taken", descending=True)],
    )
    out: dict[int, str] = {}
    for vs in (await call.backend.find(VitalSign, query)).items:
        if vs.patient.num is not None:
            out.setdefault(vs.patient.num, vs.date_taken.isoformat())
    return out


DUPLICATES = "orgapi.potential_duplicates"
"""Where a create puts the duplicates it found, for its answer (by patient num)."""


async def derived(call: Call, records: list[Record], verbose: bool) -> dict[int, dict[str, Any]]:
    """The derived fields of ``PatientOut`` for a page of patients."""
    patients = [r for r in records if isinstance(r, Patient)]
    vitals = await latest_vitals(call, patients)
    duplicates = call.ctx.options.get(DUPLICATES, {})
    return {
        p.num or 0: {
            "latest_vitals_date": vitals.get(p.num or 0),
            "potential_duplicates": list(duplicates.get(p.num, [])),
            "scheduling_restricted": scheduling_restricted(p),
        }
        for p in patients
    }


_summary = encoder(CODEC, only=SUMMARY)


def summary(call: Call, record: Patient) -> dict[str, Any]:
    return _summary(record, call.ctx)
