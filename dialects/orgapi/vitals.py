"""Org API patient vital signs (seed 003): list (``date_from``/``date_to``, by
date), record, get, PATCH update and archive (soft delete), under
``/patients/{patient_uuid}/vital-signs``.

Measurements are sent as JSON numbers and shown as decimal strings, as the
document's request and response models say. ``created_by`` is the integer id
of the recording user. The listing is in the order taken (date, then time of
entry).

``abnormal_flags`` and ``is_procedure_blocking`` are computed from the
reading. The document gives the blocking examples (BP over 180/120, SpO2
under 94%); the other limits are the usual adult screening ranges:

=====================  ==========================  ========
vital                  out of range                severity
=====================  ==========================  ========
blood pressure         > 180 systolic / > 120 dia  critical
oxygen_saturation      < 94                        critical
blood pressure         >= 140 / >= 90              warning
blood pressure         < 90 / < 60                 warning
pulse                  < 50 or > 120               warning
temperature_f          >= 100.4                    warning
respiration_rate       < 10 or > 24                warning
=====================  ==========================  ========

``is_procedure_blocking`` is true when any flag is critical.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from canonical import Cond, Order, Query, Record, RefTo, VitalSign
from dialects.base import Call
from dialects.codec import Codec, Field
from dialects.orgapi.clinical_formats import Computed, Measure, TimeOfDay
from dialects.orgapi.field_maps import PATIENT, ref, shown, stamps
from dialects.orgapi.formats import Bool, Date, Int, Text
from dialects.orgapi.params import Params
from dialects.orgapi.resource import PER_PATIENT, OrgApiResource

PROVIDER = RefTo("provider")
FLAGS_KEY = "abnormal_flags"
BLOCKING_KEY = "is_procedure_blocking"

_s = stamps()
CODEC = Codec(
    "orgapi",
    VitalSign,
    [
        Field("abnormal_flags", None, Computed(FLAGS_KEY, list), read_only=True),
        Field("bmi", "bmi", Measure(minimum=Decimal(0))),
        Field("bmi_percentile", "bmi_percentile", Int(minimum=0, maximum=100, nullable=True)),
        Field("bp_diastolic", "bp_diastolic", Int(minimum=0, maximum=300, nullable=True)),
        Field("bp_systolic", "bp_systolic", Int(minimum=0, maximum=400, nullable=True)),
        _s["created_at"],
        _s["created_by"],
        Field("date_taken", "date_taken", Date(), required="POST"),
        _s["deleted_at"],
        Field("has_followup_plan", "has_followup_plan", Bool()),
        Field("height_inches", "height_inches", Measure(minimum=Decimal(0))),
        _s["id"],
        Field("is_procedure_blocking", None, Computed(BLOCKING_KEY, bool), read_only=True),
        Field("note", "note", Text()),
        Field("oxygen_saturation", "oxygen_saturation", Int(minimum=0, maximum=100, nullable=True)),
        shown("patient", "patient", PATIENT),
        *ref("provider", "provider", PROVIDER),
        Field("pulse", "pulse", Int(minimum=0, maximum=400, nullable=True)),
        Field("respiration_rate", "respiration_rate", Int(minimum=0, maximum=200, nullable=True)),
        Field("temperature_f", "temperature_f", Measure(minimum=Decimal(0))),
        Field("time_taken", "time_taken", TimeOfDay()),
        _s["updated_at"],
        _s["version"],
        Field("weight_code", "weight_code", Text()),
        Field("weight_lbs", "weight_lbs", Measure(minimum=Decimal(0))),
    ],
    ref_labels={"provider": "Provider"},
)


@dataclass(frozen=True, slots=True)
class Limit:
    vital: str
    out_of_range: Callable[[VitalSign], bool]
    message: str
    severity: str


def _gt(name: str, bound: float) -> Callable[[VitalSign], bool]:
    return lambda v: getattr(v, name) is not None and getattr(v, name) > bound


def _lt(name: str, bound: float) -> Callable[[VitalSign], bool]:
    return lambda v: getattr(v, name) is not None and getattr(v, name) < bound


def _either(*tests: Callable[[VitalSign], bool]) -> Callable[[VitalSign], bool]:
    return lambda v: any(t(v) for t in tests)


LIMITS: tuple[Limit, ...] = (
    Limit(
        "blood_pressure",
        _either(_gt("bp_systolic", 180), _gt("bp_diastolic", 120)),
        "Blood pressure above 180/120: hypertensive crisis; provider review before treatment.",
        "critical",
    ),
    Limit(
        "oxygen_saturation",
        _lt("oxygen_saturation", 94),
        "Oxygen saturation below 94%; provider review before treatment.",
        "critical",
    ),
    Limit(
        "blood_pressure",
        _either(_gt("bp_systolic", 139), _gt("bp_diastolic", 89)),
        "Blood pressure at or above 140/90.",
        "warning",
    ),
    Limit(
        "blood_pressure",
        _either(_lt("bp_systolic", 90), _lt("bp_diastolic", 60)),
        "Blood pressure below 90/60.",
        "warning",
    ),
    Limit(
        "pulse", _either(_lt("pulse", 50), _gt("pulse", 120)), "Pulse outside 50-120.", "warning"
    ),
    Limit(
        "temperature_f",
        lambda v: v.temperature_f is not None and v.temperature_f >= Decimal("100.4"),
        "Temperature at or above 100.4 F.",
        "warning",
    ),
    Limit(
        "respiration_rate",
        _either(_lt("respiration_rate", 10), _gt("respiration_rate", 24)),
        "Respiration rate outside 10-24.",
        "warning",
    ),
)


def abnormal_flags(reading: VitalSign) -> list[dict[str, str]]:
    """One flag per vital, the most severe limit it breaks."""
    flags: dict[str, dict[str, str]] = {}
    for limit in LIMITS:
        if limit.vital not in flags and limit.out_of_range(reading):
            flags[limit.vital] = {
                "vital": limit.vital,
                "message": limit.message,
                "severity": limit.severity,
            }
    return list(flags.values())


async def filters(call: Call, params: Params, query: Query) -> None:
    start, end = params.date_("date_from"), params.date_("date_to")
    if start is not None:
        query.where.append(Cond("date_taken", "ge", start))
    if end is not None:
        query.where.append(Cond("date_taken", "le", end))


async def flags(call: Call, records: list[Record], verbose: bool) -> dict[int, dict[str, Any]]:
    """Each reading's flags, and whether any is critical."""
    out: dict[int, dict[str, Any]] = {}
    for reading in records:
        assert isinstance(reading, VitalSign)
        found = abnormal_flags(reading)
        blocking = any(f["severity"] == "critical" for f in found)
        out[reading.num or 0] = {FLAGS_KEY: found, BLOCKING_KEY: blocking}
    return out


RESOURCE = OrgApiResource(
    f"{PER_PATIENT}/vital-signs",
    CODEC,
    operations=("list", "read", "create", "update", "archive"),
    item="vitals_uuid",
    order=(Order("date_taken"), Order("num")),
    missing="Vital signs not found.",
    owner="patient",
    filters=filters,
    computed=flags,
)
ENDPOINTS = RESOURCE.endpoints()
CODECS = {"vital_sign": CODEC}
