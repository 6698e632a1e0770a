"""Open Dental ProcedureLogs (seed 002; reference/opendental/apiprocedurelogs.md):
GET one, GET many, POST, PUT and DELETE. Insurance history and group notes
live in :mod:`.insurance_history` and :mod:`.group_notes`; the field map and
value shapes in :mod:`.procedure_codec`; the rules of POST and PUT in
:mod:`.procedure_writes`.

Decisions where the documents are silent or contradict themselves:

- GET many also takes ``ProcStatus``, ``PlannedAptNum`` and ``CodeNum`` (the
  full reference page). ``AptNum=0``, ``PlannedAptNum=0`` and ``ClinicNum=0``
  select procedures with no appointment / planned appointment / clinic.
  ``DateTStamp`` is inclusive ("altered on or after") and combines with the
  other filters.
- POST: fields other than the documented ones are a 400 naming them; PUT
  takes the documented fields only (``priority``/``dxName`` are a 400).
- DELETE keeps the row, as Open Dental does: ProcStatus becomes D and the
  procedure leaves its appointment and planned appointment. It stays
  readable, and a ``DateTStamp`` sync sees the change. Only TP, TPi and C
  procedures can be deleted, and not while anything in ``attached_to``
  (claims, payments, adjustments, prescriptions, payment plans, referrals,
  ortho cases, the last procedure of a preauthorization) holds on to it.
  DELETE answers 200 with an empty body.
"""

from __future__ import annotations

from canonical import Invalid, Patient, Procedure, ProcedureStatus, Query, Record
from dialects.base import Call
from dialects.changes import changed_since
from dialects.opendental import procedure_codec as pc
from dialects.opendental import procedure_writes
from dialects.opendental.params import Params
from dialects.opendental.procedure_codec import CODEC
from dialects.opendental.records import must_exist
from dialects.opendental.resource import OpenDentalResource

__all__ = ["CODEC", "CODECS", "ENDPOINTS", "RESOURCE"]

DELETABLE = (
    ProcedureStatus.treatment_planned,
    ProcedureStatus.treatment_planned_inactive,
    ProcedureStatus.complete,
)

ATTACHMENT_TEXT = {
    "claim": "a claim",
    "insurance_payment": "an insurance payment",
    "patient_payment": "a patient payment",
    "adjustment": "an adjustment",
    "prescription": "a prescription",
    "payment_plan": "a payment plan",
    "referral": "a referral",
    "ortho_case": "an ortho case",
    "last_of_preauthorization": "a preauthorization claim as its last procedure",
}

GET_MANY_FILTERS = {
    "PatNum": "patient",
    "AptNum": "appointment",
    "PlannedAptNum": "planned_appointment",
    "ClinicNum": "clinic",
    "CodeNum": "code",
}
"""Integer query parameters -> the reference they select on (0 selects none)."""


async def _filters(call: Call, params: Params, query: Query) -> None:
    pat_num = params.int_("PatNum")
    if pat_num is not None:
        await must_exist(call, Patient, pat_num, "Patient")
    for name, field in GET_MANY_FILTERS.items():
        num = params.int_(name)
        if num is not None:
            query.add(field, "eq", num or None)
    status = params.enum("ProcStatus", pc.STATUSES)
    if status is not None:
        query.add("status", "eq", status)
    changed_since(query, params.timestamp("DateTStamp"))


async def _delete(call: Call, record: Record) -> None:
    """Open Dental's delete: the procedure stays, with ProcStatus D."""
    assert isinstance(record, Procedure)
    if record.status not in DELETABLE:
        status = pc.STATUSES.reverse[record.status]
        raise Invalid(
            f"Procedures with a ProcStatus of {status} cannot be deleted; "
            "only TP, TPi or C procedures can."
        )
    if record.attached_to:
        what = ATTACHMENT_TEXT[record.attached_to[0].value]
        raise Invalid(f"The procedure cannot be deleted because it is attached to {what}.")
    await pc.mark_deleted(call, record)


RESOURCE = OpenDentalResource(
    "/procedurelogs",
    CODEC,
    operations=("read", "list", "create", "replace", "delete"),
    item="ProcNum",
    takes=(*GET_MANY_FILTERS, "ProcStatus", "DateTStamp"),
    exclusive=(("Priority", "priority"), ("Dx", "dxName")),
    drop=procedure_writes.ignored,
    resolved=True,
    filters=_filters,
    extra=procedure_writes.rules,
    written=pc.render_written,
    remove=_delete,
)
ENDPOINTS = RESOURCE.endpoints()
CODECS = {"procedure": CODEC}
