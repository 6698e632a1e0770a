"""The rules of Appointments POST and PUT beyond the field map: defaults, the
room an operatory is, the pattern that sets the length, and overlaps.

Decisions where the page is silent:

- References are checked in the order patient, operatory, providers, clinic,
  definitions, user; the first missing one is a 404 "<Key> not found.". The
  appointment type is checked after them.
- ``AppointmentTypeNum`` on POST, and on a PUT that changes it, applies the
  type as POST Planned does (:mod:`.appointment_procs`): its procedures are
  attached (the patient's treatment-planned ones of its codes, else new
  ones), ``ProcDescript`` gains them, the pattern is the type's (else its
  procedures') unless ``Pattern`` is sent, the colour the type's unless
  ``colorOverride`` is sent. On PUT the procedures the appointment holds
  already answer the type's codes first. 0 is no type: on POST nothing is
  applied; on PUT the type is taken off and the colour with it (unless
  ``colorOverride`` is sent), while the pattern and the procedures stay (the
  page sends procedure changes to ProcedureLogs PUT). A PUT that sends the
  appointment's own type back applies nothing, as re-applying would add its
  procedures again.
- An ``AppointmentTypeNum`` naming no appointment type is a 404
  "AppointmentType not found." (as POST Planned's, and as Open Dental
  answers a foreign key to no record: apimedicationpats.md, apiproviders.md),
  and nothing is written: no appointment, no procedure. A hidden type is
  applied as any other (the page names no such limit). A type on an
  appointment with no patient (a DrChrono break) is a 400: its procedures
  would be no one's.
- ``Op`` is a room (:mod:`canonical.schedule`): when the operatory belongs to
  the appointment's clinic (or both to none) the appointment takes its exam
  room, so DrChrono shows the same room; otherwise (a ClinicNum other than
  the operatory's) the operatory alone is recorded.
- Overlaps: Open Dental does not book two appointments over one another in
  one operatory. A POST or PUT whose time overlaps another appointment that
  holds time (:data:`canonical.FREES_TIME`) in the same operatory is a 400;
  other operatories may be double-booked, as DrChrono's other exam rooms
  may (DrChrono answers the same clash in its own dialect with 409).
  An appointment DrChrono booked with ``allow_overlapping`` is not checked.
- ``Pattern`` sets the length (five minutes a character); an empty one is a
  400. ``PatternSecondary`` must be as long as the pattern.
- ``IsNewPatient`` "true" on POST sets the patient's first visit date to the
  appointment's date when the patient has no completed procedure.
- A PUT that sends back a value as shown (a derived ``Pattern``, the ``Op``
  of the exam room, the ``Confirmed`` a DrChrono status implies) keeps what
  is stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time, timedelta
from typing import Any

from canonical import (
    FREES_TIME,
    Appointment,
    AppointmentStatus,
    Cond,
    Invalid,
    Order,
    Patient,
    Procedure,
    ProcedureStatus,
    Query,
    Record,
)
from dialects.base import Call
from dialects.codec import merge_patch
from dialects.opendental import procedure_codec as pc
from dialects.opendental.appointment_codec import CODEC, STATUSES, ref_num
from dialects.opendental.appointment_procs import (
    Attached,
    appointment_type,
    attach,
    for_type,
    type_patch,
)
from dialects.opendental.appointment_view import (
    Rooms,
    confirm_status,
    confirmations,
    rooms,
    shown_one,
)

__all__ = ["POSTABLE", "attach_type", "check_overlap", "place", "resolve", "rules"]

DEFAULT_PATTERN = "/XX/"

POSTABLE = (
    AppointmentStatus.scheduled,
    AppointmentStatus.complete,
    AppointmentStatus.unscheduled_list,
    AppointmentStatus.patient_note,
    AppointmentStatus.patient_note_completed,
)
"""POST's AptStatus: 'Either "Scheduled", "Complete", "UnschedList", or ... "PtNote",
"PtNoteCompleted"'; PUT takes Broken and Planned too."""

RESOLVE_ORDER = (
    "patient",
    "operatory",
    "provider",
    "hygienist",
    "clinic",
    "confirmation",
    "unscheduled_status",
    "entered_by",
)

CLOCK_FIELDS = ("arrived_at", "seated_at", "dismissed_at")


async def resolve(call: Call, patch: dict[str, Any]) -> None:
    ordered = {k: patch[k] for k in RESOLVE_ORDER if k in patch}
    patch.update(await call.backend.resolve(Appointment, ordered, labels=CODEC.ref_labels))


async def rules(
    call: Call, body: Mapping[str, Any], patch: dict[str, Any], record: Record | None
) -> None:
    """Check and complete a decoded POST (``record`` ``None``) or PUT patch."""
    assert record is None or isinstance(record, Appointment)
    ops = await rooms(call)
    if record is not None:
        _keep_shown(patch, shown_one(record, ops, await confirmations(call)))
    _check_values(patch, record)
    await resolve(call, patch)
    if record is not None and "confirmation" in patch:
        current = record.model_copy(update={"status": patch.get("status", record.status)})
        patch["status"] = confirm_status(current, patch["confirmation"], await confirmations(call))
    held = await _apply_type(call, body, patch, record)
    if record is None:
        await _defaults(call, patch, ops)
    _pattern(patch, record)
    place(patch, record, ops)
    _clock_times(call, patch, record)
    updated = merge_patch(record, Appointment, patch)
    assert isinstance(updated, Appointment)
    moved = record is None or any(
        getattr(updated, k) != getattr(record, k)
        for k in ("starts_at", "duration_minutes", "clinic", "exam_room", "operatory", "status")
    )
    if moved:
        await check_overlap(call, updated, ops)
    if record is None and updated.is_new_patient:
        await _first_visit(call, updated)
    if record is not None and held is not None:
        # Last, once every check has passed; a new appointment has no AptNum yet
        # to attach to, so POST's are attached by attach_type once it is stored.
        await attach(call, held, updated, updated.status is AppointmentStatus.planned)


async def _apply_type(
    call: Call, body: Mapping[str, Any], patch: dict[str, Any], record: Appointment | None
) -> Attached | None:
    """Put the values the appointment type gives into the patch (see the module
    docstring); the procedures it attaches, ``None`` when the type is not set."""
    if "appointment_type" not in patch or (record is None and patch["appointment_type"] is None):
        return None
    num = patch["appointment_type"]
    kind = None if num is None else await appointment_type(call, num)
    held = Attached()
    if kind is not None:
        patient = patch["patient"] if record is None else record.patient
        if patient is None or patient.num is None:  # a DrChrono break: no one to treat
            raise Invalid.field(
                "AppointmentTypeNum", "AppointmentTypeNum needs an appointment with a patient."
            )
        status = patch.get("status", record.status if record else AppointmentStatus.scheduled)
        planned = status is AppointmentStatus.planned
        held = await for_type(call, kind, patient.num, planned, record)
    patch.update(type_patch(kind, held, body, record.procedure_description if record else ""))
    return held


async def attach_type(call: Call, record: Record, body: Mapping[str, Any], created: bool) -> Record:
    """POST: attach the type's procedures to the stored appointment. They are
    matched again as :func:`rules` matched them: nothing but the appointment
    has been written since. (A PUT attaches in :func:`rules`, which knows
    whether the type changed.)"""
    assert isinstance(record, Appointment)
    if created and record.appointment_type is not None:
        assert record.patient is not None and record.patient.num is not None
        kind = await appointment_type(call, record.appointment_type)
        held = await for_type(call, kind, record.patient.num, planned=False)
        await attach(call, held, record, planned=False)
    return record


def _keep_shown(patch: dict[str, Any], shown: Appointment) -> None:
    for key in ("pattern", "pattern_secondary", "operatory", "confirmation", "appointment_type"):
        if key not in patch:
            continue
        new, was = patch[key], getattr(shown, key)
        if key in ("operatory", "confirmation"):
            new, was = ref_num(new), ref_num(was)
        if new == was:
            del patch[key]
            if key == "pattern":
                patch.pop("duration_minutes", None)  # the length the codec read from it


def _check_values(patch: dict[str, Any], record: Appointment | None) -> None:
    if record is None:
        if patch.get("patient") is None:
            raise Invalid.field("PatNum", "PatNum is required.")
        if patch.get("operatory") is None:
            raise Invalid.field("Op", "Op is required.")
        if patch.get("starts_at") is None:
            raise Invalid.field("AptDateTime", "AptDateTime is required.")
        status = patch.get("status", AppointmentStatus.scheduled)
        if status not in POSTABLE:
            allowed = ", ".join(f'"{STATUSES.reverse[s]}"' for s in POSTABLE)
            raise Invalid.field("AptStatus", f"AptStatus must be one of {allowed}.")
    elif "starts_at" in patch and patch["starts_at"] is None:
        raise Invalid.field("AptDateTime", "AptDateTime must be a date and time.")
    if patch.get("pattern") == "":
        raise Invalid.field("Pattern", "Pattern must not be empty.")


async def _defaults(call: Call, patch: dict[str, Any], ops: Rooms) -> None:
    patient = await call.backend.get(Patient, num=patch["patient"].num)
    assert isinstance(patient, Patient)
    patch.setdefault("status", AppointmentStatus.scheduled)
    patch.setdefault("pattern", DEFAULT_PATTERN)
    if patch.get("provider") is None:
        patch["provider"] = await pc.default_provider(call, patient)
    if patch.get("confirmation") is None:
        patch["confirmation"] = (await confirmations(call)).first
    if "clinic" not in patch:
        op = ops.by_num.get(patch["operatory"].num)
        patch["clinic"] = op.clinic if op is not None and op.clinic else patient.location


def _pattern(patch: dict[str, Any], record: Appointment | None) -> None:
    pattern = patch.get("pattern", record.pattern if record else "")
    if "pattern" in patch:
        patch["duration_minutes"] = len(pattern) * 5
    if "pattern_secondary" in patch:
        if len(patch["pattern_secondary"]) != len(pattern):
            raise Invalid.field(
                "PatternSecondary", "PatternSecondary must be the same length as Pattern."
            )
    elif "pattern" in patch:
        patch["pattern_secondary"] = "/" * len(pattern)


def place(patch: dict[str, Any], record: Appointment | None, ops: Rooms) -> None:
    """The exam room the operatory is, when it is one of the appointment's clinic."""
    moved_clinic = "clinic" in patch and (
        record is None or ref_num(patch["clinic"]) != ref_num(record.clinic)
    )
    if "operatory" not in patch and not moved_clinic:
        return  # the room stays as stored
    if "operatory" in patch:
        operatory = patch["operatory"]
    else:
        operatory = None if record is None else ops.op_of(record)
    clinic = patch.get("clinic", record.clinic if record else None)
    op = None if operatory is None else ops.by_num.get(operatory.num)
    if op is not None and ref_num(op.clinic) == ref_num(clinic):
        patch["exam_room"], patch["operatory"] = op.exam_room, None
    else:
        patch["exam_room"], patch["operatory"] = None, operatory


def _clock_times(call: Call, patch: dict[str, Any], record: Appointment | None) -> None:
    """ "HH:mm:ss" times are on the appointment's (office-local) date."""
    starts = patch.get("starts_at", record.starts_at if record else None)
    for key in CLOCK_FIELDS:
        value = patch.get(key)
        if isinstance(value, time):
            if starts is None:
                raise Invalid.field(CODEC.wire_name(key), "The appointment has no date.")
            day = starts.astimezone(call.ctx.tz).date()
            patch[key] = datetime.combine(day, value, tzinfo=call.ctx.tz)


async def check_overlap(call: Call, appointment: Appointment, ops: Rooms) -> None:
    """400 when another appointment holding time is in the same operatory at the same time."""
    starts, minutes = appointment.starts_at, appointment.duration_minutes
    room = ops.op_of(appointment)
    if (
        starts is None
        or not minutes
        or room is None
        or appointment.allow_overlap
        or appointment.status in FREES_TIME
    ):
        return
    ends = starts + timedelta(minutes=minutes)
    longest = await call.backend.find(
        Appointment, Query(order=[Order("duration_minutes", descending=True)], limit=1)
    )
    reach = timedelta(minutes=longest.items[0].duration_minutes if longest.items else 0)
    query = Query(order=[Order("starts_at")])
    query.add("starts_at", "lt", ends).add("starts_at", "gt", starts - reach)
    for other in (await call.backend.find(Appointment, query)).items:
        assert isinstance(other, Appointment)
        if other.num == appointment.num or other.status in FREES_TIME or other.starts_at is None:
            continue
        if ref_num(ops.op_of(other)) != room.num:
            continue
        if other.starts_at + timedelta(minutes=other.duration_minutes) > starts:
            raise Invalid.field(
                "AptDateTime",
                f"Appointment overlaps appointment {other.num} in operatory {room.num}.",
            )


async def _first_visit(call: Call, appointment: Appointment) -> None:
    assert appointment.patient is not None and appointment.starts_at is not None
    done = Query(
        where=[
            Cond("patient", "eq", appointment.patient.num),
            Cond("status", "eq", ProcedureStatus.complete),
        ],
        limit=1,
    )
    if (await call.backend.find(Procedure, done)).items:
        return
    patient = await call.backend.get(Patient, num=appointment.patient.num)
    first = appointment.starts_at.astimezone(call.ctx.tz).date()
    await call.backend.update(patient.model_copy(update={"date_first_visit": first}))
