"""Org API family view (seed 003, ``GET /patients/{patient_uuid}/family``): the
patients sharing one guarantor, the financial family.

The guarantor is the canonical ``guarantor`` (Open Dental ``Guarantor``, the
org API's ``responsible_party``); a patient without one is their own
guarantor, the head of their family.

The document shows no response fields; a client expects the members, so the
answer is a JSON array of compact patient entries in the order head first,
then by last and first name: ``id``, ``first_name``, ``last_name``,
``preferred_name``, ``date_of_birth``, ``status``, ``chart_number``,
``is_guarantor``. Archived patients are left out.
"""

from __future__ import annotations

from typing import Any

from canonical import AnyOf, Cond, Order, Patient, PatientStatus, Query
from dialects.base import Call, Endpoint, Reply
from dialects.orgapi.records import patient_of
from dialects.orgapi.resource import PER_PATIENT

__all__ = ["ENDPOINTS", "family_of", "head_num"]


def head_num(record: Patient) -> int:
    """The num of the patient's guarantor (the patient's own when none is set)."""
    if record.guarantor is not None and record.guarantor.num is not None:
        return record.guarantor.num
    assert record.num is not None
    return record.num


async def family_of(call: Call, record: Patient) -> list[Patient]:
    """Every live patient sharing ``record``'s guarantor, head first."""
    head = head_num(record)
    query = Query(
        where=[AnyOf((Cond("num", "eq", head), Cond("guarantor", "eq", head)))],
        order=[Order("last_name"), Order("first_name")],
    )
    members = (await call.backend.find(Patient, query)).items
    return sorted(members, key=lambda p: p.num != head)


def wire_status(status: PatientStatus) -> str:
    """The org status, as the patient codec shows it: Open Dental's non-patient
    has no org status and shows as its nearest, ``inactive``."""
    return "inactive" if status is PatientStatus.non_patient else status.value


def _entry(record: Patient, head: int, call: Call) -> dict[str, Any]:
    return {
        "id": str(record.uuid),
        "first_name": record.first_name,
        "last_name": record.last_name,
        "preferred_name": record.preferred_name or None,
        "date_of_birth": record.date_of_birth.isoformat() if record.date_of_birth else None,
        "status": wire_status(record.status),
        "chart_number": record.chart_number or None,
        "is_guarantor": record.num == head,
    }


async def list_family(call: Call) -> Reply:
    owner = await patient_of(call)
    head = head_num(owner)
    members = await family_of(call, owner)
    return Reply(200, [_entry(m, head, call) for m in members])


ENDPOINTS = [
    Endpoint("GET", f"{PER_PATIENT}/family", list_family, "patient"),
]
