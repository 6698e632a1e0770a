"""The canonical hub: neutral, lossless models every dialect translates to and from.

Imports nothing from ``dialects`` or ``gateway``.
"""

from __future__ import annotations

import difflib

from canonical.backend import Backend, Tenant
from canonical.base import Record, Ref, RefTo, utcnow
from canonical.commlog import CommDirection, Commlog, CommMode, CommSource
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
from canonical.patient import Gender, MaritalStatus, Patient, PatientStatus
from canonical.procedure import InsuranceHistoryCategory, Procedure, ProcedureStatus
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
from canonical.task import Task, TaskObjectType, TaskStatus

__all__ = [
    "RESOURCES",
    "AnyOf",
    "Appointment",
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
    "Employer",
    "FeeSchedule",
    "Forbidden",
    "Gender",
    "InsuranceHistoryCategory",
    "InsuranceSubscription",
    "Invalid",
    "MaritalStatus",
    "NotFound",
    "Order",
    "Page",
    "Patient",
    "PatientStatus",
    "Procedure",
    "ProcedureCode",
    "ProcedureStatus",
    "Provider",
    "Query",
    "RateLimited",
    "Record",
    "Ref",
    "RefTo",
    "Referral",
    "Site",
    "Task",
    "TaskList",
    "TaskObjectType",
    "TaskStatus",
    "Tenant",
    "TooLarge",
    "TreatmentArea",
    "Unauthorized",
    "Unsupported",
    "User",
    "UserGroup",
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


def model_for(name: str) -> type[Record]:
    """The model registered as ``name``; a typo raises with the closest match."""
    try:
        return RESOURCES[name]
    except KeyError:
        close = difflib.get_close_matches(name, RESOURCES, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise KeyError(f"unknown resource {name!r}{hint}") from None
