"""Open Dental patient field map (reference/opendental/apipatients.md).

One table, in the order of the "Patients GET (single)" example. ``Simple``
prefixes ``serverDateTime``; ``GET /patients`` shows the Patient Select subset
(:data:`LIST_FIELDS`) in the same relative order.

Shapes chosen where the examples disagree with each other:

- ``Zip`` is always a string. The GET (multiple) example prints ``90011`` as a
  number, every other example prints a string; a number cannot hold ``12345-1234``
  or ``A0A 0A0`` and drops leading zeros.
- ``Premed`` is the string ``"true"``/``"false"``, Open Dental's boolean convention
  (every example prints ``"false"``).
- ``ImageFolder`` comes before ``FamFinUrgNote`` everywhere (GET single order;
  the POST example swaps them).
- ``EstBalance``/``BalTotal`` are JSON numbers; ``BalTotal`` is 0 unless the
  patient is the family's guarantor ("will return 0 unless the patient is the
  guarantor").
- ``ImageFolder`` is stored when Open Dental creates the patient (it does not
  move on a rename); a patient created through another dialect shows the default.
- ``Guarantor`` shows the patient's own PatNum when they head their own family;
  canonically that is ``guarantor=None``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from canonical import Gender, MaritalStatus, Patient, PatientStatus, Record, RefTo
from canonical.patient import ContactMethod, TriState
from dialects.base import Call
from dialects.codec import Codec, CodecContext, EnumMap, Field, Loss, LossLevel
from dialects.opendental.formats import (
    Bool,
    Date,
    DateOfDateTime,
    DateTime,
    Int,
    MoneyNumber,
    RefName,
    RefNum,
    ServerTime,
    Text,
)

__all__ = ["CODEC", "LIST_FIELDS", "SIMPLE_CODEC", "computed", "derived", "image_folder"]

BILLING_TYPE = RefTo("definition", "billing_type")
PROVIDER = RefTo("provider")
CLINIC = RefTo("clinic")
SITE = RefTo("site")

STATUSES = EnumMap(
    {
        "Patient": PatientStatus.active,
        "NonPatient": PatientStatus.non_patient,
        "Inactive": PatientStatus.inactive,
        "Archived": PatientStatus.archived,
        "Deceased": PatientStatus.deceased,
        "Prospective": PatientStatus.prospective,
    }
)

# The write documentation lists Male/Female/Unknown; Simple's filter (22.3.6) adds
# Other, which Open Dental stores and shows, so writes accept it too.
GENDERS = EnumMap(
    {
        "Male": Gender.male,
        "Female": Gender.female,
        "Unknown": Gender.unknown,
        "Other": Gender.other,
    },
    nearest={Gender.non_binary: "Other", Gender.prefer_not_to_say: "Unknown"},
)

POSITIONS = EnumMap(
    {
        "Single": MaritalStatus.single,
        "Married": MaritalStatus.married,
        "Child": MaritalStatus.child,
        "Widowed": MaritalStatus.widowed,
        "Divorced": MaritalStatus.divorced,
    },
    # Separated partners are still married; "other" has no better home than Single.
    nearest={
        MaritalStatus.domestic_partner: "Married",
        MaritalStatus.separated: "Married",
        MaritalStatus.other: "Single",
    },
)

CONTACT_METHODS = EnumMap(
    {
        "None": ContactMethod.none,
        "DoNotCall": ContactMethod.do_not_call,
        "HmPhone": ContactMethod.home_phone,
        "WkPhone": ContactMethod.work_phone,
        "WirelessPh": ContactMethod.mobile_phone,
        "Email": ContactMethod.email,
        "SeeNotes": ContactMethod.see_notes,
        "Mail": ContactMethod.mail,
        "TextMessage": ContactMethod.text,
    },
    # The org API's unspecified "phone": the home phone is the household's number.
    nearest={ContactMethod.phone: "HmPhone"},
)

TEXT_OK = EnumMap({"Unknown": TriState.unknown, "Yes": TriState.yes, "No": TriState.no})

_ZIP = re.compile(r"^(\d{5}|\d{5}-\d{4}|\d{9}|[A-Z]\d[A-Z] \d[A-Z]\d)$")
CANADIAN_ZIP = re.compile(r"^[A-Z]\d[A-Z] \d[A-Z]\d$")


class ZipCode(Text):
    """``12345``, ``12345-1234``, ``123456789`` (US) or ``A0A 0A0`` (Canada); empty clears."""

    def from_wire(self, raw: Any, ctx: CodecContext) -> str:
        text = super().from_wire(raw, ctx)
        if text and not _ZIP.match(text):
            raise ValueError('must be in format 12345, 12345-1234, 123456789 or "A0A 0A0"')
        return text


FIELDS = [
    Field("PatNum", "num", Int(), read_only=True),
    Field("LName", "last_name", Text(), required="POST"),
    Field("FName", "first_name", Text(), required="POST"),
    Field("MiddleI", "middle_name", Text()),
    Field("Preferred", "preferred_name", Text()),
    Field("PatStatus", "status", STATUSES),
    Field("Gender", "gender", GENDERS),
    Field("Position", "marital_status", POSITIONS),
    Field("Birthdate", "date_of_birth", Date()),
    Field("SSN", "social_security_number", Text()),
    Field("Address", "address_line1", Text()),
    Field("Address2", "address_line2", Text()),
    Field("City", "city", Text()),
    Field("State", "state", Text()),
    Field("Zip", "postal_code", ZipCode()),
    Field("HmPhone", "home_phone", Text()),
    Field("WkPhone", "work_phone", Text()),
    Field("WirelessPhone", "mobile_phone", Text()),
    Field("Guarantor", "guarantor", RefNum()),
    Field("Email", "email", Text()),
    Field("EstBalance", "estimated_balance", MoneyNumber(), read_only=True),
    Field("PriProv", "primary_provider", RefNum()),
    Field(
        "priProvAbbr",
        "primary_provider",
        RefName(PROVIDER, "abbreviation"),
        read_only=True,
        ref=PROVIDER,
    ),
    Field("SecProv", "secondary_provider", RefNum()),
    Field(
        "secProvAbbr",
        "secondary_provider",
        RefName(PROVIDER, "abbreviation"),
        read_only=True,
        ref=PROVIDER,
    ),
    Field("FeeSched", "fee_schedule", RefNum()),
    Field("BillingType", "billing_type", RefName(BILLING_TYPE, "name"), ref=BILLING_TYPE),
    Field("ImageFolder", "image_folder", Text(), read_only=True),
    Field("FamFinUrgNote", "family_financial_note", Text()),
    Field("ChartNumber", "chart_number", Text(max_length=15)),
    Field("MedicaidID", "medicaid_id", Text()),
    Field("BalTotal", "balance_total", MoneyNumber(), read_only=True),
    Field("EmployerNum", "employer", RefNum()),
    Field("DateFirstVisit", "date_first_visit", Date()),
    Field("ClinicNum", "location", RefNum()),
    Field("clinicAbbr", "location", RefName(CLINIC, "abbreviation"), read_only=True, ref=CLINIC),
    Field("Premed", "premedication_required", Bool()),
    Field("Ward", "ward", Text()),
    Field("PreferConfirmMethod", "preferred_confirmation_method", CONTACT_METHODS),
    Field("PreferContactMethod", "preferred_contact_method", CONTACT_METHODS),
    Field("PreferRecallMethod", "preferred_recall_method", CONTACT_METHODS),
    Field("Language", "preferred_language", Text()),
    Field("AdmitDate", "admit_date", Date()),
    Field("siteDesc", "site", RefName(SITE, "description"), read_only=True, ref=SITE),
    Field("DateTStamp", "updated_at", DateTime(), read_only=True),
    Field("SuperFamily", "super_family", RefNum()),
    Field("TxtMsgOk", "text_messaging_ok", TEXT_OK),
    Field("SecDateEntry", "created_at", DateOfDateTime(), read_only=True),
]

LIST_FIELDS = (
    "PatNum",
    "LName",
    "FName",
    "MiddleI",
    "Preferred",
    "PatStatus",
    "Birthdate",
    "SSN",
    "Address",
    "Address2",
    "City",
    "State",
    "Zip",
    "HmPhone",
    "WkPhone",
    "WirelessPhone",
    "Email",
    "priProvAbbr",
    "secProvAbbr",
    "BillingType",
    "ChartNumber",
    "ClinicNum",
    "clinicAbbr",
    "siteDesc",
    "TxtMsgOk",
)
"""GET /patients: the Patient Select window's columns."""

LABELS = {
    "primary_provider": "PriProv",
    "secondary_provider": "SecProv",
    "fee_schedule": "FeeSched",
    "billing_type": "BillingType",
    "employer": "EmployerNum",
    "location": "ClinicNum",
    "guarantor": "Guarantor",
    "super_family": "SuperFamily",
}


def _own_guarantor(patch: dict[str, Any]) -> dict[str, Any]:
    """A patient whose Guarantor is their own PatNum heads their family: canonically none."""
    guarantor, num = patch.get("guarantor"), patch.get("num")
    if guarantor is not None and num is not None and guarantor.num == num:
        patch["guarantor"] = None
    return patch


class PatientCodec(Codec):
    """The field map, plus the two values Open Dental derives from the whole record."""

    def encode(
        self,
        record: Record,
        ctx: CodecContext,
        *,
        only: Iterable[str] | None = None,
        request: bool = False,
        on_loss: LossLevel = "ignore",
        losses: list[Loss] | None = None,
    ) -> dict[str, Any]:
        out = super().encode(
            record, ctx, only=only, request=request, on_loss=on_loss, losses=losses
        )
        assert isinstance(record, Patient)
        for key, value in derived(record).items():
            if key in out:
                out[key] = value
        return out


def derived(record: Patient) -> dict[str, Any]:
    """The wire values Open Dental derives from the whole record, where they
    differ from the field's own: ``Guarantor`` is the patient's own PatNum when
    they head their family (a record from another source may name them as their
    own guarantor), ``BalTotal`` is 0 for everyone else, and a patient created
    through another dialect shows the default ``ImageFolder``."""
    out: dict[str, Any] = {}
    own = record.guarantor is None or record.guarantor.num == record.num
    if own:
        out["Guarantor"] = record.num or 0
    else:
        out["BalTotal"] = 0.0
    if not record.image_folder:
        out["ImageFolder"] = image_folder(record)
    return out


async def computed(call: Call, records: list[Record], verbose: bool) -> dict[int, dict[str, Any]]:
    """:func:`derived` for a page of patients, as the shared renderer takes it."""
    out: dict[int, dict[str, Any]] = {}
    for r in records:
        assert isinstance(r, Patient)
        out[r.num or 0] = derived(r)
    return out


def image_folder(record: Patient) -> str:
    """ "ImageFolder": LName+FName+PatNum, letters and digits only ("SmithJane48")."""
    letters = "".join(ch for ch in record.last_name + record.first_name if ch.isalnum())
    return f"{letters}{record.num}"


CODEC = PatientCodec("opendental", Patient, FIELDS, ref_labels=LABELS, normalize=_own_guarantor)

SIMPLE_CODEC = PatientCodec(
    "opendental",
    Patient,
    [Field("serverDateTime", None, ServerTime(), read_only=True), *FIELDS],
    ref_labels=LABELS,
    normalize=_own_guarantor,
)
"""GET /patients/Simple: each element carries the server's clock first, for sync."""
