"""DrChrono ``/api/comm_logs`` (seed 004): phone call logs; GET (list, one),
POST, PUT, PATCH over the canonical :class:`~canonical.Commlog` (Open Dental's
commlog; ``id`` is ``CommlogNum``).

Decisions where the documents are silent:

- A new log is a phone call (``mode`` phone) the practice made (``direction``
  sent); values set through other dialects are kept and not shown.
- ``scheduled_time``: "If appointment is specified, this field will be set as
  the scheduled_time of that appointment"; with neither, the time of the POST.
- ``type`` must name one of the practice's commlog types (400 naming ``type``
  otherwise); absent, a new log gets no type.
- ``since`` is documented as an integer but described as a date: it takes a
  timestamp, as every other ``since`` does.
- Changing ``message`` clears the canonical signature (a signed note that
  changed is no longer signed), as Open Dental does.
"""

from __future__ import annotations

from typing import Any

from canonical import Appointment, Commlog, Query, Record, RefTo
from dialects.base import Call
from dialects.codec import Codec, Field
from dialects.drchrono.formats import Bool, Dec, Int, OptInt, RefId, Text, Timestamp
from dialects.drchrono.params import Params, since
from dialects.drchrono.refs import RefAttr
from dialects.drchrono.resource import DrChronoResource

__all__ = ["CODEC", "CODECS", "ENDPOINTS", "RESOURCE"]

COMMLOG_TYPE = RefTo("definition", "commlog_type")

CODEC = Codec(
    "drchrono",
    Commlog,
    [
        Field("appointment", "appointment", RefId()),
        Field("archived", "is_archived", Bool(), read_only=True),
        Field("author", "user", RefId(), read_only=True),
        Field("cash_charged", "cash_charged", Dec()),
        Field("created_at", "created_at", Timestamp(), read_only=True),
        Field("doctor", "provider", RefId(), required="POST PUT"),
        Field("duration", "duration_minutes", OptInt()),
        Field("id", "num", Int(), read_only=True),
        Field("message", "note", Text()),
        Field("patient", "patient", RefId(), required="POST PUT"),
        Field("scheduled_time", "communicated_at", Timestamp()),
        Field("title", "subject", Text()),
        Field("type", "commlog_type", RefAttr(COMMLOG_TYPE, "name"), ref=COMMLOG_TYPE),
        Field("updated_at", "updated_at", Timestamp(), read_only=True),
    ],
    ref_labels={"provider": "doctor", "commlog_type": "type"},
)


async def _filters(call: Call, params: Params, query: Query) -> None:
    for wire, field in (("doctor", "provider"), ("patient", "patient")):
        num = params.int_(wire)
        if num is not None:
            query.add(field, "eq", num)
    since(params, query)


async def _prepare(call: Call, patch: dict[str, Any], record: Record | None) -> dict[str, Any]:
    appointment = patch.get("appointment")
    if appointment is not None and appointment.num is not None:
        found = (await call.backend.get_many(Appointment, [appointment.num])).get(appointment.num)
        if found is not None and found.starts_at is not None:
            patch["communicated_at"] = found.starts_at
    if record is None:
        if patch.get("communicated_at") is None:
            patch["communicated_at"] = call.ctx.now
    elif patch.get("communicated_at", True) is None:
        patch["communicated_at"] = record.communicated_at  # type: ignore[attr-defined]
    if record is not None and "note" in patch and patch["note"] != getattr(record, "note", ""):
        patch["signature"] = ""
    return patch


RESOURCE = DrChronoResource(
    "/api/comm_logs",
    CODEC,
    scope="calendar",
    operations=("list", "read", "create", "replace", "update"),
    filters=_filters,
    prepare=_prepare,
)
ENDPOINTS = RESOURCE.endpoints()
CODECS = {"commlog": CODEC}
