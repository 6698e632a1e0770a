"""Org API communication logs (seed 003): list, log (create) and get under
``/patients/{patient_uuid}/communication-logs``. Append-only: no update or
delete route exists, so PATCH, PUT and DELETE answer 405.

The records are the canonical commlogs Open Dental's ``/commlogs`` serves
(seed 000), so an entry logged through either dialect reads back through the
other.

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

The listing is in communication order (then entry order).
"""

from __future__ import annotations

from typing import Any

from canonical import CommDirection, Commlog, CommMode, CommSource, Cond, Order, Query, RefTo
from dialects.base import Call
from dialects.codec import Codec, CodecContext, EnumMap, Field
from dialects.orgapi.clinical_formats import NullEnum
from dialects.orgapi.field_maps import PATIENT, ref, shown, stamps
from dialects.orgapi.formats import DateTime, Text
from dialects.orgapi.params import Params
from dialects.orgapi.resource import PER_PATIENT, OrgApiResource

COMMUNICATION_TYPE = RefTo("definition", "commlog_type")
USER = RefTo("user")
APPOINTMENT = RefTo("appointment")

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
        Field("communication_datetime", "communicated_at", DateTime(), required="POST"),
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


def modes_shown_as(wire: str) -> list[CommMode]:
    """Every canonical mode the org API shows as ``wire`` (nearest values included)."""
    ctx = CodecContext()
    return [m for m in CommMode if MODES.to_wire(m, ctx) == wire]


async def filters(call: Call, params: Params, query: Query) -> None:
    where = query.where
    start, end = params.timestamp("date_from"), params.timestamp("date_to")
    if start is not None:
        where.append(Cond("communicated_at", "ge", start))
    if end is not None:
        where.append(Cond("communicated_at", "le", end))
    mode = params.choice("mode", MODE_TABLE.table)
    if mode is not None:
        where.append(Cond("mode", "in", modes_shown_as(mode)))
    direction = params.choice("direction", DIRECTIONS.table)
    if direction is not None:
        where.append(Cond("direction", "eq", direction))
    source = params.choice("communication_source", SOURCES.table)
    if source is not None:
        where.append(Cond("source", "eq", source))
    q = params.text("q")
    if q:
        where.append(Cond("note", "contains", q))


async def logged_by_user(call: Call, patch: dict[str, Any], record: Any) -> None:
    """Entries logged here are the user's own; logged without a mode, they have none."""
    patch.setdefault("mode", CommMode.none)
    patch["source"] = CommSource.user


RESOURCE = OrgApiResource(
    f"{PER_PATIENT}/communication-logs",
    CODEC,
    operations=("list", "read", "create"),
    item="log_uuid",
    order=(Order("communicated_at"), Order("num")),
    missing="Communication log not found.",
    owner="patient",
    filters=filters,
    finish=logged_by_user,
)
ENDPOINTS = RESOURCE.endpoints()
CODECS = {"commlog": CODEC}
