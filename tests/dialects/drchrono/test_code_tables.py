"""DrChrono code tables, row by row in both directions, written out from seed
004 and reference/drchrono/drchrono-rest-api-openapi.yml (where the seed gives
no values, from the module's documented decision: procedure statuses in words)."""

from __future__ import annotations

from typing import Any

import pytest

import dialects.drchrono
from canonical import (
    Gender,
    MedicationOrderStatus,
    MedicationStatus,
    PatientStatus,
    ProblemStatus,
    ProcedureStatus,
    TaskStatus,
    TaskStatusCategory,
)
from canonical.patient import Ethnicity, Race
from canonical.references import AppointmentStatus
from dialects.drchrono import (
    appointment_codec,
    medications,
    patient_codec,
    problems,
    procedures,
    task_codes,
    task_setup,
    tasks,
)
from tests.dialects.code_tables import (
    CTX,
    Table,
    codecs,
    enum_dicts,
    table_suite,
)

TABLES = [
    Table(
        # Seed 004 /api/appointments: status 'One of "", "Arrived", "Checked In",
        # "In Room", "Cancelled", "Complete", "Confirmed", "In Session", "No Show",
        # "Not Confirmed", or "Rescheduled"'; the OpenAPI adds "Checked In Online".
        "drchrono.appointment_codec.STATUSES",
        appointment_codec.STATUSES,
        (
            ("", AppointmentStatus.scheduled),
            ("Arrived", AppointmentStatus.arrived),
            ("Checked In", AppointmentStatus.checked_in),
            ("Checked In Online", AppointmentStatus.checked_in_online),
            ("In Room", AppointmentStatus.in_room),
            ("Cancelled", AppointmentStatus.cancelled),
            ("Complete", AppointmentStatus.complete),
            ("Confirmed", AppointmentStatus.confirmed),
            ("In Session", AppointmentStatus.in_session),
            ("No Show", AppointmentStatus.no_show),
            ("Not Confirmed", AppointmentStatus.not_confirmed),
            ("Rescheduled", AppointmentStatus.rescheduled),
        ),
        {
            AppointmentStatus.unscheduled_list: "",
            AppointmentStatus.planned: "",
            AppointmentStatus.patient_note: "",
            AppointmentStatus.patient_note_completed: "",
            AppointmentStatus.broken: "No Show",
        },
    ),
    Table(
        # /api/medications: status 'If present, one of "active" or "inactive"'.
        "drchrono.medications.STATUSES",
        medications.STATUSES,
        (("active", MedicationStatus.active), ("inactive", MedicationStatus.inactive)),
        {
            MedicationStatus.discontinued: "inactive",
            MedicationStatus.on_hold: "inactive",
            MedicationStatus.completed: "inactive",
        },
    ),
    Table(
        # /api/medications: order_status 'One of "", "Ordered", "Administered during
        # visit", "Electronic eRx Sent", "Phoned into Pharmacy", "Faxed to Pharmacy",
        # "Paper Rx", "Prescription Printed", "Discontinued", "Prescribed by other Dr"
        # or "Over the Counter"' ("" is no order status: see EMPTY below).
        "drchrono.medications.ORDER_STATUSES",
        medications.ORDER_STATUSES,
        (
            ("Ordered", MedicationOrderStatus.ordered),
            ("Administered during visit", MedicationOrderStatus.administered_during_visit),
            ("Electronic eRx Sent", MedicationOrderStatus.erx_sent),
            ("Phoned into Pharmacy", MedicationOrderStatus.phoned_into_pharmacy),
            ("Faxed to Pharmacy", MedicationOrderStatus.faxed_to_pharmacy),
            ("Paper Rx", MedicationOrderStatus.paper_rx),
            ("Prescription Printed", MedicationOrderStatus.prescription_printed),
            ("Discontinued", MedicationOrderStatus.discontinued),
            ("Prescribed by other Dr", MedicationOrderStatus.prescribed_by_other_dr),
            ("Over the Counter", MedicationOrderStatus.over_the_counter),
        ),
    ),
    Table(
        # /api/patients: gender 'One of "Male", "Female", or "Other"'.
        "drchrono.patient_codec.GENDERS",
        patient_codec.GENDERS,
        (("Male", Gender.male), ("Female", Gender.female), ("Other", Gender.other)),
        {Gender.non_binary: "Other", Gender.unknown: "", Gender.prefer_not_to_say: ""},
    ),
    Table(
        # /api/patients: patient_status 'One of "A" (active), "I" (inactive),
        # "D" (inactive-deceased)'.
        "drchrono.patient_codec.STATUSES",
        patient_codec.STATUSES,
        (
            ("A", PatientStatus.active),
            ("I", PatientStatus.inactive),
            ("D", PatientStatus.deceased),
        ),
        {
            PatientStatus.prospective: "A",
            PatientStatus.non_patient: "I",
            PatientStatus.archived: "I",
        },
    ),
    Table(
        # /api/patients: race 'One of "blank", "indian", "asian", "black", "hawaiian",
        # "white" or "declined"'.
        "drchrono.patient_codec.RACES",
        patient_codec.RACES,
        (
            ("blank", Race.blank),
            ("indian", Race.indian),
            ("asian", Race.asian),
            ("black", Race.black),
            ("hawaiian", Race.hawaiian),
            ("white", Race.white),
            ("declined", Race.declined),
        ),
    ),
    Table(
        # /api/patients: ethnicity 'One of "blank", "hispanic", "not_hispanic" or "declined"'.
        "drchrono.patient_codec.ETHNICITIES",
        patient_codec.ETHNICITIES,
        (
            ("blank", Ethnicity.blank),
            ("hispanic", Ethnicity.hispanic),
            ("not_hispanic", Ethnicity.not_hispanic),
            ("declined", Ethnicity.declined),
        ),
    ),
    Table(
        # /api/problems: status 'Either active, inactive or resolved'.
        "drchrono.problems.STATUSES",
        problems.STATUSES,
        (
            ("active", ProblemStatus.active),
            ("resolved", ProblemStatus.resolved),
            ("inactive", ProblemStatus.inactive),
        ),
    ),
    Table(
        # /api/procedures: status has no documented values; the module's decision is
        # the canonical status in words.
        "drchrono.procedures.STATUSES",
        procedures.STATUSES,
        (
            ("Treatment Planned", ProcedureStatus.treatment_planned),
            ("Complete", ProcedureStatus.complete),
            ("Existing Current", ProcedureStatus.existing_current),
            ("Existing Other", ProcedureStatus.existing_other),
            ("Referred", ProcedureStatus.referred),
            ("Deleted", ProcedureStatus.deleted),
            ("Condition", ProcedureStatus.condition),
            ("Treatment Planned Inactive", ProcedureStatus.treatment_planned_inactive),
        ),
    ),
    Table(
        # /api/task_statuses: status_category 'O(open), P(In progress), H(On hold),
        # C(Complete), default to O(Open)'.
        "drchrono.task_setup.CATEGORIES",
        task_setup.CATEGORIES,
        (
            ("O", TaskStatusCategory.open),
            ("P", TaskStatusCategory.in_progress),
            ("H", TaskStatusCategory.on_hold),
            ("C", TaskStatusCategory.complete),
        ),
    ),
]

FIELDS: dict[tuple[str, str], object] = {
    ("Appointment", "status"): appointment_codec.STATUSES,
    ("Medication", "status"): medications.STATUSES,
    ("Medication", "order_status"): medications.ORDER_STATUSES,
    ("Patient", "gender"): patient_codec.GENDERS,
    ("Patient", "patient_status"): patient_codec.STATUSES,
    ("Patient", "race"): patient_codec.RACES,
    ("Patient", "ethnicity"): patient_codec.ETHNICITIES,
    ("Problem", "status"): problems.STATUSES,
    ("Procedure", "status"): procedures.STATUSES,
    ("TaskStatusDefinition", "status_category"): task_setup.CATEGORIES,
}
"""Which code table each wire field of every DrChrono codec reads and writes."""

EMPTY: dict[tuple[str, str], tuple[Any, str]] = {
    # (model, wire) -> (member an empty/absent value means, text shown for no value)
    ("Appointment", "status"): (AppointmentStatus.scheduled, ""),
    ("Medication", "status"): (MedicationStatus.active, ""),  # "default to active"
    ("Medication", "order_status"): (None, ""),  # 'default to ""'
    ("Patient", "race"): (None, "blank"),
    ("Patient", "ethnicity"): (None, "blank"),
    ("Problem", "status"): (ProblemStatus.active, ""),  # "default to active"
    ("TaskStatusDefinition", "status_category"): (TaskStatusCategory.open, ""),  # "default to O"
}
"""Fields whose empty wire value ("" or null) stands for a default."""

DICT_TABLES: dict[str, tuple[Any, Any]] = {
    # A task's named status -> its coarse canonical status (task_codes module doc).
    "dialects.drchrono.task_codes.CATEGORY_STATUS": (
        task_codes.CATEGORY_STATUS,
        {
            TaskStatusCategory.open: TaskStatus.new,
            TaskStatusCategory.in_progress: TaskStatus.viewed,
            TaskStatusCategory.on_hold: TaskStatus.viewed,
            TaskStatusCategory.complete: TaskStatus.done,
        },
    ),
    # The category shown for a task whose named status disagrees: new -> open,
    # viewed -> in progress, done -> complete.
    "dialects.drchrono.task_codes.PREFERRED": (
        task_codes.PREFERRED,
        {
            TaskStatus.new: TaskStatusCategory.open,
            TaskStatus.viewed: TaskStatusCategory.in_progress,
            TaskStatus.done: TaskStatusCategory.complete,
        },
    ),
}


(
    test_from_wire,
    test_to_wire,
    test_nearest,
    test_table_is_exactly_the_documented_one,
    test_every_code_table_has_an_explicit_table,
    test_every_enum_field_uses_its_documented_table,
) = table_suite(dialects.drchrono, TABLES, FIELDS)


def _fields(model: str, wire: str) -> list[Any]:
    return [
        f
        for c in codecs(dialects.drchrono).values()
        if c.model.__name__ == model
        for f in c.fields
        if f.wire == wire
    ]


def test_every_field_with_an_empty_default_is_listed() -> None:
    with_default = {
        (c.model.__name__, f.wire)
        for c in codecs(dialects.drchrono).values()
        for f in c.fields
        if hasattr(f.conv, "empty")
        and hasattr(f.conv, "blank")
        and getattr(f.conv, "table", None) is not None
    }
    assert with_default == set(EMPTY)


@pytest.mark.parametrize(("model", "wire"), sorted(EMPTY))
@pytest.mark.parametrize("raw", ["", None])
def test_empty_wire_value(model: str, wire: str, raw: str | None) -> None:
    empty, blank = EMPTY[(model, wire)]
    for f in _fields(model, wire):
        assert f.conv.from_wire(raw, CTX) == empty
        assert f.conv.to_wire(None, CTX) == blank


def test_every_dict_code_table_is_checked() -> None:
    found = set(enum_dicts(dialects.drchrono).values())
    assert found == set(DICT_TABLES)


@pytest.mark.parametrize("name", sorted(DICT_TABLES))
def test_dict_code_table(name: str) -> None:
    actual, expected = DICT_TABLES[name]
    assert dict(actual) == expected


def test_task_priority_levels() -> None:
    # /api/tasks priority: 10 (Low), 20 (Medium), 30 (High), 40 (Urgent); 20 is
    # also Open Dental's "Normal" (task_codes module doc).
    assert task_codes.LEVELS == {
        10: ("low",),
        20: ("medium", "normal"),
        30: ("high",),
        40: ("urgent",),
    }
    assert task_codes.BY_NAME == {"low": 10, "medium": 20, "normal": 20, "high": 30, "urgent": 40}
    assert task_codes.NEAREST == 20


def test_task_item_types() -> None:
    # /api/tasks associated_items: a "Patient" item is the task's patient, an
    # "Appointment" item its appointment.
    assert tasks.ITEM_FIELDS == {"Patient": "patient", "Appointment": "appointment"}


def test_statuses_listed_as_active() -> None:
    # Listed without show_inactive: the canonical statuses shown as "A".
    assert set(patient_codec.ACTIVE) == {PatientStatus.active, PatientStatus.prospective}
