"""Open Dental MedicationPats (reference/opendental/apimedicationpats.md): GET
(by ``PatNum``), POST, PUT and DELETE, over the canonical medication the org
API's patient medications and DrChrono's ``/api/medications`` also serve. How
the Medication is chosen, shown and kept, and what DELETE does:
:mod:`.clinical_defs`.

Decisions where the page is silent:

- GET "for a given patient": ``PatNum`` missing is a 400 "PatNum is
  required.", an unknown patient a 404 "Patient not found."; the list is in
  ``MedicationPatNum`` order and pages with ``Offset``/``Limit``. ``PatNum``
  is shown as a numeric string, as the page's example prints it.
- A new Medication made for a new ``medName`` is generic (its generic name is
  its own name: "assumed to be generic rather than brand").
- POST and PUT answer with the record as GET shows it. ``DELETE
  /medicationpats`` without a number is the page's 400 "MedicationPatNum is
  required.".
- Status. Open Dental has no status key: a medication is active until its
  ``DateStop`` has passed (a date before today in the office's zone). A POST
  sets the canonical status from ``DateStop`` (active, or inactive when
  already stopped). A PUT that changes ``DateStop`` sets it again, but keeps
  the org API's discontinued / on-hold / completed when the new date still
  means stopped; a PUT that sends ``DateStop`` back as read changes nothing.
- What Open Dental has no key for (dosage, route, frequency, RxNorm, NDC,
  the org API's free-text description, DrChrono's order details and notes)
  stays in the canonical record: no Open Dental write touches it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from canonical import (
    Invalid,
    Medication,
    MedicationDefinition,
    MedicationStatus,
    Patient,
    Query,
    Record,
)
from dialects.base import Call, Endpoint, Reply
from dialects.codec import Codec, Field
from dialects.opendental.clinical_defs import NAME_LENGTH, Catalog, ClinicalResource, shown_names
from dialects.opendental.formats import Date, Int, RefNum, Text
from dialects.opendental.params import Params
from dialects.opendental.records import must_exist

__all__ = ["CODEC", "CODECS", "ENDPOINTS", "RESOURCE", "status_for_stop"]

CODEC = Codec(
    "opendental",
    Medication,
    [
        Field("MedicationPatNum", "num", Int(), read_only=True),
        Field("PatNum", "patient", RefNum(as_text=True), accepts="POST", required="POST"),
        Field("medName", "name", Text(NAME_LENGTH), accepts="POST"),
        # "Rarely used": the number wins when both come.
        Field("MedicationNum", "medication_definition", RefNum(), accepts="POST"),
        Field("PatNote", "patient_note", Text()),
        Field("DateStart", "date_started", Date()),
        Field("DateStop", "date_stopped", Date()),
        Field("ProvNum", "provider", RefNum()),
    ],
    ref_labels={
        "patient": "Patient",
        "provider": "Provider",
        "medication_definition": "Medication",
    },
)

CATALOG = Catalog(
    MedicationDefinition,
    ref="medication_definition",
    text="name",
    num_key="MedicationNum",
    name_key="medName",
    label="Medication",
    new=lambda name: {"generic_name": name},
)


def status_for_stop(stop: date | None, status: MedicationStatus, today: date) -> MedicationStatus:
    """The status a medication stopping on ``stop`` has, given its ``status``:
    active until the stop date has passed; a stopped org status is kept."""
    if stop is None or stop >= today:
        return MedicationStatus.active
    return MedicationStatus.inactive if status is MedicationStatus.active else status


async def _filters(call: Call, params: Params, query: Query) -> None:
    pat_num = params.int_("PatNum")
    if pat_num is None:
        raise params.invalid("PatNum", "is required")
    await must_exist(call, Patient, pat_num, "Patient")
    query.add("patient", "eq", pat_num)


async def _prepare(call: Call, patch: dict[str, Any], record: Record | None) -> dict[str, Any]:
    today = call.ctx.now.astimezone(call.ctx.tz).date()
    if record is None:
        await CATALOG.choose(call, patch)
        patch["status"] = status_for_stop(patch.get("date_stopped"), MedicationStatus.active, today)
        return patch
    assert isinstance(record, Medication)
    if "date_stopped" in patch and patch["date_stopped"] != record.date_stopped:
        patch["status"] = status_for_stop(patch["date_stopped"], record.status, today)
    return patch


RESOURCE = ClinicalResource(
    "/medicationpats",
    CODEC,
    operations=("list", "create", "replace", "delete"),
    item="MedicationPatNum",
    takes=("PatNum",),
    filters=_filters,
    prepare=_prepare,
    computed=shown_names(CATALOG, "medName"),
    missing="MedicationPat not found.",
)


async def _delete_without_number(call: Call) -> Reply:
    raise Invalid.field("MedicationPatNum", "MedicationPatNum is required.")


ENDPOINTS = [
    *RESOURCE.endpoints(),
    Endpoint("DELETE", "/medicationpats", _delete_without_number, "medication"),
]
CODECS = {"medication": CODEC}
