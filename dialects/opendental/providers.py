"""Open Dental Providers (reference/opendental/apiproviders.md): GET one, GET
many (``ClinicNum``, ``DateTStamp``), POST, PUT. A provider is the canonical
provider DrChrono shows as a doctor (:mod:`dialects.drchrono.doctors`).

Decisions where the page is silent or contradicts itself:

- ``Specialty`` is the provider specialty definition (category 35). Setting
  it also sets the provider's specialty text (DrChrono's ``specialty``) to the
  definition's name, so both dialects say the same. ``Specialty`` 0 on POST
  means the default ("the first in the Specialty list"); on PUT it is a 400,
  unless the provider has no specialty definition (0 sent back as shown).
- ``FeeSched`` defaults to the first fee schedule (lowest number).
- GET many lists every provider, hidden ones included ("a list of all
  providers"), in ``ProvNum`` order. ``ClinicNum`` and ``DateTStamp`` given
  together both apply; ``serverDateTime`` is empty whenever ``ClinicNum`` is
  given. ``ClinicNum=0`` lists the non-hidden providers restricted to no clinic.
  ``DateTStamp`` is inclusive (``dialects.changes``).
- POST and PUT answers show ``serverDateTime`` empty, as their examples do.
- POST takes ``BirthDate`` (its parameter list) and ``Birthdate`` (its example);
  PUT takes ``NationalProvId`` (its parameter list) and ``NationalProvID``.
- The PUT example's response shows another ``Specialty`` and ``StateLicense``
  than its request sets; the request's values are stored.
- Abbreviations need not be unique (the PUT example gives provider 13 the
  abbreviation DOC1, provider 1's).
- "FName and MI must be omitted" for a non-person: a non-empty ``FName`` or
  ``MI`` for a provider that is (or becomes) ``IsNotPerson`` is a 400.
- ``provColor`` shows the canonical ``#rrggbb`` colour as "r,g,b", "0,0,0"
  for none.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from canonical import (
    Clinic,
    Definition,
    DefinitionCategory,
    FeeSchedule,
    Invalid,
    NotFound,
    Order,
    Provider,
    ProviderStatus,
    Query,
    Record,
    Ref,
)
from dialects.base import Call
from dialects.changes import changed_since
from dialects.codec import Codec, CodecContext, EnumMap, Field
from dialects.opendental.formats import Bool, Date, DateTime, Int, RefNum, ServerTime, Text
from dialects.opendental.params import Params
from dialects.opendental.procedure_codec import first_definition
from dialects.opendental.resource import OpenDentalResource
from dialects.render import render_one

__all__ = ["CODEC", "CODECS", "ENDPOINTS", "RESOURCE", "STATUSES"]

STATUSES = EnumMap({"Active": ProviderStatus.active, "Deleted": ProviderStatus.deleted})

NO_SERVER_TIME = "opendental.providers.no_server_time"
"""``ctx.options`` key: this list shows an empty ``serverDateTime`` (``ClinicNum``)."""

_HEX = re.compile(r"^#([0-9a-fA-F]{2})([0-9a-fA-F]{2})([0-9a-fA-F]{2})$")
_RGB = re.compile(r"^\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*$")


class RgbColor:
    """``provColor``: a ``#rrggbb`` colour as "r,g,b"; none is "0,0,0" (an empty
    .NET colour)."""

    def to_wire(self, value: str | None, ctx: CodecContext) -> str:
        m = _HEX.match(value or "")
        return ",".join(str(int(part, 16)) for part in m.groups()) if m else "0,0,0"

    def from_wire(self, raw: Any, ctx: CodecContext) -> str:
        m = _RGB.match(raw) if isinstance(raw, str) else None
        if m is None or any(int(p) > 255 for p in m.groups()):
            raise ValueError('must be "r,g,b" with each part 0 to 255')
        parts = tuple(int(p) for p in m.groups())
        return "" if parts == (0, 0, 0) else "#{:02x}{:02x}{:02x}".format(*parts)

    def exact(self, value: str | None, ctx: CodecContext) -> bool:
        """A colour that is not ``#rrggbb`` text (or is black) shows as none."""
        return not value or (bool(_HEX.match(value)) and self.to_wire(value, ctx) != "0,0,0")


class SsnText(Text):
    """ "SSN/TIN is not allowed to have dashes"."""

    def from_wire(self, raw: Any, ctx: CodecContext) -> str:
        text = super().from_wire(raw, ctx)
        if "-" in text:
            raise ValueError("is not allowed to have dashes")
        return text


class SyncTime(ServerTime):
    """``serverDateTime``: empty on a list filtered by ``ClinicNum``."""

    def to_wire(self, value: Any, ctx: CodecContext) -> str:
        return "" if ctx.options.get(NO_SERVER_TIME) else super().to_wire(value, ctx)


CODEC = Codec(
    "opendental",
    Provider,
    [
        Field("ProvNum", "num", Int(), read_only=True),
        Field("Abbr", "abbreviation", Text(), accepts="POST PUT", required="POST"),
        Field("LName", "last_name", Text(), accepts="POST PUT"),
        Field("FName", "first_name", Text(), accepts="POST PUT"),
        Field("MI", "middle_name", Text(), accepts="POST PUT"),
        Field("Suffix", "suffix", Text(), accepts="POST PUT"),
        Field("FeeSched", "fee_schedule", RefNum(), accepts="POST"),
        Field("Specialty", "specialty_definition", RefNum(), accepts="POST PUT"),
        Field("SSN", "ssn", SsnText(), accepts="POST PUT"),
        Field("StateLicense", "state_license", Text(), accepts="POST PUT"),
        Field("IsSecondary", "is_secondary", Bool(), accepts="POST"),
        Field("provColor", "color", RgbColor(), read_only=True),
        Field("IsHidden", "is_hidden", Bool(), accepts="POST"),
        Field("UsingTIN", "using_tin", Bool(), accepts="POST PUT"),
        Field("SigOnFile", "signature_on_file", Bool(), accepts="POST PUT"),
        Field("NationalProvID", "npi", Text(), accepts="POST PUT"),
        # PUT's parameter list spells it this way; the answer shows NationalProvID.
        Field("NationalProvId", "npi", Text(), write_only=True, accepts="PUT"),
        Field("DateTStamp", "updated_at", DateTime(), read_only=True),
        Field("IsNotPerson", "is_not_person", Bool(), accepts="POST"),
        Field("ProvStatus", "status", STATUSES, read_only=True),
        Field("IsHiddenReport", "is_hidden_on_reports", Bool(), accepts="POST"),
        Field("Birthdate", "birthdate", Date(), accepts="POST", precedence=1),
        # POST's parameter list spells it this way; its example and answer "Birthdate".
        Field("BirthDate", "birthdate", Date(), write_only=True, accepts="POST"),
        Field("SchedNote", "schedule_note", Text(), accepts="POST"),
        Field("PreferredName", "preferred_name", Text(), accepts="POST PUT"),
        Field("serverDateTime", None, SyncTime(), read_only=True),
    ],
    ref_labels={"specialty_definition": "Specialty", "fee_schedule": "FeeSched"},
)


async def _filters(call: Call, params: Params, query: Query) -> None:
    clinic = params.int_("ClinicNum")
    if clinic is not None:
        if clinic and not await _exists(call, Clinic, clinic):
            raise NotFound("Clinic not found", resource="clinic", field="ClinicNum")
        call.ctx.options[NO_SERVER_TIME] = True
        query.add("num", "in", await _clinic_providers(call, clinic))
    try:
        stamp = params.timestamp("DateTStamp")
    except Invalid:
        raise Invalid.field("DateTStamp", "DateTStamp format must be yyyy-MM-dd HH:mm:ss") from None
    changed_since(query, stamp)


async def _exists(call: Call, model: type[Record], num: int) -> bool:
    try:
        await call.backend.get(model, num=num)
    except NotFound:
        return False
    return True


async def _clinic_providers(call: Call, clinic: int) -> list[int]:
    """Non-hidden providers restricted to no clinic, or to ``clinic`` among others."""
    found = await call.backend.find(Provider, Query(where=[], order=[Order("num")]))
    return [
        p.num
        for p in found.items
        if isinstance(p, Provider)
        and p.num is not None
        and not p.is_hidden
        and (not p.clinics or any(c.num == clinic for c in p.clinics))
    ]


async def _extra(
    call: Call, body: Mapping[str, Any], patch: dict[str, Any], record: Record | None
) -> None:
    """ "FName and MI must be omitted" for a billing entity or organization."""
    not_person = patch.get("is_not_person", getattr(record, "is_not_person", False))
    named = [k for k in ("FName", "MI") if isinstance(body.get(k), str) and body[k].strip()]
    if not_person and named:
        raise Invalid(
            "FName and MI must be omitted when IsNotPerson is true.",
            {k: f"{k} must be omitted when IsNotPerson is true." for k in named},
        )


async def _prepare(call: Call, patch: dict[str, Any], record: Record | None) -> dict[str, Any]:
    if "abbreviation" in patch and not patch["abbreviation"].strip():
        raise Invalid.field("Abbr", "Abbr cannot be blank.")
    if record is None:
        patch.setdefault("specialty_definition", None)  # the default specialty
    if "specialty_definition" in patch:
        await _specialty(call, patch, record)
    if record is None:
        patch.setdefault("using_tin", True)  # "UsingTIN ... Default is true."
        if patch.get("fee_schedule") is None:
            patch["fee_schedule"] = await _first_fee_schedule(call)
    return patch


async def _specialty(call: Call, patch: dict[str, Any], record: Record | None) -> None:
    """A specialty definition, and its name as the provider's specialty text."""
    ref: Ref | None = patch["specialty_definition"]
    if ref is None:
        if record is None:  # POST: 0 means the default
            ref = await first_definition(call, DefinitionCategory.provider_specialty)
        elif getattr(record, "specialty_definition", None) is None:
            del patch["specialty_definition"]  # 0 sent back as shown: unchanged
            return
        else:
            raise Invalid.field("Specialty", "Specialty must be a provider specialty DefNum.")
    if ref is None:
        patch["specialty_definition"] = None
        return
    try:
        found = await call.backend.get(Definition, num=ref.num)
    except NotFound:
        found = None
    if not isinstance(found, Definition) or found.category != DefinitionCategory.provider_specialty:
        raise NotFound("Specialty not found.", resource="definition", field="Specialty")
    patch["specialty_definition"] = Ref(num=found.num, uuid=found.uuid)
    patch["specialty"] = found.name


async def _first_fee_schedule(call: Call) -> Ref | None:
    """ "Default is the first in the Fee Schedule list"."""
    found = await call.backend.find(FeeSchedule, Query(order=[Order("num")], limit=1))
    return found.items[0].ref() if found.items else None


async def _written(call: Call, record: Record) -> dict[str, Any]:
    """A provider as the POST and PUT examples show it: no sync watermark."""
    body = await render_one(call, CODEC, record)
    body["serverDateTime"] = ""
    return body


RESOURCE = OpenDentalResource(
    "/providers",
    CODEC,
    operations=("read", "list", "create", "replace"),
    item="ProvNum",
    takes=("ClinicNum", "DateTStamp"),
    required_first=True,
    filters=_filters,
    extra=_extra,
    prepare=_prepare,
    written=_written,
)
ENDPOINTS = RESOURCE.endpoints()
CODECS = {"provider": CODEC}
