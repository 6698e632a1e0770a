"""The procedures an appointment holds, for the Open Dental writes that attach
them (POST Planned, POST SchedulePlanned, POST WebSched;
reference/opendental/apiappointments.md): an appointment type's codes, the
pattern and ``ProcDescript`` they give, and the links from each procedure.

Decisions where the page is silent ("the same logic ... as in Open Dental"):

- An appointment type's codes are matched, in the type's order, to the
  patient's treatment-planned procedures of that code not yet on an
  appointment of the kind being made (planned, or scheduled); each procedure
  is used once. A code with no such procedure gets a new treatment-planned
  procedure, dated today (office-local), at the code's default fee, by the
  appointment's provider, in its clinic, with the first treatment priority
  and diagnosis definitions, as ProcedureLogs POST defaults them.
- The pattern procedures give is their codes' time patterns (``ProcTime``)
  one after another, trimmed to nine hours; codes with none add nothing, and
  none at all leaves the default ``/XX/``.
- ``ProcDescript`` is the procedures' code abbreviations, ", " between them,
  in the order attached.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from canonical import (
    Appointment,
    AppointmentType,
    Cond,
    DefinitionCategory,
    Invalid,
    NotFound,
    Order,
    Procedure,
    ProcedureCode,
    ProcedureStatus,
    Query,
    Ref,
)
from dialects.base import Call
from dialects.limits import value_problem
from dialects.opendental import procedure_codec as pc
from dialects.opendental.appointment_codec import MAX_PATTERN
from dialects.opendental.formats import parse_int

__all__ = ["Attached", "appointment_type", "attach", "for_type", "number", "ref_of"]

DEFAULT_PATTERN = "/XX/"


def number(raw: Any, label: str) -> int:
    """A key a body gives as a number: "<label> must be an integer." otherwise,
    and one no 64-bit column holds is refused before any lookup."""
    try:
        num = parse_int(raw)
    except ValueError:
        raise Invalid.field(label, f"{label} must be an integer.") from None
    problem = value_problem(num)
    if problem is not None:
        raise Invalid.field(label, f"{label} {problem}.")
    return num


def ref_of(record: Appointment | Procedure | ProcedureCode | AppointmentType) -> Ref:
    return Ref(uuid=record.uuid, num=record.num)


@dataclass
class Attached:
    """What a new appointment will hold: procedures that exist, and codes to make
    procedures of, in the order attached."""

    items: list[tuple[ProcedureCode, Procedure | None]] = field(default_factory=list)

    @property
    def descript(self) -> str:
        return ", ".join(code.abbreviation or code.code for code, _ in self.items)

    @property
    def pattern(self) -> str:
        """The codes' time patterns one after another; the default when none has one."""
        joined = "".join(code.time_pattern for code, _ in self.items)[:MAX_PATTERN]
        return joined or DEFAULT_PATTERN


async def appointment_type(
    call: Call, num: int, label: str = "AppointmentTypeNum"
) -> AppointmentType:
    """The appointment type ``num``, or 404 "<label> not found."."""
    try:
        found = await call.backend.get(AppointmentType, num=num)
    except NotFound:
        raise NotFound(f"{label} not found.", resource="appointment_type", field=label) from None
    assert isinstance(found, AppointmentType)
    return found


async def code_of(call: Call, ref: Ref) -> ProcedureCode:
    return await pc.code_of(call, ref)


async def for_type(call: Call, kind: AppointmentType, patient: int, planned: bool) -> Attached:
    """The procedures an appointment of ``kind`` for ``patient`` holds (see the
    module docstring); ``planned``: for a planned appointment."""
    link = "planned_appointment" if planned else "appointment"
    query = Query(
        where=[
            Cond("patient", "eq", patient),
            Cond("status", "eq", ProcedureStatus.treatment_planned),
            Cond(link, "eq", None),
        ],
        order=[Order("num")],
    )
    free = [
        p for p in (await call.backend.find(Procedure, query)).items if isinstance(p, Procedure)
    ]
    out = Attached()
    for ref in kind.procedure_codes:
        code = await code_of(call, ref)
        hit = next((p for p in free if p.code.num == code.num), None)
        if hit is not None:
            free.remove(hit)
        out.items.append((code, hit))
    return out


async def attach(call: Call, held: Attached, appointment: Appointment, planned: bool) -> None:
    """Link ``held`` to the stored ``appointment``, making the procedures that do
    not exist yet; ``planned`` links them as its planned appointment."""
    link = "planned_appointment" if planned else "appointment"
    target = ref_of(appointment)
    today = call.ctx.now.astimezone(call.ctx.tz).date()
    priority = diagnosis = None
    for code, proc in held.items:
        if proc is not None:
            await call.backend.update(proc.model_copy(update={link: target}))
            continue
        if priority is None:
            priority = await pc.first_definition(call, DefinitionCategory.treatment_priority)
            diagnosis = await pc.first_definition(call, DefinitionCategory.diagnosis)
        assert appointment.patient is not None
        await call.backend.create(
            Procedure(
                patient=appointment.patient,
                code=ref_of(code),
                status=ProcedureStatus.treatment_planned,
                procedure_date=today,
                fee=code.default_fee,
                provider=appointment.provider,
                clinic=appointment.clinic,
                base_units=code.base_units,
                priority=priority,
                diagnosis=diagnosis,
                **{link: target},
            )
        )


async def of_planned(call: Call, planned: Appointment) -> Sequence[Procedure]:
    """The procedures ``planned`` holds that a scheduled appointment can take:
    neither complete nor deleted."""
    query = Query(where=[Cond("planned_appointment", "eq", planned.num)], order=[Order("num")])
    done = (ProcedureStatus.complete, ProcedureStatus.deleted)
    return [
        p
        for p in (await call.backend.find(Procedure, query)).items
        if isinstance(p, Procedure) and p.status not in done
    ]
