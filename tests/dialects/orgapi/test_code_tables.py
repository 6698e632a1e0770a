"""Org API code tables, row by row in both directions, written out from seed 003
(the "One of: ..." lists and the schemas' enums; field types from the
definitions module's documented decision, the document showing only "string")."""

from __future__ import annotations

from typing import Any

import pytest

import dialects.orgapi
from canonical import (
    AlertScope,
    AlertStatus,
    AttributionRole,
    CommDirection,
    CommMode,
    CommSource,
    FieldType,
    FunctionStatus,
    Gender,
    MaritalStatus,
    MedicationStatus,
    PatientStatus,
    ProblemStatus,
    RelationshipType,
)
from canonical.patient import AllergyReviewStatus, ContactMethod, Pronoun, TriState
from dialects.codec import EnumMap
from dialects.orgapi import (
    alerts,
    communication_logs,
    definitions,
    diseases,
    family,
    medications,
    patient_codec,
    patients,
    referrals,
    relationships,
)
from dialects.orgapi.formats import TriBool
from tests.dialects.code_tables import (
    CTX,
    Table,
    codecs,
    enum_dicts,
    table_suite,
)

P = PatientStatus

TABLES = [
    Table(
        # alert_scope: 'One of: patient (this chart only), family (all family members' charts)'.
        "orgapi.alerts.SCOPES",
        alerts.SCOPES,
        (("patient", AlertScope.patient), ("family", AlertScope.family)),
    ),
    Table(
        # status: 'Alert lifecycle status. One of: active, disabled, archived'.
        "orgapi.alerts.STATUSES",
        alerts.STATUSES,
        (
            ("active", AlertStatus.active),
            ("disabled", AlertStatus.disabled),
            ("archived", AlertStatus.archived),
        ),
    ),
    Table(
        # mode: 'One of: phone, email, mail, in_person, text, fax' (null: no mode, MODES below).
        "orgapi.communication_logs.MODE_TABLE",
        communication_logs.MODE_TABLE,
        (
            ("phone", CommMode.phone),
            ("email", CommMode.email),
            ("mail", CommMode.mail),
            ("in_person", CommMode.in_person),
            ("text", CommMode.text),
            ("fax", CommMode.fax),
        ),
        # Open Dental's combined modes and "None" have no org mode: see test_mode_null_and_nearest.
    ),
    Table(
        # direction: 'One of: sent, received, neither'.
        "orgapi.communication_logs.DIRECTIONS",
        communication_logs.DIRECTIONS,
        (
            ("neither", CommDirection.neither),
            ("sent", CommDirection.sent),
            ("received", CommDirection.received),
        ),
    ),
    Table(
        # communication_source: 'One of: user (manual), automated (system-generated),
        # integration (external API)'.
        "orgapi.communication_logs.SOURCES",
        communication_logs.SOURCES,
        (
            ("user", CommSource.user),
            ("automated", CommSource.automated),
            ("integration", CommSource.integration),
        ),
    ),
    Table(
        # default_scope: as a patient alert's scope.
        "orgapi.definitions.SCOPES",
        definitions.SCOPES,
        (("patient", AlertScope.patient), ("family", AlertScope.family)),
    ),
    Table(
        # field_type: text, number, currency, date, boolean, dropdown (module decision).
        "orgapi.definitions.FIELD_TYPES",
        definitions.FIELD_TYPES,
        (
            ("text", FieldType.text),
            ("number", FieldType.number),
            ("currency", FieldType.currency),
            ("date", FieldType.date),
            ("boolean", FieldType.boolean),
            ("dropdown", FieldType.dropdown),
        ),
    ),
    Table(
        # problem_status: 'One of: active, resolved, inactive'.
        "orgapi.diseases.PROBLEM_STATUSES",
        diseases.PROBLEM_STATUSES,
        (
            ("active", ProblemStatus.active),
            ("resolved", ProblemStatus.resolved),
            ("inactive", ProblemStatus.inactive),
        ),
    ),
    Table(
        # function_status: 'One of: problem, cognitive_result, cognitive_problem,
        # functional_result, functional_problem'.
        "orgapi.diseases.FUNCTION_STATUSES",
        diseases.FUNCTION_STATUSES,
        (
            ("problem", FunctionStatus.problem),
            ("cognitive_result", FunctionStatus.cognitive_result),
            ("cognitive_problem", FunctionStatus.cognitive_problem),
            ("functional_result", FunctionStatus.functional_result),
            ("functional_problem", FunctionStatus.functional_problem),
        ),
    ),
    Table(
        # status: 'Medication lifecycle status. One of: active, discontinued, on_hold, completed'.
        "orgapi.medications.STATUSES",
        medications.STATUSES,
        (
            ("active", MedicationStatus.active),
            ("discontinued", MedicationStatus.discontinued),
            ("on_hold", MedicationStatus.on_hold),
            ("completed", MedicationStatus.completed),
        ),
        {MedicationStatus.inactive: "discontinued"},
    ),
    Table(
        # status: 'Patient lifecycle status. One of: active, inactive, prospective,
        # deceased, archived'.
        "orgapi.patient_codec.STATUSES",
        patient_codec.STATUSES,
        (
            ("active", P.active),
            ("inactive", P.inactive),
            ("prospective", P.prospective),
            ("deceased", P.deceased),
            ("archived", P.archived),
        ),
        {P.non_patient: "inactive"},
    ),
    Table(
        # gender: 'One of: male, female, non_binary, other, unknown, prefer_not_to_say'.
        "orgapi.patient_codec.GENDERS",
        patient_codec.GENDERS,
        (
            ("male", Gender.male),
            ("female", Gender.female),
            ("unknown", Gender.unknown),
            ("other", Gender.other),
            ("non_binary", Gender.non_binary),
            ("prefer_not_to_say", Gender.prefer_not_to_say),
        ),
    ),
    Table(
        # pronoun enum: he_him, not_specified, other, she_her, they_them.
        "orgapi.patient_codec.PRONOUNS",
        patient_codec.PRONOUNS,
        (
            ("he_him", Pronoun.he_him),
            ("she_her", Pronoun.she_her),
            ("they_them", Pronoun.they_them),
            ("other", Pronoun.other),
            ("not_specified", Pronoun.not_specified),
        ),
    ),
    Table(
        # allergy_review_status: 'One of: not_reviewed, nkda, reviewed'.
        "orgapi.patient_codec.ALLERGY_REVIEW",
        patient_codec.ALLERGY_REVIEW,
        (
            ("not_reviewed", AllergyReviewStatus.not_reviewed),
            ("nkda", AllergyReviewStatus.nkda),
            ("reviewed", AllergyReviewStatus.reviewed),
        ),
    ),
    Table(
        # marital_status enum: divorced, domestic_partner, married, other, separated,
        # single, widowed.
        "orgapi.patient_codec.MARITAL",
        patient_codec.MARITAL,
        (
            ("single", MaritalStatus.single),
            ("married", MaritalStatus.married),
            ("widowed", MaritalStatus.widowed),
            ("divorced", MaritalStatus.divorced),
            ("domestic_partner", MaritalStatus.domestic_partner),
            ("separated", MaritalStatus.separated),
            ("other", MaritalStatus.other),
        ),
        {MaritalStatus.child: "single"},
    ),
    Table(
        # preferred_contact_method / preferred_confirmation_method enum: email, mail,
        # none, phone, text.
        "orgapi.patient_codec.METHODS",
        patient_codec.METHODS,
        (
            ("none", ContactMethod.none),
            ("phone", ContactMethod.phone),
            ("email", ContactMethod.email),
            ("mail", ContactMethod.mail),
            ("text", ContactMethod.text),
        ),
        {
            ContactMethod.home_phone: "phone",
            ContactMethod.work_phone: "phone",
            ContactMethod.mobile_phone: "phone",
            ContactMethod.do_not_call: "none",
            ContactMethod.see_notes: "none",
        },
    ),
    Table(
        # attribution_role: 'One of: primary, secondary, assist'.
        "orgapi.referrals.ROLES",
        referrals.ROLES,
        (
            ("primary", AttributionRole.primary),
            ("secondary", AttributionRole.secondary),
            ("assist", AttributionRole.assist),
        ),
    ),
    Table(
        # relationship_type: 'One of: spouse, life_partner, parent, child, sibling,
        # guardian, grandparent, grandchild, stepparent, stepchild, foster_child,
        # caregiver, other_family, merge, clone'.
        "orgapi.relationships.TYPES",
        relationships.TYPES,
        tuple(
            (w, RelationshipType[w])
            for w in [
                "spouse",
                "life_partner",
                "parent",
                "child",
                "sibling",
                "guardian",
                "grandparent",
                "grandchild",
                "stepparent",
                "stepchild",
                "foster_child",
                "caregiver",
                "other_family",
                "merge",
                "clone",
            ]
        ),
    ),
]

FIELDS: dict[tuple[str, str], object] = {
    ("PatientAlert", "alert_scope"): alerts.SCOPES,
    ("PatientAlert", "status"): alerts.STATUSES,
    ("Commlog", "mode"): communication_logs.MODE_TABLE,
    ("Commlog", "direction"): communication_logs.DIRECTIONS,
    ("Commlog", "communication_source"): communication_logs.SOURCES,
    ("AlertDefinition", "default_scope"): definitions.SCOPES,
    ("FieldDefinition", "field_type"): definitions.FIELD_TYPES,
    ("Problem", "problem_status"): diseases.PROBLEM_STATUSES,
    ("Problem", "function_status"): diseases.FUNCTION_STATUSES,
    ("Medication", "status"): medications.STATUSES,
    ("Patient", "status"): patient_codec.STATUSES,
    ("Patient", "gender"): patient_codec.GENDERS,
    ("Patient", "pronoun"): patient_codec.PRONOUNS,
    ("Patient", "allergy_review_status"): patient_codec.ALLERGY_REVIEW,
    ("Patient", "marital_status"): patient_codec.MARITAL,
    ("Patient", "preferred_contact_method"): patient_codec.METHODS,
    ("Patient", "preferred_confirmation_method"): patient_codec.METHODS,
    ("ReferralAttribution", "attribution_role"): referrals.ROLES,
    ("Relationship", "relationship_type"): relationships.TYPES,
}
"""Which code table each wire field of every org API codec reads and writes."""

WRAPPERS = {("Commlog", "mode"): communication_logs.MODES}
"""Fields whose converter wraps a code table with nearest rows of its own."""

TRANSITIONS = {
    # 'Valid transitions: prospective->active, active->inactive, active->deceased,
    # inactive->active'; Open Dental's non-patient (shown as inactive) moves as inactive.
    P.prospective: {P.active},
    P.active: {P.inactive, P.deceased},
    P.inactive: {P.active},
    P.non_patient: {P.active},
    P.deceased: set(),
    P.archived: set(),
}


(
    test_from_wire,
    test_to_wire,
    test_nearest,
    test_table_is_exactly_the_documented_one,
    test_every_code_table_has_an_explicit_table,
    test_every_enum_field_uses_its_documented_table,
) = table_suite(
    dialects.orgapi,
    TABLES,
    FIELDS,
    checked_elsewhere=frozenset({"orgapi.communication_logs.MODE_TABLE"}),
)


def test_mode_table_is_exactly_the_documented_one() -> None:
    codes = communication_logs.MODE_TABLE
    assert list(codes.table) == ["phone", "email", "mail", "in_person", "text", "fax"]
    assert codes.nearest == {}


@pytest.mark.parametrize(
    ("member", "wire"),
    [
        (CommMode.phone, "phone"),
        (CommMode.email, "email"),
        (CommMode.mail, "mail"),
        (CommMode.in_person, "in_person"),
        (CommMode.text, "text"),
        (CommMode.fax, "fax"),
        (CommMode.none, None),
        (CommMode.email_and_text, "email"),
        (CommMode.phone_and_text, "phone"),
    ],
)
def test_mode_null_and_nearest(member: CommMode, wire: str | None) -> None:
    """``mode`` null is "no mode"; Open Dental's combined modes show their first part."""
    modes = communication_logs.MODES
    assert modes.to_wire(member, CTX) == wire
    if member not in (CommMode.email_and_text, CommMode.phone_and_text):
        assert modes.from_wire(wire, CTX) is member
    assert set(modes.nearest) == {CommMode.email_and_text, CommMode.phone_and_text}


@pytest.mark.parametrize(
    ("member", "wire"), [(TriState.yes, True), (TriState.no, False), (TriState.unknown, None)]
)
def test_receives_sms(member: TriState, wire: bool | None) -> None:
    conv = TriBool()
    assert conv.to_wire(member, CTX) is wire
    assert conv.from_wire(wire, CTX) is member


def test_every_wrapping_converter_is_listed() -> None:
    wrapped: dict[tuple[str, str], Any] = {}
    for c in codecs(dialects.orgapi).values():
        for f in c.fields:
            if not isinstance(f.conv, EnumMap) and hasattr(f.conv, "nearest"):
                wrapped[(c.model.__name__, f.wire)] = f.conv
    assert wrapped == WRAPPERS


def test_every_dict_code_table_is_checked() -> None:
    assert set(enum_dicts(dialects.orgapi).values()) == {"dialects.orgapi.patients.TRANSITIONS"}


def test_status_transitions() -> None:
    assert {k: set(v) for k, v in patients.TRANSITIONS.items()} == TRANSITIONS


@pytest.mark.parametrize(
    ("member", "wire"),
    [
        (P.active, "active"),
        (P.inactive, "inactive"),
        (P.prospective, "prospective"),
        (P.deceased, "deceased"),
        (P.archived, "archived"),
        (P.non_patient, "inactive"),
    ],
)
def test_status_shown_in_family_lists(member: PatientStatus, wire: str) -> None:
    assert family.wire_status(member) == wire
    assert patient_codec.wire_status(member) == wire
