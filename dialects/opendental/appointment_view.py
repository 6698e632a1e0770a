"""Appointments as Open Dental shows them: the values that depend on more than
one canonical field or on other records (the operatory that is the exam room,
the pattern that spans the duration, the confirmation a DrChrono status
implies; see :mod:`.appointment_codec`), and the confirmation definitions
``confirmVal`` names.

``confirmVal`` and the definitions. Open Dental's eServices setup names which
Appt Confirmed definition (definition Category 2) each automated-messaging
outcome sets; here that setting is the definition's ``ItemValue``: "Sent",
"Confirmed", "Not Accepted" or "Failed". "None" is the first definition of
the category, the default of every new appointment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from canonical import (
    Appointment,
    AppointmentStatus,
    Cond,
    Definition,
    DefinitionCategory,
    Operatory,
    Order,
    Query,
    Record,
    Ref,
)
from dialects.base import Call
from dialects.opendental.appointment_codec import ref_num, shown_pattern

__all__ = [
    "CONFIRM_VALUES",
    "Confirmations",
    "Rooms",
    "as_shown",
    "confirm_status",
    "confirmations",
    "rooms",
]

CONFIRM_VALUES = ("None", "Sent", "Confirmed", "Not Accepted", "Failed")


@dataclass(frozen=True)
class Rooms:
    """Every operatory, by num and by the exam room it is."""

    by_num: dict[int, Operatory]
    by_room: dict[tuple[int | None, int], Operatory]

    def op_of(self, record: Appointment) -> Ref | None:
        """The operatory shown as ``Op``: the exam room's, else the one recorded."""
        if record.exam_room is None:
            return record.operatory
        op = self.by_room.get((ref_num(record.clinic), record.exam_room))
        return None if op is None else Ref(uuid=op.uuid, num=op.num)


async def rooms(call: Call) -> Rooms:
    ops = (await call.backend.find(Operatory, Query(order=[Order("num")]))).items
    typed = [o for o in ops if isinstance(o, Operatory)]
    return Rooms(
        {o.num: o for o in typed if o.num is not None},
        {(ref_num(o.clinic), o.exam_room): o for o in typed},
    )


@dataclass(frozen=True)
class Confirmations:
    """The Appt Confirmed definitions, in list order."""

    defs: list[Definition]

    @property
    def first(self) -> Ref | None:
        return None if not self.defs else _ref(self.defs[0])

    def named(self, value: str) -> Ref | None:
        """The definition ``confirmVal`` ``value`` sets (see the module docstring)."""
        if value == "None":
            return self.first
        hit = next((d for d in self.defs if d.value.lower() == value.lower()), None)
        return None if hit is None else _ref(hit)

    def shown(self, record: Appointment) -> Ref | None:
        confirmed = self.named("Confirmed")
        if record.status is AppointmentStatus.confirmed and confirmed is not None:
            return confirmed
        stored = record.confirmation
        if (
            record.status is AppointmentStatus.not_confirmed
            and confirmed is not None
            and ref_num(stored) == confirmed.num
        ):
            return self.first
        return stored or self.first


def _ref(d: Definition) -> Ref:
    return Ref(uuid=d.uuid, num=d.num)


async def confirmations(call: Call) -> Confirmations:
    query = Query(
        where=[
            Cond("category", "eq", DefinitionCategory.appointment_confirmed),
            Cond("is_hidden", "eq", False),
        ],
        order=[Order("order"), Order("num")],
    )
    found = (await call.backend.find(Definition, query)).items
    return Confirmations([d for d in found if isinstance(d, Definition)])


def shown_one(record: Appointment, ops: Rooms, confirms: Confirmations) -> Appointment:
    pattern, secondary = shown_pattern(record)
    return record.model_copy(
        update={
            "pattern": pattern,
            "pattern_secondary": secondary,
            "operatory": ops.op_of(record),
            "confirmation": confirms.shown(record),
        }
    )


async def as_shown(call: Call, records: Sequence[Record], verbose: bool = False) -> list[Record]:
    """The resource's ``view``: each appointment with its shown values."""
    ops, confirms = await rooms(call), await confirmations(call)
    return [shown_one(r, ops, confirms) for r in records if isinstance(r, Appointment)]


def confirm_status(
    record: Appointment, confirmation: Ref | None, confirms: Confirmations
) -> AppointmentStatus:
    """The status after ``confirmation`` is set: the "Confirmed" definition makes a
    scheduled appointment DrChrono's ``Confirmed``; another one makes a confirmed
    appointment ``Not Confirmed``."""
    confirmed = confirms.named("Confirmed")
    is_confirmed = confirmed is not None and ref_num(confirmation) == confirmed.num
    if is_confirmed and record.status in (
        AppointmentStatus.scheduled,
        AppointmentStatus.not_confirmed,
    ):
        return AppointmentStatus.confirmed
    if not is_confirmed and record.status is AppointmentStatus.confirmed:
        return AppointmentStatus.not_confirmed
    return record.status
