"""Open Dental ProcedureLogs GroupNote POST, PUT and DELETE (seed 002;
reference/opendental/apiprocedurelogs.md).

A group note is a procedure with the ``~GRP~`` code, status EC (as Open
Dental creates it), the shared date, clinic and provider of the procedures
it covers, the note text in ``note`` and the covered procedures in
``group_members``. Decisions:

- POST: the procedures must exist (404), be the patient's, not be deleted or
  group notes themselves (400) and share ProcDate, ClinicNum and ProvNum
  (400). Repeated ProcNums are dropped, keeping the first. ``Note`` must not
  be blank. The answer is the documented echo (:data:`GROUP_NOTE`) with the
  ProcNums kept, and a ``Location`` naming the new group note procedure.
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
from dialects.codec import Codec, CodecContext, Field
from dialects.opendental import procedure_codec as pc
from dialects.opendental.bodies import check_keys, json_body
from dialects.opendental.formats import Int, RefNum, Text, parse_int
from dialects.opendental.params import Params
from dialects.opendental.records import get_or_404
from dialects.opendental.resource import created
from dialects.render import render_one

__all__ = ["ENDPOINTS", "GROUP_NOTE"]

GROUP_CODE = "~GRP~"


class ProcNumList:
    """ "An array of ProcNums, in [1,2,3] format"; repeats are dropped, keeping the first."""

    def to_wire(self, value: list[int] | None, ctx: CodecContext) -> list[int]:
        return list(value or [])

    def from_wire(self, raw: Any, ctx: CodecContext) -> list[int]:
        message = "must be an array of ProcNums, in [1,2,3] format"
        if not isinstance(raw, list) or not raw:
            raise ValueError(message)
        nums: list[int] = []
        for item in raw:
            try:
                num = parse_int(item)
            except ValueError:
                raise ValueError(message) from None
            if num not in nums:
                nums.append(num)
        return nums


GROUP_NOTE = Codec(
    "opendental",
    Procedure,
    [
        Field("PatNum", "patient", RefNum(), required="POST PUT"),
        # The seed's PUT names the group note in the body; the full page's, in the URL.
        Field("ProcNum", "num", Int(), accepts="PUT", required="PUT", write_only=True),
        Field("ProcNums", "group_members", ProcNumList(), accepts="POST", required="POST"),
        Field("Note", "note", Text(), required="POST PUT"),
    ],
)
"""A group note's body and its echo: the patient, the covered procedures, the note."""


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


def _proc_nums(call: Call, raw: Any) -> list[int]:
    try:
        nums: list[int] = GROUP_NOTE.by_wire["ProcNums"].conv.from_wire(raw, call.ctx)
    except ValueError as exc:
        raise Invalid.field("ProcNums", f"ProcNums {exc}.") from None
    return nums


def _body(call: Call, method: str, *, in_url: bool = False) -> dict[str, Any]:
    """The query (nothing but the common parameters) and the checked body."""
    Params(call.query, call.ctx)
    body = json_body(call)
    check_keys(body, GROUP_NOTE, method, without=("ProcNum",) if in_url else ())
    return body


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
    body = _body(call, "POST")
    pat_num = _int(body, "PatNum")
    nums = _proc_nums(call, body["ProcNums"])
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
    return created(call, await render_one(call, GROUP_NOTE, record), f"/procedurelogs/{record.num}")


async def _group_note(call: Call, num_text: Any, label: str) -> Procedure:
    record = await get_or_404(call, Procedure, str(num_text), label)
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
    return Reply(200, await render_one(call, GROUP_NOTE, stored))


async def put(call: Call) -> Reply:
    """Seed form: ``PUT /procedurelogs/GroupNote`` with ``ProcNum`` in the body."""
    body = _body(call, "PUT")
    return await _update(call, body["ProcNum"], body, "ProcNum")


async def put_by_url(call: Call) -> Reply:
    """Full reference form: ``PUT /procedurelogs/{ProcNum}/GroupNote``."""
    body = _body(call, "PUT", in_url=True)
    return await _update(call, call.path_params["ProcNum"], body, "ProcNum")


async def delete(call: Call) -> Reply:
    Params(call.query, call.ctx)
    record = await _group_note(call, call.path_params["ProcNum"], "ProcNum")
    await pc.mark_deleted(call, record)
    return Reply(200, None)


ENDPOINTS = [
    Endpoint("POST", "/procedurelogs/GroupNote", post, "procedure"),
    Endpoint("PUT", "/procedurelogs/GroupNote", put, "procedure"),
    Endpoint("PUT", "/procedurelogs/{ProcNum}/GroupNote", put_by_url, "procedure"),
    Endpoint("DELETE", "/procedurelogs/{ProcNum}/GroupNote", delete, "procedure"),
]
