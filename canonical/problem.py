"""A patient's disease or problem.

Superset of the org API's patient disease/problem (seed 003:
disease_definition, problem_status, function_status, date_start, date_stop,
patient_note, snomed_problem_type) and DrChrono's ``/api/problems`` (seed 004
and its OpenAPI: doctor, appointment, name, description, icd_code,
icd_version, snomed_ct_code, status, date_onset, date_diagnosis,
date_changed, abatement_date, notes, verification_status, category, info_url).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from canonical.base import Record, Ref, RefTo
from canonical.registry import register

__all__ = ["FunctionStatus", "Problem", "ProblemStatus", "ProblemVerificationStatus"]


class ProblemStatus(StrEnum):
    """Both dialects use the same three values."""

    active = "active"
    resolved = "resolved"
    inactive = "inactive"


class FunctionStatus(StrEnum):
    """Meaningful Use classification (org API); DrChrono problems are all ``problem``."""

    problem = "problem"
    cognitive_result = "cognitive_result"
    cognitive_problem = "cognitive_problem"
    functional_result = "functional_result"
    functional_problem = "functional_problem"


class ProblemVerificationStatus(StrEnum):
    unconfirmed = "unconfirmed"
    provisional = "provisional"
    differential = "differential"
    confirmed = "confirmed"
    refuted = "refuted"
    entered_in_error = "entered-in-error"


@register
class Problem(Record):
    resource = "problem"

    patient: Annotated[Ref, RefTo("patient")]
    disease_definition: Annotated[Ref | None, RefTo("disease_definition")] = None
    provider: Annotated[Ref | None, RefTo("provider")] = None
    """The diagnosing doctor (DrChrono ``doctor``)."""
    appointment: Annotated[Ref | None, RefTo("appointment")] = None
    name: str = ""
    """The problem's name as text (DrChrono ``name``); filled from the definition
    when a catalog entry is chosen."""
    description: str = ""
    status: ProblemStatus = ProblemStatus.active
    function_status: FunctionStatus = FunctionStatus.problem
    date_onset: date | None = None
    """Org ``date_start``; DrChrono ``date_onset``."""
    date_resolved: date | None = None
    """Org ``date_stop``; DrChrono ``abatement_date``."""
    date_diagnosis: date | None = None
    date_changed: date | None = None
    patient_note: str = ""
    notes: str = ""
    """Provider's notes (DrChrono ``notes``)."""
    snomed_problem_type: str = ""
    snomed_code: str = ""
    """The problem's SNOMED CT code (DrChrono ``snomed_ct_code``)."""
    icd_code: str = ""
    icd_version: int = 10
    verification_status: ProblemVerificationStatus | None = None
    category: str = ""
    """DrChrono's read-only ``problem-list-item`` / ``health-concern``."""
    info_url: str = ""
