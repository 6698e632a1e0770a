"""The canonical hub: neutral, lossless models every dialect translates to and from.

Imports nothing from ``dialects`` or ``gateway``.
"""

from __future__ import annotations

import difflib

from canonical.alert import AlertDefinition, AlertScope, AlertStatus, PatientAlert
from canonical.allergy import Allergy, AllergyVerificationStatus
from canonical.backend import Backend, Tenant
from canonical.base import INT64_MAX, INT64_MIN, Record, Ref, RefTo, utcnow
from canonical.catalog import AllergyDefinition, DiseaseDefinition, MedicationDefinition
from canonical.commlog import CommDirection, Commlog, CommMode, CommSource
from canonical.custom_field import FieldDefinition, FieldType, FieldValue
from canonical.errors import (
    CanonicalError,
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    RateLimited,
    TooLarge,
    Unauthorized,
    Unsupported,
)
from canonical.medication import Medication, MedicationOrderStatus, MedicationStatus
from canonical.patient import Gender, MaritalStatus, Patient, PatientStatus
from canonical.problem import FunctionStatus, Problem, ProblemStatus, ProblemVerificationStatus
from canonical.procedure import (
    InsuranceHistoryCategory,
    Procedure,
    ProcedureAttachment,
    ProcedureStatus,
)
from canonical.query import AnyOf, Cond, Order, Page, Query
from canonical.references import (
    Appointment,
    Clinic,
    Definition,
    DefinitionCategory,
    Employer,
    FeeSchedule,
    InsuranceSubscription,
    ProcedureCode,
    Provider,
    Referral,
    Site,
    TaskList,
    TreatmentArea,
    User,
    UserGroup,
)
from canonical.referral_attribution import AttributionRole, ReferralAttribution, ReferralSource
from canonical.relationship import Relationship, RelationshipType
from canonical.tag import TagAssignment, TagDefinition
from canonical.task import Task, TaskObjectType, TaskStatus
from canonical.task_setup import (
    TaskNote,
    TaskStatusCategory,
    TaskStatusDefinition,
    TaskTemplate,
)
from canonical.vital_sign import VitalSign

__all__ = [
    "INT64_MAX",
    "INT64_MIN",
    "RESOURCES",
    "AlertDefinition",
    "AlertScope",
    "AlertStatus",
    "Allergy",
    "AllergyDefinition",
    "AllergyVerificationStatus",
    "AnyOf",
    "Appointment",
    "AttributionRole",
    "Backend",
    "CanonicalError",
    "Clinic",
    "CommDirection",
    "CommMode",
    "CommSource",
    "Commlog",
    "Cond",
    "Conflict",
    "Definition",
    "DefinitionCategory",
    "DiseaseDefinition",
    "Employer",
    "FeeSchedule",
    "FieldDefinition",
    "FieldType",
    "FieldValue",
    "Forbidden",
    "FunctionStatus",
    "Gender",
    "InsuranceHistoryCategory",
    "InsuranceSubscription",
    "Invalid",
    "MaritalStatus",
    "Medication",
    "MedicationDefinition",
    "MedicationOrderStatus",
    "MedicationStatus",
    "NotFound",
    "Order",
    "Page",
    "Patient",
    "PatientAlert",
    "PatientStatus",
    "Problem",
    "ProblemStatus",
    "ProblemVerificationStatus",
    "Procedure",
    "ProcedureAttachment",
    "ProcedureCode",
    "ProcedureStatus",
    "Provider",
    "Query",
    "RateLimited",
    "Record",
    "Ref",
    "RefTo",
    "Referral",
    "ReferralAttribution",
    "ReferralSource",
    "Relationship",
    "RelationshipType",
    "Site",
    "TagAssignment",
    "TagDefinition",
    "Task",
    "TaskList",
    "TaskNote",
    "TaskObjectType",
    "TaskStatus",
    "TaskStatusCategory",
    "TaskStatusDefinition",
    "TaskTemplate",
    "Tenant",
    "TooLarge",
    "TreatmentArea",
    "Unauthorized",
    "Unsupported",
    "User",
    "UserGroup",
    "VitalSign",
    "model_for",
    "register",
    "utcnow",
]

RESOURCES: dict[str, type[Record]] = {}
"""Every canonical resource by its registry name."""


def register(model: type[Record]) -> type[Record]:
    RESOURCES[model.resource] = model
    return model


for _model in (
    Patient,
    Commlog,
    Task,
    Procedure,
    Provider,
    Clinic,
    User,
    Definition,
    ProcedureCode,
    TaskList,
    Appointment,
    Employer,
    FeeSchedule,
    Site,
    Referral,
    InsuranceSubscription,
    UserGroup,
):
    register(_model)


for _clinical_model in (
    AllergyDefinition,
    DiseaseDefinition,
    MedicationDefinition,
    Allergy,
    Problem,
    Medication,
    VitalSign,
    AlertDefinition,
    PatientAlert,
    Relationship,
    FieldDefinition,
    FieldValue,
    TagDefinition,
    TagAssignment,
    ReferralSource,
    ReferralAttribution,
):
    register(_clinical_model)


for _task_model in (TaskStatusDefinition, TaskNote, TaskTemplate):
    register(_task_model)


def model_for(name: str) -> type[Record]:
    """The model registered as ``name``; a typo raises with the closest match."""
    try:
        return RESOURCES[name]
    except KeyError:
        close = difflib.get_close_matches(name, RESOURCES, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise KeyError(f"unknown resource {name!r}{hint}") from None
