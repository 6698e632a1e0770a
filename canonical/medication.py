"""A medication a patient takes or was prescribed.

Superset of the org API's patient medication (seed 003:
medication_definition, med_descript, provider, dosage, frequency, route,
rx_cui, is_cpoe, status, date_start, date_stop, discontinuation_reason,
patient_note) and DrChrono's ``/api/medications`` (seed 004: doctor,
appointment, name, daw, prn, date_prescribed, date_started_taking,
date_stopped_taking, dispense_quantity, dosage_quantity, dosage_units, ndc,
notes, frequency, indication, number_refills, order_status, pharmacy_note
(and ``append_to_pharmacy_note``), route, rxnorm, signature_note, status).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from canonical.base import Record, Ref, RefTo
from canonical.registry import register

__all__ = ["Medication", "MedicationOrderStatus", "MedicationStatus"]


class MedicationStatus(StrEnum):
    """Union of the org API's lifecycle and DrChrono's active/inactive."""

    active = "active"
    inactive = "inactive"
    discontinued = "discontinued"
    on_hold = "on_hold"
    completed = "completed"


class MedicationOrderStatus(StrEnum):
    """DrChrono's ``order_status`` ("" is ``None``)."""

    ordered = "Ordered"
    administered_during_visit = "Administered during visit"
    erx_sent = "Electronic eRx Sent"
    phoned_into_pharmacy = "Phoned into Pharmacy"
    faxed_to_pharmacy = "Faxed to Pharmacy"
    paper_rx = "Paper Rx"
    prescription_printed = "Prescription Printed"
    discontinued = "Discontinued"
    prescribed_by_other_dr = "Prescribed by other Dr"
    over_the_counter = "Over the Counter"


@register
class Medication(Record):
    resource = "medication"

    patient: Annotated[Ref, RefTo("patient")]
    medication_definition: Annotated[Ref | None, RefTo("medication_definition")] = None
    provider: Annotated[Ref | None, RefTo("provider")] = None
    """The prescribing provider (org ``provider``, DrChrono ``doctor``)."""
    appointment: Annotated[Ref | None, RefTo("appointment")] = None
    name: str = ""
    """Free-text medication (org ``med_descript``, DrChrono ``name``)."""
    status: MedicationStatus = MedicationStatus.active
    date_started: date | None = None
    date_stopped: date | None = None
    date_prescribed: date | None = None
    dosage: str = ""
    """The org API's free-text dosage ("500 mg")."""
    dosage_quantity: str = ""
    dosage_units: str = ""
    frequency: str = ""
    route: str = ""
    rxnorm: str = ""
    """RxNorm CUI (org ``rx_cui``, DrChrono ``rxnorm``)."""
    ndc: str = ""
    is_cpoe: bool = False
    discontinuation_reason: str = ""
    patient_note: str = ""
    notes: str = ""
    """Provider's notes (DrChrono ``notes``)."""
    indication: str = ""
    daw: bool = False
    prn: bool = False
    dispense_quantity: Decimal | None = None
    number_refills: int | None = None
    order_status: MedicationOrderStatus | None = None
    pharmacy_note: str = ""
    signature_note: str = ""
