"""The canonical hub: neutral, lossless models every dialect translates to and from.

Each model registers itself in its own module (``@register``, see
:mod:`canonical.registry`); importing it here is what loads it. Imports
nothing from ``dialects`` or ``gateway``.
"""

from __future__ import annotations

from canonical.alert import AlertDefinition, AlertScope, AlertStatus, PatientAlert
from canonical.allergy import Allergy, AllergyVerificationStatus
from canonical.backend import Backend, Tenant
from canonical.base import INT64_MAX, INT64_MIN, Record, Ref, RefTo, utcnow
from canonical.catalog import AllergyDefinition, DiseaseDefinition, MedicationDefinition
from canonical.commlog import CommDirection, Commlog, CommMode, CommSource
from canonical.custom_field import FieldDefinition, FieldType, FieldValue
from canonical.errors import (
    BadUpstream,
    CanonicalError,
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    RateLimited,
    TooLarge,
    Unauthorized,
    Unavailable,
    Unsupported,
    UpstreamError,
    UpstreamTimeout,
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
    AppointmentPriority,
    AppointmentStatus,
    Clinic,
    Definition,
    DefinitionCategory,
    Employer,
    FeeSchedule,
    InsuranceSubscription,
    OnlineBooking,
    ProcedureCode,
    Provider,
    ProviderStatus,
    Referral,
    Site,
    TaskList,
    TreatmentArea,
    User,
    UserGroup,
)
from canonical.referral_attribution import AttributionRole, ReferralAttribution, ReferralSource
from canonical.registry import RESOURCES, model_for, register
from canonical.relationship import Relationship, RelationshipType
from canonical.schedule import FREES_TIME, AppointmentType, Operatory, Schedule, ScheduleKind
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
    "FREES_TIME",
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
    "AppointmentPriority",
    "AppointmentStatus",
    "AppointmentType",
    "AttributionRole",
    "Backend",
    "BadUpstream",
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
    "OnlineBooking",
    "Operatory",
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
    "ProviderStatus",
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
    "Schedule",
    "ScheduleKind",
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
    "Unavailable",
    "Unsupported",
    "UpstreamError",
    "UpstreamTimeout",
    "User",
    "UserGroup",
    "VitalSign",
    "model_for",
    "register",
    "utcnow",
]
