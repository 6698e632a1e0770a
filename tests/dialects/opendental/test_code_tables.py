"""Open Dental code tables, row by row in both directions, written out from the
reference pages (reference/opendental/apipatients.md, apicommlogs.md,
apitasks.md, apiprocedurelogs.md; seeds 000-002) and Open Dental's schema
enums where a page shows only examples (CommSource, DateType, ReminderType)."""

from __future__ import annotations

import pytest

import dialects.opendental
from canonical import (
    CommDirection,
    CommMode,
    CommSource,
    Gender,
    InsuranceHistoryCategory,
    MaritalStatus,
    PatientStatus,
    ProcedureStatus,
    TaskObjectType,
    TaskStatus,
)
from canonical.patient import ContactMethod, TriState
from canonical.references import TreatmentArea
from canonical.task import TaskDateType, TaskReminderType
from dialects.opendental import (
    commlogs,
    insurance_history,
    patient_codec,
    patient_search,
    procedure_codec,
    procedure_rules,
    tasks,
)
from tests.dialects.code_tables import (
    Table,
    enum_dicts,
    table_suite,
)

TABLES = [
    Table(
        # apicommlogs.md: Mode_ 'Either "None", "Email", "Mail", "Phone", "In Person",
        # "Text", "Email and Text", or "Phone and Text"'.
        "opendental.commlogs.MODES",
        commlogs.MODES,
        (
            ("None", CommMode.none),
            ("Email", CommMode.email),
            ("Mail", CommMode.mail),
            ("Phone", CommMode.phone),
            ("In Person", CommMode.in_person),
            ("Text", CommMode.text),
            ("Email and Text", CommMode.email_and_text),
            ("Phone and Text", CommMode.phone_and_text),
        ),
        {CommMode.fax: "None"},
    ),
    Table(
        # apicommlogs.md: SentOrReceived 'Either "Neither", "Sent", or "Received"'.
        "opendental.commlogs.DIRECTIONS",
        commlogs.DIRECTIONS,
        (
            ("Neither", CommDirection.neither),
            ("Sent", CommDirection.sent),
            ("Received", CommDirection.received),
        ),
    ),
    Table(
        # CommSource: Open Dental's CommItemSource (User, ProgramLink).
        "opendental.commlogs.SOURCES",
        commlogs.SOURCES,
        (("User", CommSource.user), ("ProgramLink", CommSource.integration)),
        {CommSource.automated: "ProgramLink"},
    ),
    Table(
        # apipatients.md: PatStatus 'Either "Patient", "NonPatient", "Inactive",
        # "Archived", "Deceased", or "Prospective"'.
        "opendental.patient_codec.STATUSES",
        patient_codec.STATUSES,
        (
            ("Patient", PatientStatus.active),
            ("NonPatient", PatientStatus.non_patient),
            ("Inactive", PatientStatus.inactive),
            ("Archived", PatientStatus.archived),
            ("Deceased", PatientStatus.deceased),
            ("Prospective", PatientStatus.prospective),
        ),
    ),
    Table(
        # apipatients.md: Gender 'Either "Male", "Female", "Unknown", or "Other"' (Simple).
        "opendental.patient_codec.GENDERS",
        patient_codec.GENDERS,
        (
            ("Male", Gender.male),
            ("Female", Gender.female),
            ("Unknown", Gender.unknown),
            ("Other", Gender.other),
        ),
        {Gender.non_binary: "Other", Gender.prefer_not_to_say: "Unknown"},
    ),
    Table(
        # apipatients.md: Position 'Marital status. Either "Single", "Married",
        # "Child", "Widowed", or "Divorced"'.
        "opendental.patient_codec.POSITIONS",
        patient_codec.POSITIONS,
        (
            ("Single", MaritalStatus.single),
            ("Married", MaritalStatus.married),
            ("Child", MaritalStatus.child),
            ("Widowed", MaritalStatus.widowed),
            ("Divorced", MaritalStatus.divorced),
        ),
        {
            MaritalStatus.domestic_partner: "Married",
            MaritalStatus.separated: "Married",
            MaritalStatus.other: "Single",
        },
    ),
    Table(
        # apipatients.md: PreferConfirmMethod / PreferContactMethod / PreferRecallMethod
        # 'Either "None", "DoNotCall", "HmPhone", "WkPhone", "WirelessPh", "Email",
        # "SeeNotes", "Mail", or "TextMessage"'.
        "opendental.patient_codec.CONTACT_METHODS",
        patient_codec.CONTACT_METHODS,
        (
            ("None", ContactMethod.none),
            ("DoNotCall", ContactMethod.do_not_call),
            ("HmPhone", ContactMethod.home_phone),
            ("WkPhone", ContactMethod.work_phone),
            ("WirelessPh", ContactMethod.mobile_phone),
            ("Email", ContactMethod.email),
            ("SeeNotes", ContactMethod.see_notes),
            ("Mail", ContactMethod.mail),
            ("TextMessage", ContactMethod.text),
        ),
        {ContactMethod.phone: "HmPhone"},
    ),
    Table(
        # apipatients.md: TxtMsgOk 'Either "Unknown", "Yes", or "No"'.
        "opendental.patient_codec.TEXT_OK",
        patient_codec.TEXT_OK,
        (("Unknown", TriState.unknown), ("Yes", TriState.yes), ("No", TriState.no)),
    ),
    Table(
        # apiprocedurelogs.md: ProcStatus 'Either "TP" (Treatment Plan), "C" (Complete),
        # "EC" (Existing Current Provider), "EO" (Existing Other Provider),
        # "R" (Referred Out), "D" (Deleted), "Cn" (Condition), or "TPi" (Treatment Plan inactive)'.
        "opendental.procedure_codec.STATUSES",
        procedure_codec.STATUSES,
        (
            ("TP", ProcedureStatus.treatment_planned),
            ("C", ProcedureStatus.complete),
            ("EC", ProcedureStatus.existing_current),
            ("EO", ProcedureStatus.existing_other),
            ("R", ProcedureStatus.referred),
            ("D", ProcedureStatus.deleted),
            ("Cn", ProcedureStatus.condition),
            ("TPi", ProcedureStatus.treatment_planned_inactive),
        ),
    ),
    Table(
        # apitasks.md: TaskStatus 'Either "New", "Viewed", or "Done"'.
        "opendental.tasks.STATUSES",
        tasks.STATUSES,
        (("New", TaskStatus.new), ("Viewed", TaskStatus.viewed), ("Done", TaskStatus.done)),
    ),
    Table(
        # apitasks.md: ObjectType 'Either "None", "Patient", or "Appointment"'.
        "opendental.tasks.OBJECT_TYPES",
        tasks.OBJECT_TYPES,
        (
            ("None", TaskObjectType.none),
            ("Patient", TaskObjectType.patient),
            ("Appointment", TaskObjectType.appointment),
        ),
    ),
    Table(
        # TaskDateType: None, Day, Week, Month.
        "opendental.tasks.DATE_TYPES",
        tasks.DATE_TYPES,
        (
            ("None", TaskDateType.none),
            ("Day", TaskDateType.day),
            ("Week", TaskDateType.week),
            ("Month", TaskDateType.month),
        ),
    ),
    Table(
        # TaskReminderType: NoReminder, Once, Seconds, Minutes, Hours, Daily, Weekly,
        # Monthly, Yearly.
        "opendental.tasks.REMINDER_TYPES",
        tasks.REMINDER_TYPES,
        (
            ("NoReminder", TaskReminderType.no_reminder),
            ("Once", TaskReminderType.once),
            ("Seconds", TaskReminderType.seconds),
            ("Minutes", TaskReminderType.minutes),
            ("Hours", TaskReminderType.hours),
            ("Daily", TaskReminderType.daily),
            ("Weekly", TaskReminderType.weekly),
            ("Monthly", TaskReminderType.monthly),
            ("Yearly", TaskReminderType.yearly),
        ),
    ),
]

FIELDS: dict[tuple[str, str], object] = {
    ("Commlog", "Mode_"): commlogs.MODES,
    ("Commlog", "SentOrReceived"): commlogs.DIRECTIONS,
    ("Commlog", "CommSource"): commlogs.SOURCES,
    ("Patient", "PatStatus"): patient_codec.STATUSES,
    ("Patient", "Gender"): patient_codec.GENDERS,
    ("Patient", "Position"): patient_codec.POSITIONS,
    ("Patient", "PreferConfirmMethod"): patient_codec.CONTACT_METHODS,
    ("Patient", "PreferContactMethod"): patient_codec.CONTACT_METHODS,
    ("Patient", "PreferRecallMethod"): patient_codec.CONTACT_METHODS,
    ("Patient", "TxtMsgOk"): patient_codec.TEXT_OK,
    ("Procedure", "ProcStatus"): procedure_codec.STATUSES,
    ("Task", "TaskStatus"): tasks.STATUSES,
    ("Task", "ObjectType"): tasks.OBJECT_TYPES,
    ("Task", "DateType"): tasks.DATE_TYPES,
    ("Task", "ReminderType"): tasks.REMINDER_TYPES,
}
"""Which code table each wire field of every Open Dental codec reads and writes."""

AREA_NAMES = {
    TreatmentArea.none: "None",
    TreatmentArea.surface: "Surf",
    TreatmentArea.tooth: "Tooth",
    TreatmentArea.mouth: "Mouth",
    TreatmentArea.quadrant: "Quad",
    TreatmentArea.sextant: "Sextant",
    TreatmentArea.arch: "Arch",
    TreatmentArea.tooth_range: "ToothRange",
}
"""Open Dental's TreatmentArea names."""

QUADRANTS = {
    InsuranceHistoryCategory.perio_upper_right: "UR",
    InsuranceHistoryCategory.perio_upper_left: "UL",
    InsuranceHistoryCategory.perio_lower_right: "LR",
    InsuranceHistoryCategory.perio_lower_left: "LL",
}

DICT_TABLES = {
    "dialects.opendental.procedure_rules.AREA_NAMES": (procedure_rules.AREA_NAMES, AREA_NAMES),
    "dialects.opendental.insurance_history.QUADRANT_OF": (
        insurance_history.QUADRANT_OF,
        QUADRANTS,
    ),
    "dialects.opendental.tasks.SUBJECT_FIELDS": (
        tasks.SUBJECT_FIELDS,
        {TaskObjectType.patient: "patient", TaskObjectType.appointment: "appointment"},
    ),
}
"""Dict-based code tables: the table in the source -> the expected one."""

NOT_CODE_TABLES = {
    # Treatment-area rules (which location fields a code needs), not wire text;
    # tested rule by rule in test_procedure_rules.py.
    "dialects.opendental.procedure_rules.RULES",
}


(
    test_from_wire,
    test_to_wire,
    test_nearest,
    test_table_is_exactly_the_documented_one,
    test_every_code_table_has_an_explicit_table,
    test_every_enum_field_uses_its_documented_table,
) = table_suite(dialects.opendental, TABLES, FIELDS)


def test_every_dict_code_table_is_checked() -> None:
    found = set(enum_dicts(dialects.opendental).values())
    assert found == set(DICT_TABLES) | NOT_CODE_TABLES


@pytest.mark.parametrize("name", sorted(DICT_TABLES))
def test_dict_code_table(name: str) -> None:
    actual, expected = DICT_TABLES[name]
    assert dict(actual) == expected


def test_simple_filters_use_the_field_tables() -> None:
    # GET /patients/Simple: PatStatus, Gender and Position filters read the fields' tables.
    assert patient_search.SIMPLE_ENUMS == {
        "PatStatus": ("status", patient_codec.STATUSES),
        "Gender": ("gender", patient_codec.GENDERS),
        "Position": ("marital_status", patient_codec.POSITIONS),
    }


def test_writable_procedure_statuses() -> None:
    # Seed 002, POST/PUT: 'Either Treatment Planned (TP), Complete (C), or Existing
    # Other Provider (EO)'.
    assert set(procedure_codec.WRITABLE_STATUSES) == {
        ProcedureStatus.treatment_planned,
        ProcedureStatus.complete,
        ProcedureStatus.existing_other,
    }
