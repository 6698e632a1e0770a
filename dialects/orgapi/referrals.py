"""Org API referral attributions (seed 003): list, create, get, PATCH update
and archive under ``/patients/{patient_uuid}/referral-attributions``.

An attribution names exactly one source: ``referral_source`` (a marketing
source), ``referral_partner`` (the canonical ``referral``, Open Dental's
referral), ``provider`` (in-house) or ``referring_patient``. Only the role and
the note change after creation; only one live ``primary`` attribution per
patient (409). ``attributed_at`` is the moment it was recorded.

Decisions where the document is silent:

- The listing is in the order recorded.
- Archive takes ``base_version`` from the query, as documented, and answers
  204 with no body (the document shows no response fields for it); archiving
  an archived attribution is a no-op answered the same way.
- Setting ``attribution_role`` to ``primary`` by PATCH is held to the same
  one-primary rule (409).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from canonical import AttributionRole, Cond, Conflict, Query, ReferralAttribution, RefTo
from canonical.referral_attribution import SOURCE_FIELDS
from dialects.base import Call
from dialects.codec import Codec, EnumMap, Field
from dialects.orgapi.dialect import ValidationFailed
from dialects.orgapi.field_maps import PATIENT, ref, shown, stamps
from dialects.orgapi.formats import DateTime, Text
from dialects.orgapi.resource import PER_PATIENT, OrgApiResource

ROLES = EnumMap({r.value: r for r in AttributionRole})

_s = stamps()
CODEC = Codec(
    "orgapi",
    ReferralAttribution,
    [
        Field("attributed_at", "attributed_at", DateTime(), read_only=True),
        Field("attribution_role", "role", ROLES),
        _s["created_at"],
        _s["id"],
        shown("patient", "patient", PATIENT),
        *ref("provider", "provider", RefTo("provider"), accepts="POST"),
        *ref("referral_partner", "referral_partner", RefTo("referral"), accepts="POST"),
        *ref("referral_source", "referral_source", RefTo("referral_source"), accepts="POST"),
        *ref("referring_patient", "referring_patient", PATIENT, accepts="POST"),
        Field("source_note", "source_note", Text()),
        _s["updated_at"],
        _s["version"],
    ],
    ref_labels={
        "provider": "Provider",
        "referral_partner": "Referral partner",
        "referral_source": "Referral source",
        "referring_patient": "Referring patient",
    },
)

SOURCE_INPUTS = tuple(f"{name}_uuid" for name in SOURCE_FIELDS)


def one_source(patch: dict[str, Any], record: Any) -> None:
    """A new attribution names exactly one source (422 otherwise)."""
    if record is None:
        given = [n for n in SOURCE_FIELDS if patch.get(n) is not None]
        if len(given) != 1:
            msg = (
                "No source provided: give exactly one of " + ", ".join(SOURCE_INPUTS)
                if not given
                else "Multiple sources provided: give exactly one of " + ", ".join(SOURCE_INPUTS)
            )
            raise ValidationFailed.one(["body"], msg, "value_error")


async def check(call: Call, patch: dict[str, Any], record: Any) -> None:
    """Stamp a new attribution; one live primary per patient (409)."""
    if record is None:
        patch["attributed_at"] = call.ctx.now
    if patch.get("role") is AttributionRole.primary and (
        record is None or record.role is not AttributionRole.primary
    ):
        owner = patch["patient"].num if record is None else record.patient.num
        query = Query(
            where=[Cond("patient", "eq", owner), Cond("role", "eq", AttributionRole.primary)]
        )
        if await call.backend.count(ReferralAttribution, query):
            raise Conflict("Patient already has a primary attribution.")


@dataclass(frozen=True)
class Attributions(OrgApiResource):
    """Referral attributions: the org API's conventions, but for archive's answer."""

    statuses = {**OrgApiResource.statuses, "archive": 204}
    """Archive answers 204: the document shows no response fields for it."""
    silent = frozenset({"archive"})
    """Archive answers without a body."""


RESOURCE = Attributions(
    f"{PER_PATIENT}/referral-attributions",
    CODEC,
    operations=("list", "read", "create", "update", "archive"),
    item="attribution_uuid",
    missing="Attribution not found.",
    owner="patient",
    validate=one_source,
    finish=check,
    archive_version="query",
)
ENDPOINTS = RESOURCE.endpoints()
CODECS = {"referral_attribution": CODEC}
