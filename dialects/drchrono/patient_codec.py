"""DrChrono's patient field maps (seed 004 ``/api/patients`` and
``/api/patients_summary``): the code tables, the converters of nested
values, and the two codecs.

Code tables:

- gender: "Male" <-> male, "Female" <-> female, "Other" <-> other. Canonical
  values DrChrono cannot say are shown as the nearest: non_binary -> "Other",
  unknown and prefer_not_to_say -> "" (the record keeps the original).
- patient_status: "A" <-> active, "I" <-> inactive, "D" <-> deceased;
  prospective shows "A" (a patient not yet seen is active), non_patient and
  archived show "I".
- race, ethnicity: the seed's codes, one canonical member each; an unset value
  shows "blank".
- preferred_language: ISO 639 alpha-3 codes (lower case) or "blank", "other",
  "unknown", "declined"; canonical keeps the code, "" for "blank".
"""

from __future__ import annotations

import re
from typing import Any

from canonical import (
    Gender,
    Patient,
    PatientStatus,
    Ref,
    RefTo,
)
from canonical.patient import Ethnicity, Race
from dialects.codec import Codec, CodecContext, EnumMap, Field
from dialects.drchrono.formats import Bool, Date, Enum_, Int, RefId, Shown, Text, Timestamp

D = "drchrono"
EMPLOYER = RefTo("employer")

GENDERS = EnumMap(
    {"Male": Gender.male, "Female": Gender.female, "Other": Gender.other},
    nearest={
        Gender.non_binary: "Other",
        Gender.unknown: "",
        Gender.prefer_not_to_say: "",
    },
)

STATUSES = EnumMap(
    {"A": PatientStatus.active, "I": PatientStatus.inactive, "D": PatientStatus.deceased},
    nearest={
        PatientStatus.prospective: "A",
        PatientStatus.non_patient: "I",
        PatientStatus.archived: "I",
    },
)
ACTIVE = (PatientStatus.active, PatientStatus.prospective)
"""Canonical statuses shown as "A" (listed without ``show_inactive``)."""

RACES = EnumMap({m.value: m for m in Race})
ETHNICITIES = EnumMap({m.value: m for m in Ethnicity})

PAYMENT_PROFILES = (
    "",
    "Cash",
    "Insurance",
    "Insurance Out of Network",
    "Auto Accident",
    "Worker's Comp",
)
NEEDS_INSURANCE = ("Insurance", "Auto Accident", "Worker's Comp")

INSURANCE_KEYS = {
    "primary_insurance": "primary",
    "secondary_insurance": "secondary",
    "tertiary_insurance": "tertiary",
    "auto_accident_insurance": "auto_accident",
    "workers_comp_insurance": "workers_comp",
}
EMPLOYER_KEYS = {
    "employer": "name",
    "employer_address": "address_line1",
    "employer_city": "city",
    "employer_state": "state",
    "employer_zip_code": "postal_code",
}
LANGUAGE_WORDS = ("blank", "other", "unknown", "declined")


class Language:
    """ISO 639 alpha-3 code; "blank" is the empty canonical value."""

    def to_wire(self, value: str | None, ctx: CodecContext) -> Any:
        return value or "blank"

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        if raw is None or raw in ("", "blank"):
            return ""
        if isinstance(raw, str) and (raw in LANGUAGE_WORDS or re.fullmatch(r"[a-z]{3}", raw)):
            return raw
        raise ValueError('must be an ISO 639 alpha-3 code (such as "eng") or "blank".')


class PaymentProfile(Text):
    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        value = super().from_wire(raw, ctx)
        if value not in PAYMENT_PROFILES:
            raise ValueError("must be one of " + ", ".join(f'"{p}"' for p in PAYMENT_PROFILES))
        return value


class InsurancePart:
    """One insurance object of ``Patient.insurances`` (decoded by :func:`_extra`)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def to_wire(self, value: dict[str, dict[str, Any]] | None, ctx: CodecContext) -> Any:
        return (value or {}).get(self.kind)

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        return {} if raw is None else {self.kind: _object(raw)}


class EmployerPart:
    """One attribute of the referenced employer (decoded by :func:`_extra`)."""

    def __init__(self, attr: str) -> None:
        self.attr = attr

    def to_wire(self, value: Ref | None, ctx: CodecContext) -> Any:
        employer = ctx.ref_record("employer", value)
        return "" if employer is None else getattr(employer, self.attr)

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        return None if raw in (None, "") else Ref(name=str(raw)) if self.attr == "name" else None


class Objects:
    """An array of objects kept as given (custom demographics)."""

    def to_wire(self, value: Any, ctx: CodecContext) -> Any:
        return list(value or [])

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        if raw is None:
            return []
        if not isinstance(raw, list) or not all(isinstance(x, dict) for x in raw):
            raise ValueError("must be an array of objects (send application/json).")
        return raw


class Object:
    def to_wire(self, value: Any, ctx: CodecContext) -> Any:
        return value

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        return None if raw is None else _object(raw)


class NoFile:
    """``patient_photo``: files are not stored here (see module doc; :func:`_extra`)."""

    def to_wire(self, value: Any, ctx: CodecContext) -> Any:
        return None

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        return None


def _object(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ValueError("must be an object (nested objects need application/json).")
    return raw


CODEC = Codec(
    D,
    Patient,
    [
        Field(
            "auto_accident_insurance", "insurances", InsurancePart("auto_accident"), read_only=True
        ),
        Field("date_of_birth", "date_of_birth", Date()),
        Field("doctor", "primary_provider", RefId(), required="POST PUT"),
        Field("gender", "gender", GENDERS, required="POST PUT"),
        Field("address", "address_line1", Text()),
        Field("cell_phone", "mobile_phone", Text()),
        Field("chart_id", "chart_number", Text()),
        Field("city", "city", Text()),
        Field("created_at", "created_at", Timestamp(), read_only=True),
        Field("custom_demographics", "custom_demographics", Objects()),
        Field("default_pharmacy", "default_pharmacy", Text()),
        Field("disable_sms_messages", "disable_sms_messages", Bool()),
        Field("email", "email", Text()),
        Field("emergency_contact_name", "emergency_contact_name", Text()),
        Field("emergency_contact_phone", "emergency_contact_phone", Text()),
        Field("emergency_contact_relation", "emergency_contact_relation", Text()),
        *(
            # The name identifies the employer when a full record is read (translate()).
            Field(
                wire,
                "employer",
                EmployerPart(attr),
                read_only=True,
                ref=EMPLOYER,
                precedence=int(attr == "name"),
            )
            for wire, attr in EMPLOYER_KEYS.items()
        ),
        Field("ethnicity", "ethnicity", Enum_(ETHNICITIES, blank="blank")),
        Field("first_name", "first_name", Text()),
        Field("home_phone", "home_phone", Text()),
        Field("id", "num", Int(), read_only=True),
        Field("last_name", "last_name", Text()),
        Field("middle_name", "middle_name", Text()),
        Field("nick_name", "preferred_name", Text()),
        Field("offices", None, Shown([]), read_only=True, extension=True),
        Field("patient_flags", None, Shown([]), read_only=True, extension=True),
        Field("patient_flags_attached", None, Shown([]), read_only=True, extension=True),
        Field("patient_photo", None, NoFile(), read_only=True, extension=True),
        Field("patient_photo_date", None, Date(), read_only=True, extension=True),
        Field("patient_payment_profile", "patient_payment_profile", PaymentProfile()),
        Field("patient_status", "status", STATUSES),
        Field("preferred_language", "preferred_language", Language()),
        Field("primary_care_physician", "primary_care_physician", Text()),
        Field("primary_insurance", "insurances", InsurancePart("primary"), read_only=True),
        Field("race", "race", Enum_(RACES, blank="blank")),
        Field("referring_doctor", None, Object(), extension=True),
        Field("referring_source", "referring_source", Text()),
        Field("responsible_party_name", "responsible_party_name", Text()),
        Field("responsible_party_relation", "responsible_party_relation", Text()),
        Field("responsible_party_phone", "responsible_party_phone", Text()),
        Field("responsible_party_email", "responsible_party_email", Text()),
        Field("secondary_insurance", "insurances", InsurancePart("secondary"), read_only=True),
        Field("social_security_number", "social_security_number", Text()),
        Field("state", "state", Text()),
        Field("tertiary_insurance", "insurances", InsurancePart("tertiary"), read_only=True),
        Field("updated_at", "updated_at", Timestamp(), read_only=True),
        Field(
            "workers_comp_insurance", "insurances", InsurancePart("workers_comp"), read_only=True
        ),
        Field("zip_code", "postal_code", Text()),
    ],
    ref_labels={"primary_provider": "doctor", "employer": "employer"},
)

VERBOSE = (
    "auto_accident_insurance",
    "primary_insurance",
    "secondary_insurance",
    "tertiary_insurance",
    "custom_demographics",
    "patient_flags",
    "patient_flags_attached",
    "referring_doctor",
    "workers_comp_insurance",
)

SUMMARY_CODEC = Codec(
    D,
    Patient,
    [
        Field("date_of_birth", "date_of_birth", Date(), required="POST PUT"),
        Field("doctor", "primary_provider", RefId(), required="POST PUT"),
        Field("gender", "gender", GENDERS, required="POST PUT"),
        Field("chart_id", "chart_number", Text()),
        Field("first_name", "first_name", Text()),
        Field("last_name", "last_name", Text()),
        Field("id", "num", Int(), read_only=True),
    ],
    ref_labels={"primary_provider": "doctor"},
)
