"""Org API communication logs (seed 003): list, log (create) and get under
``/patients/{patient_uuid}/communication-logs``. Append-only: no update or
delete route exists, so PATCH, PUT and DELETE answer 405.

The records are the canonical commlogs Open Dental's ``/commlogs`` serves
(seed 000), so an entry logged through either dialect reads back through the
other. Field map: ``communication_datetime`` <-> ``communicated_at``;
``communication_type`` <-> ``commlog_type`` (OD ``CommType``, a commlog-type
definition); ``communication_source`` <-> ``source``; ``created_by`` <->
``user`` (OD ``UserNum``); ``appointment``, ``direction``, ``mode``, ``note``
and ``patient`` as named.

Mode (org <-> canonical <-> Open Dental ``Mode_``):

==========  ==============  ================
org         canonical       Open Dental
==========  ==============  ================
phone       phone           Phone
email       email           Email
mail        mail            Mail
in_person   in_person       In Person
text        text            Text
fax         fax             None (nearest)
email       email_and_text  Email and Text
phone       phone_and_text  Phone and Text
null        none            None
==========  ==============  ================

"Email and Text" and "Phone and Text" have no org mode: they show as their
first channel (``email`` / ``phone``), the nearest org value, and filtering
``mode=email`` finds them too. Open Dental's "None" (no mode) shows as
``null``, as does an org entry logged without a mode. The canonical record
keeps the exact value, so Open Dental reads back "Email and Text" and an org
``fax`` stays ``fax`` (Open Dental shows it as "None").

Direction maps one to one: sent <-> Sent, received <-> Received, neither <->
Neither; logged without one it is ``sent`` (Open Dental's documented default).
Source: user <-> User, integration <-> ProgramLink, automated (Open Dental
shows ProgramLink). Entries logged here are ``user`` entries, as documented.

The listing is in communication order (then entry order). ``GET
.../communication-logs/{log_uuid}`` is not printed in the document (its
endpoint count includes it); it answers one entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from canonical import CommDirection, Commlog, CommMode, CommSource, Cond, Order, RefTo
from dialects.base import Call, Endpoint, Reply
from dialects.codec import Codec, CodecContext, EnumMap, Field
from dialects.orgapi import common, subresources
from dialects.orgapi.clinical_formats import NullEnum
from dialects.orgapi.dialect import ValidationFailed
from dialects.orgapi.formats import DateTime, Text, parse_datetime
from dialects.orgapi.subresources import PATIENT, ref, shown, stamps

COMMUNICATION_TYPE = RefTo("definition", "commlog_type")
USER = RefTo("user")
APPOINTMENT = RefTo("appointment")
NOT_FOUND = "Communication log not found."

MODE_TABLE = EnumMap(
    {
        "phone": CommMode.phone,
        "email": CommMode.email,
        "mail": CommMode.mail,
        "in_person": CommMode.in_person,
        "text": CommMode.text,
        "fax": CommMode.fax,
    }
)
MODES = NullEnum(
    MODE_TABLE,
    CommMode.none,
    nearest={CommMode.email_and_text: "email", CommMode.phone_and_text: "phone"},
)
DIRECTIONS = EnumMap({d.value: d for d in CommDirection})
SOURCES = EnumMap({s.value: s for s in CommSource})

_s = stamps()
CODEC = Codec(
    "orgapi",
    Commlog,
    [
        *ref("appointment", "appointment", APPOINTMENT),
        Field("communication_datetime", "communicated_at", DateTime()),
        Field("communication_source", "source", SOURCES, read_only=True),
        *ref("communication_type", "commlog_type", COMMUNICATION_TYPE),
        _s["created_at"],
        shown("created_by", "user", USER),
        Field("direction", "direction", DIRECTIONS),
        _s["id"],
        Field("mode", "mode", MODES),
        Field("note", "note", Text()),
        shown("patient", "patient", PATIENT),
    ],
    ref_labels={
        "appointment": "Appointment",
        "commlog_type": "Communication type definition",
    },
)

CREATE_FIELDS = (
    "appointment_uuid",
    "communication_datetime",
    "communication_type_uuid",
    "direction",
    "mode",
    "note",
)


def modes_shown_as(wire: str) -> list[CommMode]:
    """Every canonical mode the org API shows as ``wire`` (nearest values included)."""
    ctx = CodecContext()
    return [m for m in CommMode if MODES.to_wire(m, ctx) == wire]


def filters(params: Mapping[str, str]) -> list[Any]:
    out: list[Any] = []
    start = common.converted_query(params, "date_from", parse_datetime, "a valid datetime")
    end = common.converted_query(params, "date_to", parse_datetime, "a valid datetime")
    if start is not None:
        out.append(Cond("communicated_at", "ge", start))
    if end is not None:
        out.append(Cond("communicated_at", "le", end))
    mode = common.enum_query(params, "mode", MODE_TABLE.table)
    if mode is not None:
        out.append(Cond("mode", "in", modes_shown_as(mode)))
    direction = common.enum_query(params, "direction", DIRECTIONS.table)
    if direction is not None:
        out.append(Cond("direction", "eq", direction))
    source = common.enum_query(params, "communication_source", SOURCES.table)
    if source is not None:
        out.append(Cond("source", "eq", source))
    q = params.get("q")
    if q:
        out.append(Cond("note", "contains", q))
    return out


async def list_logs(call: Call) -> Reply:
    owner = await subresources.patient(call)
    where = filters(call.query_dict())
    return await subresources.list_page(
        call, Commlog, CODEC, owner, where=where, order=[Order("communicated_at")]
    )


async def get_log(call: Call) -> Reply:
    owner = await subresources.patient(call)
    record = await subresources.child(call, Commlog, "log_uuid", NOT_FOUND, owner)
    return Reply(200, await common.render_one(call, CODEC, record))


async def create_log(call: Call) -> Reply:
    owner = await subresources.patient(call)
    body = common.json_body(call)
    common.fields_in(body, CREATE_FIELDS, ("communication_datetime",))
    patch = subresources.decode_input(CODEC, body, call)
    if patch.get("communicated_at") is None:
        raise ValidationFailed.one(["body", "communication_datetime"], "Field required", "missing")
    patch.setdefault("mode", CommMode.none)
    patch["patient"] = owner.ref()
    patch["source"] = CommSource.user
    patch["user"] = call.user()

    async def build() -> Any:
        record = await subresources.create(call, Commlog, CODEC, patch)
        return await common.render_one(call, CODEC, record)

    return await subresources.created_reply(call, build)


_BASE = "/{org_id}/patients/{patient_uuid}/communication-logs"
ENDPOINTS = [
    Endpoint("GET", _BASE, list_logs, "commlog"),
    Endpoint("POST", _BASE, create_log, "commlog"),
    Endpoint("GET", f"{_BASE}/{{log_uuid}}", get_log, "commlog"),
]
CODECS = {"commlog": CODEC}
