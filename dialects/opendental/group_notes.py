"""Open Dental ProcedureLogs GroupNote POST, PUT and DELETE (seed 002;
reference/opendental/apiprocedurelogs.md).

A group note is a procedure with the ``~GRP~`` code, status EC (as Open
Dental creates it), the shared date, clinic and provider of the procedures
it covers, the note text in ``note`` and the covered procedures in
``group_members``. Decisions:

- POST: the procedures must exist (404), be the patient's, not be deleted or
  group notes themselves (400) and share ProcDate, ClinicNum and ProvNum
  (400). Repeated ProcNums are dropped, keeping the first. ``Note`` must not
  be blank. The answer is the documented echo with the ProcNums kept, and a
  ``Location`` naming the new group note procedure.
- PUT is served at both documented addresses: ``PUT /procedurelogs/GroupNote``
  with ``ProcNum`` in the body (seed) and ``PUT /procedurelogs/{ProcNum}/GroupNote``
  (full reference page). ``PatNum`` must be the group note's patient (400). It
  answers 200 with the same shape as POST.
- DELETE marks the group note deleted, as DELETE /procedurelogs does
  (ProcStatus D); its members are untouched. 200 with an empty body.
"""

from __future__ import annotations

from typing import Any

from canonical import (
    Cond,
    Invalid,
    NotFound,
    Patient,
    Procedure,
    ProcedureCode,
    ProcedureStatus,
    Query,
)
from dialects.base import Call, Endpoint, Reply
from dialects.opendental import common
from dialects.opendental import procedure_codec as pc
from dialects.opendental.formats import parse_int

GROUP_CODE = "~GRP~"
POST_FIELDS = ("PatNum", "ProcNums", "Note")
PUT_FIELDS = ("PatNum", "ProcNum", "Note")


def _int(body: dict[str, Any], name: str) -> int:
    try:
        return parse_int(body[name])
    except ValueError:
        raise Invalid.field(name, f"{name} must be an integer.") from None


def _note(body: dict[str, Any]) -> str:
    note = body["Note"]
    if not isinstance(note, str) or not note.strip():
        raise Invalid.field("Note", "Note must be a non-empty string.")
    return note


def _proc_nums(raw: Any) -> list[int]:
    """ "An array of ProcNums, in [1,2,3] format"; repeats are silently dropped."""
    message = "ProcNums must be an array of ProcNums, in [1,2,3] format."
    if not isinstance(raw, list) or not raw:
        raise Invalid.field("ProcNums", message)
    nums: list[int] = []
    for item in raw:
        try:
            num = parse_int(item)
        except ValueError:
            raise Invalid.field("ProcNums", message) from None
        if num not in nums:
            nums.append(num)
    return nums


async def _patient(call: Call, num: int) -> Patient:
    try:
        return await call.backend.get(Patient, num=num)
    except NotFound:
        raise NotFound("Patient not found.", resource="patient", field="PatNum") from None


async def _group_code(call: Call) -> ProcedureCode:
    query = Query(where=[Cond("code", "eq", GROUP_CODE)], limit=1)
    found = (await call.backend.find(ProcedureCode, query)).items
    if not found:
        raise Invalid("The procedure code ~GRP~ for group notes is missing.")
    return found[0]


def _echo(record: Procedure) -> dict[str, Any]:
    assert record.patient.num is not None
    return {
        "PatNum": record.patient.num,
        "ProcNums": list(record.group_members),
        "Note": record.note,
    }


async def _members(call: Call, patient: Patient, nums: list[int]) -> list[Procedure]:
    found = await call.backend.get_many(Procedure, nums)
    members: list[Procedure] = []
    for num in nums:
        proc = found.get(num)
        if proc is None or proc.is_deleted:
            raise NotFound(f"Procedure not found: ProcNum {num}.", resource="procedure")
        if proc.patient.num != patient.num:
            raise Invalid.field("ProcNums", f"ProcNum {num} is not a procedure of this patient.")
        if proc.status is ProcedureStatus.deleted:
            raise Invalid.field("ProcNums", f"ProcNum {num} is a deleted procedure.")
        if pc.is_group_note(await pc.code_of(call, proc.code)):
            raise Invalid.field("ProcNums", f"ProcNum {num} is a group note.")
        members.append(proc)
    shared = {
        (
            p.procedure_date,
            p.clinic.num if p.clinic else None,
            p.provider.num if p.provider else None,
        )
        for p in members
    }
    if len(shared) > 1:
        raise Invalid.field(
            "ProcNums", "The procedures must have the same ProcDate, ClinicNum and ProvNum."
        )
    return members


async def post(call: Call) -> Reply:
    common.query_params(call, ())
    body = common.json_body(call)
    common.only(body, POST_FIELDS)
    common.require(body, *POST_FIELDS)
    pat_num = _int(body, "PatNum")
    nums = _proc_nums(body["ProcNums"])
    note = _note(body)
    async with call.backend.atomic():
        patient = await _patient(call, pat_num)
        members = await _members(call, patient, nums)
        code = await _group_code(call)
        first = members[0]
        record = await call.backend.create(
            Procedure(
                patient=patient.ref(),
                code=code.ref(),
                status=ProcedureStatus.existing_current,
                procedure_date=first.procedure_date,
                provider=first.provider,
                clinic=first.clinic,
                note=note,
                group_members=nums,
            )
        )
    return common.created(call, _echo(record), f"/procedurelogs/{record.num}")


async def _group_note(call: Call, num_text: Any, label: str) -> Procedure:
    record = await common.get_or_404(call, Procedure, str(num_text), label)
    assert isinstance(record, Procedure)
    if not pc.is_group_note(await pc.code_of(call, record.code)):
        raise Invalid.field(label, f'{label} must be a procedure with a procCode of "~GRP~".')
    if record.status is ProcedureStatus.deleted:
        raise Invalid.field(label, "The group note is deleted.")
    return record


async def _update(call: Call, num_text: Any, body: dict[str, Any], label: str) -> Reply:
    pat_num = _int(body, "PatNum")
    note = _note(body)
    await _patient(call, pat_num)
    record = await _group_note(call, num_text, label)
    if record.patient.num != pat_num:
        raise Invalid.field("PatNum", "The group note is not for this PatNum.")
    stored = await call.backend.update(record.model_copy(update={"note": note}))
    return Reply(200, _echo(stored))


async def put(call: Call) -> Reply:
    """Seed form: ``PUT /procedurelogs/GroupNote`` with ``ProcNum`` in the body."""
    common.query_params(call, ())
    body = common.json_body(call)
    common.only(body, PUT_FIELDS, "updated")
    common.require(body, *PUT_FIELDS)
    return await _update(call, body["ProcNum"], body, "ProcNum")


async def put_by_url(call: Call) -> Reply:
    """Full reference form: ``PUT /procedurelogs/{ProcNum}/GroupNote``."""
    common.query_params(call, ())
    body = common.json_body(call)
    common.only(body, ("PatNum", "Note"), "updated")
    common.require(body, "PatNum", "Note")
    return await _update(call, call.path_params["ProcNum"], body, "ProcNum")


async def delete(call: Call) -> Reply:
    common.query_params(call, ())
    record = await _group_note(call, call.path_params["ProcNum"], "ProcNum")
    await pc.mark_deleted(call, record)
    return Reply(200, None)


ENDPOINTS = [
    Endpoint("POST", "/procedurelogs/GroupNote", post, "procedure"),
    Endpoint("PUT", "/procedurelogs/GroupNote", put, "procedure"),
    Endpoint("PUT", "/procedurelogs/{ProcNum}/GroupNote", put_by_url, "procedure"),
    Endpoint("DELETE", "/procedurelogs/{ProcNum}/GroupNote", delete, "procedure"),
]
