"""Open Dental Clinics (reference/opendental/apiclinics.md): GET many, GET one,
PUT. A clinic is the canonical clinic DrChrono shows as an office
(:mod:`dialects.drchrono.offices`).

Decisions where the page is silent:

- GET many lists the non-hidden clinics ("Gets all non-hidden clinics") in
  ``ClinicNum`` order; GET one (``/clinics/{ClinicNum}``, as every other Open
  Dental resource has) shows a hidden clinic too.
- PUT changes only the documented fields: the physical address (``Address``
  ... ``Zip``) cannot be updated with this method (400). It answers 200 with
  the clinic, as the other Open Dental PUTs do.
- ``Phone`` is "Exactly 10 digits", or empty for none. A phone stored with
  punctuation (written through DrChrono) is shown as its digits; sent back
  as shown, it keeps its punctuation.
- ``Description`` and ``Abbr`` cannot be blank (Open Dental's clinic window
  refuses both).
- "Clinic cannot be hidden if patients are attached": hiding a clinic that
  is any patient's clinic is a 400.
"""

from __future__ import annotations

import re
from typing import Any

from canonical import Clinic, Invalid, Patient, Query, Record
from dialects.base import Call
from dialects.codec import Codec, CodecContext, Field, round_trips
from dialects.opendental.formats import Bool, Int, Text
from dialects.opendental.params import Params
from dialects.opendental.resource import OpenDentalResource

__all__ = ["CODEC", "CODECS", "ENDPOINTS", "RESOURCE"]

_TEN_DIGITS = re.compile(r"^\d{10}$")


class PhoneDigits:
    """A clinic phone as Open Dental keeps it: its digits, no punctuation."""

    def to_wire(self, value: str | None, ctx: CodecContext) -> str:
        return re.sub(r"\D", "", value or "")

    def from_wire(self, raw: Any, ctx: CodecContext) -> str:
        if not isinstance(raw, str):
            raise ValueError("must be a string")
        if raw and not _TEN_DIGITS.match(raw):
            raise ValueError("must be exactly 10 digits, without punctuation")
        return raw

    def exact(self, value: str | None, ctx: CodecContext) -> bool:
        """Punctuation is not shown."""
        return value is None or round_trips(self, value, ctx)


PUT = "PUT"

CODEC = Codec(
    "opendental",
    Clinic,
    [
        Field("ClinicNum", "num", Int(), read_only=True),
        Field("Description", "description", Text(), accepts=PUT),
        Field("Address", "address_line1", Text(), read_only=True),
        Field("Address2", "address_line2", Text(), read_only=True),
        Field("City", "city", Text(), read_only=True),
        Field("State", "state", Text(), read_only=True),
        Field("Zip", "postal_code", Text(), read_only=True),
        Field("BillingAddress", "billing_address_line1", Text(), accepts=PUT),
        Field("BillingAddress2", "billing_address_line2", Text(), accepts=PUT),
        Field("BillingCity", "billing_city", Text(), accepts=PUT),
        Field("BillingState", "billing_state", Text(), accepts=PUT),
        Field("BillingZip", "billing_postal_code", Text(), accepts=PUT),
        Field("PayToAddress", "pay_to_address_line1", Text(), accepts=PUT),
        Field("PayToAddress2", "pay_to_address_line2", Text(), accepts=PUT),
        Field("PayToCity", "pay_to_city", Text(), accepts=PUT),
        Field("PayToState", "pay_to_state", Text(), accepts=PUT),
        Field("PayToZip", "pay_to_postal_code", Text(), accepts=PUT),
        Field("Phone", "phone", PhoneDigits(), accepts=PUT),
        Field("Abbr", "abbreviation", Text(), accepts=PUT),
        Field("IsHidden", "is_hidden", Bool(), accepts=PUT),
    ],
)


async def _filters(call: Call, params: Params, query: Query) -> None:
    query.add("is_hidden", "eq", False)


async def _prepare(call: Call, patch: dict[str, Any], record: Record | None) -> dict[str, Any]:
    for key, wire in (("description", "Description"), ("abbreviation", "Abbr")):
        if key in patch and not patch[key].strip():
            raise Invalid.field(wire, f"{wire} cannot be blank.")
    hiding = isinstance(record, Clinic) and patch.get("is_hidden") and not record.is_hidden
    if hiding and record is not None and await _has_patients(call, record):
        raise Invalid.field("IsHidden", "Clinic cannot be hidden if patients are attached.")
    return patch


async def _has_patients(call: Call, clinic: Record) -> bool:
    """Whether any patient (not deleted) has ``clinic`` as their clinic."""
    found = await call.backend.find(Patient, Query(limit=1).add("location", "eq", clinic.num))
    return bool(found.items)


RESOURCE = OpenDentalResource(
    "/clinics",
    CODEC,
    operations=("read", "list", "replace"),
    item="ClinicNum",
    filters=_filters,
    prepare=_prepare,
)
ENDPOINTS = RESOURCE.endpoints()
CODECS = {"clinic": CODEC}
