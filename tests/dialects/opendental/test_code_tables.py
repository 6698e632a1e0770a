"""Open Dental code tables, row by row in both directions, written out from the
reference pages (reference/opendental/apipatients.md, apicommlogs.md, apiappointments.md,
apitasks.md, apiprocedurelogs.md; seeds 000-002) and Open Dental's schema
enums where a page shows only examples (CommSource, DateType, ReminderType)."""

from __future__ import annotations

import pytest

import dialects.opendental
from canonical import (
    AppointmentPriority,
    AppointmentStatus,
    CommDirection,
    CommMode,
    CommSource,
    Gender,
    InsuranceHistoryCategory,
    MaritalStatus,
    OnlineBooking,
    PatientStatus,
    ProblemStatus,
    ProcedureStatus,
    ProviderStatus,
    TaskObjectType,
    TaskStatus,
)
from canonical import DefinitionCategory as C
from canonical.patient import ContactMethod, TriState
from canonical.references import TreatmentArea
from canonical.task import TaskDateType, TaskReminderType
from dialects.opendental import (
    appointment_actions,
    appointment_codec,
    appointment_websched,
    commlogs,
    definition_categories,
    diseases,
    insurance_history,
    patient_codec,
    patient_search,
    procedure_codec,
    procedure_rules,
    providers,
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
    Table(
        # apiproviders.md: ProvStatus "Active" or "Deleted" (Open Dental's ProviderStatus).
        "opendental.providers.STATUSES",
        providers.STATUSES,
        (("Active", ProviderStatus.active), ("Deleted", ProviderStatus.deleted)),
    ),
    Table(
        # apidefinitions.md: category, a definition category's name (Open Dental's DefCat).
        "opendental.definition_categories.NAMES",
        definition_categories.NAMES,
        (
            ("AccountColors", C.account_color),
            ("AdjTypes", C.adjustment_type),
            ("ApptConfirmed", C.appointment_confirmed),
            ("ApptProcsQuickAdd", C.appointment_quick_add),
            ("BillingTypes", C.billing_type),
            ("ClaimFormats", C.claim_format),
            ("DunningMessages", C.dunning_message),
            ("FeeSchedNamesOld", C.fee_schedule_name_old),
            ("MedicalNotes", C.medical_note),
            ("OperatoriesOld", C.operatory_old),
            ("PaymentTypes", C.payment_type),
            ("ProcCodeCats", C.procedure_code_category),
            ("ProgNoteColors", C.progress_note_color),
            ("RecallUnschedStatus", C.recall_unscheduled_status),
            ("ServiceNotes", C.service_note),
            ("DiscountTypes", C.discount_type),
            ("Diagnosis", C.diagnosis),
            ("AppointmentColors", C.appointment_color),
            ("ImageCats", C.image_category),
            ("ApptPhoneNotes", C.appointment_phone_note),
            ("TxPriorities", C.treatment_priority),
            ("MiscColors", C.misc_color),
            ("ChartGraphicColors", C.chart_graphic_color),
            ("ContactCategories", C.contact_category),
            ("LetterMergeCats", C.letter_merge_category),
            ("BlockoutTypes", C.blockout_type),
            ("ProcButtonCats", C.procedure_button_category),
            ("CommLogTypes", C.commlog_type),
            ("SupplyCats", C.supply_category),
            ("PaySplitUnearnedType", C.paysplit_unearned_type),
            ("Prognosis", C.prognosis),
            ("ClaimCustomTracking", C.claim_custom_tracking),
            ("InsurancePaymentType", C.insurance_payment_type),
            ("TaskPriorities", C.task_priority),
            ("FeeColors", C.fee_color),
            ("ProviderSpecialties", C.provider_specialty),
            ("ClaimPaymentTracking", C.claim_payment_tracking),
            ("AccountQuickCharge", C.account_quick_charge),
            ("InsuranceVerificationStatus", C.insurance_verification_status),
            ("Regions", C.region),
            ("ClaimPaymentGroups", C.claim_payment_group),
            ("AutoNoteCats", C.auto_note_category),
            ("WebSchedNewPatApptTypes", C.web_sched_new_patient_appointment_type),
            ("ClaimErrorCode", C.claim_error_code),
            ("ClinicSpecialty", C.clinic_specialty),
            ("JobPriorities", C.job_priority),
            ("CarrierGroupNames", C.carrier_group_name),
            ("PayPlanCategories", C.pay_plan_category),
            ("AutoDeposit", C.auto_deposit),
            ("InsuranceFilingCodeGroup", C.insurance_filing_code_group),
            ("TimeCardAdjTypes", C.time_card_adjustment_type),
            ("WebSchedExistingApptTypes", C.web_sched_existing_appointment_type),
            ("CertificationCategories", C.certification_category),
        ),
    ),
    Table(
        # apidefinitions.md: Category, the same categories by number (DefCat 0-52).
        "opendental.definition_categories.NUMBERS",
        definition_categories.NUMBERS,
        (
            ("0", C.account_color),
            ("1", C.adjustment_type),
            ("2", C.appointment_confirmed),
            ("3", C.appointment_quick_add),
            ("4", C.billing_type),
            ("5", C.claim_format),
            ("6", C.dunning_message),
            ("7", C.fee_schedule_name_old),
            ("8", C.medical_note),
            ("9", C.operatory_old),
            ("10", C.payment_type),
            ("11", C.procedure_code_category),
            ("12", C.progress_note_color),
            ("13", C.recall_unscheduled_status),
            ("14", C.service_note),
            ("15", C.discount_type),
            ("16", C.diagnosis),
            ("17", C.appointment_color),
            ("18", C.image_category),
            ("19", C.appointment_phone_note),
            ("20", C.treatment_priority),
            ("21", C.misc_color),
            ("22", C.chart_graphic_color),
            ("23", C.contact_category),
            ("24", C.letter_merge_category),
            ("25", C.blockout_type),
            ("26", C.procedure_button_category),
            ("27", C.commlog_type),
            ("28", C.supply_category),
            ("29", C.paysplit_unearned_type),
            ("30", C.prognosis),
            ("31", C.claim_custom_tracking),
            ("32", C.insurance_payment_type),
            ("33", C.task_priority),
            ("34", C.fee_color),
            ("35", C.provider_specialty),
            ("36", C.claim_payment_tracking),
            ("37", C.account_quick_charge),
            ("38", C.insurance_verification_status),
            ("39", C.region),
            ("40", C.claim_payment_group),
            ("41", C.auto_note_category),
            ("42", C.web_sched_new_patient_appointment_type),
            ("43", C.claim_error_code),
            ("44", C.clinic_specialty),
            ("45", C.job_priority),
            ("46", C.carrier_group_name),
            ("47", C.pay_plan_category),
            ("48", C.auto_deposit),
            ("49", C.insurance_filing_code_group),
            ("50", C.time_card_adjustment_type),
            ("51", C.web_sched_existing_appointment_type),
            ("52", C.certification_category),
        ),
    ),
    Table(
        # apidiseases.md: ProbStatus 'Either "Active", "Resolved" or "Inactive"'.
        "opendental.diseases.STATUSES",
        diseases.STATUSES,
        (
            ("Active", ProblemStatus.active),
            ("Resolved", ProblemStatus.resolved),
            ("Inactive", ProblemStatus.inactive),
        ),
    ),
    Table(
        # apiappointments.md: AptStatus 'Either "Scheduled", "Complete", "UnschedList",
        # "Broken", "Planned", "PtNote", or "PtNoteCompleted"' (PUT); DrChrono's
        # statuses show as their nearest (dialects/opendental/appointment_codec.py).
        "opendental.appointment_codec.STATUSES",
        appointment_codec.STATUSES,
        (
            ("Scheduled", AppointmentStatus.scheduled),
            ("Complete", AppointmentStatus.complete),
            ("UnschedList", AppointmentStatus.unscheduled_list),
            ("Broken", AppointmentStatus.broken),
            ("Planned", AppointmentStatus.planned),
            ("PtNote", AppointmentStatus.patient_note),
            ("PtNoteCompleted", AppointmentStatus.patient_note_completed),
        ),
        {
            AppointmentStatus.arrived: "Scheduled",
            AppointmentStatus.checked_in: "Scheduled",
            AppointmentStatus.checked_in_online: "Scheduled",
            AppointmentStatus.in_room: "Scheduled",
            AppointmentStatus.in_session: "Scheduled",
            AppointmentStatus.confirmed: "Scheduled",
            AppointmentStatus.not_confirmed: "Scheduled",
            AppointmentStatus.cancelled: "Broken",
            AppointmentStatus.no_show: "Broken",
            AppointmentStatus.rescheduled: "Broken",
        },
    ),
    Table(
        # apiappointments.md: Priority 'Either "Normal" or "ASAP"'.
        "opendental.appointment_codec.PRIORITIES",
        appointment_codec.PRIORITIES,
        (("Normal", AppointmentPriority.normal), ("ASAP", AppointmentPriority.asap)),
    ),
    Table(
        # apiappointments.md GET WebSched: eServiceLogType 'either "Recall", "NewPat",
        # "ExistingPat", or "ASAP"', "None" when not made through WebSched.
        "opendental.appointment_codec.ONLINE",
        appointment_codec.ONLINE,
        (
            ("None", OnlineBooking.none),
            ("Recall", OnlineBooking.recall),
            ("NewPat", OnlineBooking.new_patient),
            ("ExistingPat", OnlineBooking.existing_patient),
            ("ASAP", OnlineBooking.asap),
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
    ("Problem", "ProbStatus"): diseases.STATUSES,
    ("Procedure", "ProcStatus"): procedure_codec.STATUSES,
    ("Task", "TaskStatus"): tasks.STATUSES,
    ("Task", "ObjectType"): tasks.OBJECT_TYPES,
    ("Task", "DateType"): tasks.DATE_TYPES,
    ("Task", "ReminderType"): tasks.REMINDER_TYPES,
    ("Provider", "ProvStatus"): providers.STATUSES,
    ("Definition", "Category"): definition_categories.NUMBERS,
    ("Definition", "category"): definition_categories.NAMES,
    ("Appointment", "AptStatus"): appointment_codec.STATUSES,
    ("Appointment", "Priority"): appointment_codec.PRIORITIES,
    ("Appointment", "eServiceLogType"): appointment_codec.ONLINE,
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
    # apiappointments.md PUT Break: breakType "Missed" or "Cancelled", or none.
    "dialects.opendental.appointment_actions.BROKEN_AS": (
        appointment_actions.BROKEN_AS,
        {
            "Missed": AppointmentStatus.no_show,
            "Cancelled": AppointmentStatus.cancelled,
            None: AppointmentStatus.broken,
        },
    ),
    "dialects.opendental.procedure_rules.AREA_NAMES": (procedure_rules.AREA_NAMES, AREA_NAMES),
    "dialects.opendental.insurance_history.QUADRANT_OF": (
        insurance_history.QUADRANT_OF,
        QUADRANTS,
    ),
    # apiappointments.md POST WebSched: defNumApptType of category 42
    # (WebSchedNewPatApptTypes) books a new patient, of 51 an existing one.
    "dialects.opendental.appointment_websched.KINDS": (
        appointment_websched.KINDS,
        {
            C.web_sched_new_patient_appointment_type: OnlineBooking.new_patient,
            C.web_sched_existing_appointment_type: OnlineBooking.existing_patient,
        },
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
    # What a definition's ItemValue may be per category; tested in test_definitions.py.
    "dialects.opendental.definitions.VALUE_RULES",
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
