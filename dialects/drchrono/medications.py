"""DrChrono ``/api/medications`` (seed 004): patients' medications. GET list
(``patient``), GET one, POST, PUT, PATCH, and
``PATCH /api/medications/:id/append_to_pharmacy_note``. A medication is the
canonical medication the org API's patient medications (seed 003) also use.

Decisions where the documents are silent or contradict themselves:

- ``status`` is "active" or "inactive"; canonical statuses DrChrono lacks
  (discontinued, on hold, completed: org API only) render as "inactive" and
  are kept until a client writes a status.
- ``dispense_quantity`` is a decimal (the seed's type): a two-place string,
  null when not set.
- ``append_to_pharmacy_note`` adds ``text`` as a new paragraph (a blank line
  between it and the existing note; no separator when the note is empty) and
  answers 200 with ``{"pharmacy_note": <the new text>}`` ("Returns the new
  pharmacy_note text"; the OpenAPI's 204 would return nothing). ``text`` is
  required and must not be blank.
"""

from __future__ import annotations

from typing import Any

from canonical import Invalid
from canonical.medication import Medication, MedicationOrderStatus, MedicationStatus
from dialects.base import Call, Endpoint, Reply
from dialects.codec import Codec, CodecContext, EnumMap, Field
from dialects.drchrono.bodies import body_object
from dialects.drchrono.clinical import clinical_resource
from dialects.drchrono.formats import Bool, Date, Dec, Enum_, Int, OptInt, RefId, Text
from dialects.drchrono.resource import slashed

STATUSES = EnumMap(
    {"active": MedicationStatus.active, "inactive": MedicationStatus.inactive},
    nearest={
        MedicationStatus.discontinued: "inactive",
        MedicationStatus.on_hold: "inactive",
        MedicationStatus.completed: "inactive",
    },
)

ORDER_STATUSES = EnumMap({m.value: m for m in MedicationOrderStatus})


class Quantity(Dec):
    """A decimal that may be absent (``null``)."""

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        return None if raw is None or raw == "" else super().from_wire(raw, ctx)


CODEC = Codec(
    "drchrono",
    Medication,
    [
        Field("daw", "daw", Bool()),
        Field("doctor", "provider", RefId(), required="POST PUT"),
        Field("id", "num", Int(), read_only=True),
        Field("name", "name", Text()),
        Field("patient", "patient", RefId(), required="POST PUT"),
        Field("prn", "prn", Bool()),
        Field("appointment", "appointment", RefId()),
        Field("date_prescribed", "date_prescribed", Date()),
        Field("date_started_taking", "date_started", Date()),
        Field("date_stopped_taking", "date_stopped", Date()),
        Field("dispense_quantity", "dispense_quantity", Quantity()),
        Field("dosage_quantity", "dosage_quantity", Text()),
        Field("dosage_units", "dosage_units", Text()),
        Field("ndc", "ndc", Text()),
        Field("notes", "notes", Text()),
        Field("frequency", "frequency", Text()),
        Field("indication", "indication", Text()),
        Field("number_refills", "number_refills", OptInt()),
        Field("order_status", "order_status", Enum_(ORDER_STATUSES)),
        Field("pharmacy_note", "pharmacy_note", Text()),
        Field("route", "route", Text()),
        Field("rxnorm", "rxnorm", Text()),
        Field("signature_note", "signature_note", Text()),
        Field("status", "status", Enum_(STATUSES, empty=MedicationStatus.active)),
    ],
    ref_labels={"provider": "doctor", "patient": "patient", "appointment": "appointment"},
)


RESOURCE = clinical_resource("/api/medications", CODEC)

PARAGRAPH = "\n\n"
"""What separates an appended paragraph from the note before it."""


async def append_to_pharmacy_note(call: Call) -> Reply:
    record = await RESOURCE.fetch(call)
    assert isinstance(record, Medication)
    body = body_object(call)
    text = body.get("text")
    if text is None or (isinstance(text, str) and not text.strip()):
        raise Invalid("text: This field is required.", {"text": "This field is required."})
    if not isinstance(text, str):
        raise Invalid("text: Not a valid string.", {"text": "Not a valid string."})
    note = f"{record.pharmacy_note}{PARAGRAPH}{text}" if record.pharmacy_note else text
    await call.backend.update(
        record.model_copy(update={"pharmacy_note": note}), base_version=record.version
    )
    return Reply(200, {"pharmacy_note": note})


ACTIONS = [
    Endpoint("PATCH", path, append_to_pharmacy_note, "medication", "clinical")
    for path in slashed("/api/medications/{id}/append_to_pharmacy_note")
]
ENDPOINTS = [*RESOURCE.endpoints(), *ACTIONS]
CODECS = {"medication": CODEC}
