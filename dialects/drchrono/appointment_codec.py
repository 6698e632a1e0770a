"""DrChrono's appointment field map (seed 004 ``/api/appointments``): its
status table, the converters of its computed and nested keys, and the codec."""

from __future__ import annotations

from typing import Any

from canonical import (
    Appointment,
)
from canonical.references import AppointmentStatus, AppointmentStatusChange
from dialects.codec import Codec, CodecContext, EnumMap, Field
from dialects.drchrono.formats import (
    Bool,
    Enum_,
    Int,
    OptInt,
    RefId,
    Text,
    Timestamp,
)

STATUSES = EnumMap(
    {
        "": AppointmentStatus.scheduled,
        "Arrived": AppointmentStatus.arrived,
        "Checked In": AppointmentStatus.checked_in,
        "Checked In Online": AppointmentStatus.checked_in_online,
        "In Room": AppointmentStatus.in_room,
        "Cancelled": AppointmentStatus.cancelled,
        "Complete": AppointmentStatus.complete,
        "Confirmed": AppointmentStatus.confirmed,
        "In Session": AppointmentStatus.in_session,
        "No Show": AppointmentStatus.no_show,
        "Not Confirmed": AppointmentStatus.not_confirmed,
        "Rescheduled": AppointmentStatus.rescheduled,
    },
    nearest={
        AppointmentStatus.unscheduled_list: "",
        AppointmentStatus.planned: "",
        AppointmentStatus.patient_note: "",
        AppointmentStatus.patient_note_completed: "",
        AppointmentStatus.broken: "No Show",
    },
)

FREE_ROOM = frozenset(
    {
        AppointmentStatus.cancelled,
        AppointmentStatus.no_show,
        AppointmentStatus.rescheduled,
        AppointmentStatus.broken,
    }
)
"""Statuses whose appointment no longer occupies its exam room."""


class AppointmentId:
    """The appointment's num, rendered as a string."""

    def to_wire(self, value: Any, ctx: CodecContext) -> Any:
        return None if value is None else str(value)

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        return Int().from_wire(raw, ctx)


class Flag:
    """A read-only boolean derived from whether the canonical value is set."""

    def to_wire(self, value: Any, ctx: CodecContext) -> Any:
        return value is not None

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        return ctx.now if Bool().from_wire(raw, ctx) else None


class Json:
    """A JSON value the gateway keeps as given (vitals, custom fields)."""

    def __init__(self, kind: type, empty: Any) -> None:
        self.kind = kind
        self.empty = empty

    def to_wire(self, value: Any, ctx: CodecContext) -> Any:
        return self.empty() if value is None else value

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        if raw is None:
            return None
        if not isinstance(raw, self.kind):
            what = "a list" if self.kind is list else "an object"
            raise ValueError(f"Expected {what} of items.")
        return raw


class Absent:
    """A read-only key whose resource the gateway does not hold: ``empty`` always."""

    def __init__(self, empty: Any) -> None:
        self.empty = empty

    def to_wire(self, value: Any, ctx: CodecContext) -> Any:
        return self.empty() if callable(self.empty) else self.empty

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        return raw


class Unheld:
    """A reference to a resource the gateway does not hold: only null is valid."""

    def to_wire(self, value: Any, ctx: CodecContext) -> Any:
        return None

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        if raw is None or raw == "":
            return None
        num = Int().from_wire(raw, ctx)
        raise ValueError(f'Invalid pk "{num}" - object does not exist.')


class Transitions:
    """``status_history`` <-> ``status_transitions`` (read-only)."""

    def to_wire(self, value: list[AppointmentStatusChange] | None, ctx: CodecContext) -> Any:
        ts = Timestamp()
        return [
            {
                "from_status": STATUSES.to_wire(c.from_status, ctx) if c.from_status else "",
                "to_status": STATUSES.to_wire(c.to_status, ctx),
                "datetime": ts.to_wire(c.changed_at, ctx),
            }
            for c in value or []
        ]

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        if not isinstance(raw, list):
            raise ValueError("Expected a list of items.")
        out = []
        for item in raw:
            if not isinstance(item, dict):
                raise ValueError("Expected a list of items.")
            before = item.get("from_status") or None
            out.append(
                AppointmentStatusChange(
                    from_status=None if before is None else STATUSES.from_wire(before, ctx),
                    to_status=STATUSES.from_wire(item.get("to_status", ""), ctx),
                    changed_at=Timestamp().from_wire(item.get("datetime"), ctx),
                )
            )
        return out


VERBOSE = frozenset(
    {
        "clinical_note",
        "custom_vitals",
        "extended_updated_at",
        "reminders",
        "status_transitions",
        "vitals",
    }
)
"""Keys rendered only with ``verbose=true``."""

CODEC = Codec(
    "drchrono",
    Appointment,
    [
        Field("doctor", "provider", RefId(), required="POST PUT"),
        Field("duration", "duration_minutes", Int(), required="POST PUT"),
        Field("exam_room", "exam_room", OptInt(), required="POST PUT"),
        Field("office", "clinic", RefId(), required="POST PUT"),
        Field("patient", "patient", RefId()),
        Field("scheduled_time", "starts_at", Timestamp(), required="POST PUT"),
        Field("color", "color", Text()),
        Field("custom_vitals", None, Json(list, list), extension=True),
        Field("notes", "note", Text()),
        Field("profile", None, Unheld(), extension=True),
        Field("reason", "reason", Text()),
        Field("reminder_profile", None, Unheld(), write_only=True, extension=True),
        Field("status", "status", Enum_(STATUSES, empty=AppointmentStatus.scheduled)),
        Field("status_transitions", "status_history", Transitions(), read_only=True),
        Field("vitals", None, Json(dict, dict), extension=True),
        Field("supervising_provider", "supervising_provider", RefId()),
        Field("billing_status", "billing_status", Text()),
        Field("billing_provider", "billing_provider", RefId()),
        Field("billing_notes", None, Absent(list), read_only=True),
        Field("clinical_note", None, Absent(None), read_only=True),
        Field("icd10_codes", None, Absent(""), read_only=True),
        Field("icd9_codes", None, Absent(""), read_only=True),
        Field("id", "num", AppointmentId(), read_only=True),
        Field("reminders", None, Absent(list), read_only=True),
        Field("created_at", "created_at", Timestamp(), read_only=True),
        Field("updated_at", "updated_at", Timestamp(), read_only=True),
        Field("first_billed_date", None, Absent(None), read_only=True),
        Field("last_billed_date", None, Absent(None), read_only=True),
        Field("deleted_flag", "deleted_at", Flag(), read_only=True),
        Field("primary_insurer_payer_id", None, Absent(""), read_only=True),
        Field("primary_insurer_name", None, Absent(""), read_only=True),
        Field("primary_insurance_id_number", None, Absent(""), read_only=True),
        Field("secondary_insurer_payer_id", None, Absent(""), read_only=True),
        Field("secondary_insurer_name", None, Absent(""), read_only=True),
        Field("secondary_insurance_id_number", None, Absent(""), read_only=True),
        Field("allow_overlapping", "allow_overlap", Bool()),
        Field("appt_is_break", "is_break", Bool(), read_only=True),
        Field("cloned_from", "cloned_from", RefId(), read_only=True),
        Field("extended_updated_at", "updated_at", Timestamp(), read_only=True),
        Field("recurring_appointment", "is_recurring", Bool(), read_only=True),
        Field("base_recurring_appointment", "recurring_base", RefId(), read_only=True),
        Field("is_walk_in", "is_walk_in", Bool()),
        Field("is_virtual_base", None, Absent(False), read_only=True),
        Field("custom_fields", None, Json(list, list), extension=True),
    ],
    ref_labels={
        "provider": "doctor",
        "clinic": "office",
        "patient": "patient",
        "supervising_provider": "supervising_provider",
        "billing_provider": "billing_provider",
    },
)
