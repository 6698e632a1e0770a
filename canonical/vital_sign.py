"""One set of vital signs taken for a patient (org API ``vital-signs``, seed 003;
Open Dental ``vitalsign``). DrChrono keeps vitals inside clinical notes, which
this record does not model."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import Annotated, ClassVar

from canonical.base import Record, Ref, RefTo
from canonical.registry import register

__all__ = ["VitalSign"]


@register
class VitalSign(Record):
    resource = "vital_sign"

    patient: Annotated[Ref, RefTo("patient")]
    provider: Annotated[Ref | None, RefTo("provider")] = None
    user: Annotated[Ref | None, RefTo("user")] = None
    """Who recorded it (org ``created_by``)."""
    date_taken: date
    time_taken: time | None = None
    bp_systolic: int | None = None
    bp_diastolic: int | None = None
    pulse: int | None = None
    oxygen_saturation: int | None = None
    respiration_rate: int | None = None
    temperature_f: Decimal | None = None
    height_inches: Decimal | None = None
    weight_lbs: Decimal | None = None
    weight_code: str = ""
    bmi: Decimal | None = None
    bmi_percentile: int | None = None
    has_followup_plan: bool = False
    note: str = ""

    indexes: ClassVar[tuple[tuple[str, ...], ...]] = (("patient_num", "date_taken"),)
