"""The procedures an appointment holds, for the Open Dental writes that attach
them (POST, PUT, POST Planned, POST SchedulePlanned, POST WebSched;
reference/opendental/apiappointments.md): an appointment type's codes, the
pattern, colour and ``ProcDescript`` a type gives, and the links from each
procedure.

Decisions where the page is silent ("the same logic ... as in Open Dental"):

- An appointment type's codes are matched, in the type's order, to the
  patient's treatment-planned procedures of that code not yet on an
  appointment of the kind being made (planned, or scheduled); each procedure
  is used once. A code with no such procedure gets a new treatment-planned
  procedure, dated today (office-local), at the code's default fee, by the
  appointment's provider, in its clinic, with the first treatment priority
  and diagnosis definitions, as ProcedureLogs POST defaults them. On an
  appointment that already holds procedures (a PUT that changes its type),
  the ones it holds (not deleted) answer the type's codes first, and only the
  codes left over attach or make procedures.
- What a type sets (:func:`type_patch`), the same for POST, PUT and POST
  Planned: its pattern, else its procedures' pattern, unless the request
  sends ``Pattern``; its colour (none for no type, or a type with none)
  unless the request sends ``colorOverride``; and the procedures it adds
  appended to ``ProcDescript``.
- The pattern procedures give is their codes' time patterns (``ProcTime``)
  one after another, trimmed to nine hours; codes with none add nothing, and
  none at all leaves the default ``/XX/`` on a new appointment, the stored
  pattern on a PUT.
- ``ProcDescript`` is the procedures' code abbreviations, ", " between them,
  in the order attached.
"""

from __future__ import annotations

from collections.abc import Container, Sequence
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

__all__ = [
    "Attached",
    "appointment_type",
    "attach",
    "for_type",
    "number",
    "ref_of",
    "type_patch",
]

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
    """What an appointment will hold: procedures that exist, and codes to make
    procedures of, in the order attached; ``held``: the ProcNums among them
    the appointment holds already."""

    items: list[tuple[ProcedureCode, Procedure | None]] = field(default_factory=list)
    held: set[int] = field(default_factory=set)

    @property
    def added(self) -> list[tuple[ProcedureCode, Procedure | None]]:
        """The items the appointment does not hold yet."""
        return [(c, p) for c, p in self.items if p is None or p.num not in self.held]

    @property
    def descript(self) -> str:
        """The added procedures' abbreviations (the ones held are in ``ProcDescript`` already)."""
        return ", ".join(code.abbreviation or code.code for code, _ in self.added)

    @property
    def times(self) -> str:
        """The codes' time patterns one after another, trimmed; "" when none has one."""
        return "".join(code.time_pattern for code, _ in self.items)[:MAX_PATTERN]

    @property
    def pattern(self) -> str:
        """:attr:`times`, or the default when none has one."""
        return self.times or DEFAULT_PATTERN


async def appointment_type(call: Call, num: int) -> AppointmentType:
    """The appointment type ``num``, or 404 "AppointmentType not found.": Open
    Dental names a missing referenced record by its table ("Provider not found",
    "Medication not found"; apimedicationpats.md), as this dialect's other
    resources do."""
    try:
        found = await call.backend.get(AppointmentType, num=num)
    except NotFound:
        raise NotFound(
            "AppointmentType not found.", resource="appointment_type", field="AppointmentTypeNum"
        ) from None
    assert isinstance(found, AppointmentType)
    return found


async def code_of(call: Call, ref: Ref) -> ProcedureCode:
    return await pc.code_of(call, ref)


async def _procedures(call: Call, *where: Cond) -> list[Procedure]:
    found = await call.backend.find(Procedure, Query(where=list(where), order=[Order("num")]))
    return [p for p in found.items if isinstance(p, Procedure)]


async def for_type(
    call: Call,
    kind: AppointmentType,
    patient: int,
    planned: bool,
    current: Appointment | None = None,
) -> Attached:
    """The procedures an appointment of ``kind`` for ``patient`` holds (see the
    module docstring); ``planned``: for a planned appointment; ``current``: the
    stored appointment the type is set on, whose own procedures count first."""
    link = "planned_appointment" if planned else "appointment"
    free = await _procedures(
        call,
        Cond("patient", "eq", patient),
        Cond("status", "eq", ProcedureStatus.treatment_planned),
        Cond(link, "eq", None),
    )
    own: list[Procedure] = []
    if current is not None:
        own = [
            p
            for p in await _procedures(call, Cond(link, "eq", current.num))
            if p.status is not ProcedureStatus.deleted
        ]
    out = Attached(held={p.num for p in own if p.num is not None})
    for ref in kind.procedure_codes:
        code = await code_of(call, ref)
        pool = own if any(p.code.num == code.num for p in own) else free
        hit = next((p for p in pool if p.code.num == code.num), None)
        if hit is not None:
            pool.remove(hit)  # each procedure answers one code
        out.items.append((code, hit))
    return out


def type_patch(
    kind: AppointmentType | None, held: Attached, sent: Container[str], descript: str = ""
) -> dict[str, Any]:
    """The values an appointment takes from its type ``kind`` (``None``: none)
    and the procedures ``held`` it gains (see the module docstring): ``sent``
    are the request's keys, ``descript`` the ``ProcDescript`` it had. No
    ``pattern`` when neither the type nor its procedures give one: the caller
    keeps its own (a default, or the stored one)."""
    out: dict[str, Any] = {
        "procedure_description": ", ".join(d for d in (descript, held.descript) if d)
    }
    if "colorOverride" not in sent:
        out["color"] = kind.color if kind is not None else ""
    pattern = (kind.pattern[:MAX_PATTERN] if kind is not None else "") or held.times
    if "Pattern" not in sent and pattern:
        out["pattern"] = pattern
    return out


async def attach(call: Call, held: Attached, appointment: Appointment, planned: bool) -> None:
    """Link ``held`` to the stored ``appointment``, making the procedures that do
    not exist yet; ``planned`` links them as its planned appointment."""
    link = "planned_appointment" if planned else "appointment"
    target = ref_of(appointment)
    today = call.ctx.now.astimezone(call.ctx.tz).date()
    priority = diagnosis = None
    for code, proc in held.added:
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
