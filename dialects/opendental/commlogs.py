"""Open Dental Commlogs (seed 000): GET one, GET many (PatNum, DateTStamp), POST, PUT.

Rules beyond the field map: a new commlog is dated now unless given a
``CommDateTime``, and without a type gets the "Misc" commlog type; a PUT
that changes the note clears its signature.
"""

from __future__ import annotations

from typing import Any

from canonical import (
    CommDirection,
    Commlog,
    CommMode,
    CommSource,
    Cond,
    Definition,
    DefinitionCategory,
    Invalid,
    Order,
    Patient,
    Query,
    Record,
    Ref,
    RefTo,
)
from dialects.base import Call
from dialects.changes import changed_since
from dialects.codec import Codec, EnumMap, Field
from dialects.opendental.formats import DateTime, Int, RefName, RefNum, RefNumText, Text
from dialects.opendental.params import Params
from dialects.opendental.records import must_exist
from dialects.opendental.resource import OpenDentalResource

__all__ = ["CODEC", "CODECS", "ENDPOINTS", "RESOURCE"]

COMMLOG_TYPE = RefTo("definition", "commlog_type")

MODES = EnumMap(
    {
        "None": CommMode.none,
        "Email": CommMode.email,
        "Mail": CommMode.mail,
        "Phone": CommMode.phone,
        "In Person": CommMode.in_person,
        "Text": CommMode.text,
        "Email and Text": CommMode.email_and_text,
        "Phone and Text": CommMode.phone_and_text,
    },
    # Fax (org API only) has no Open Dental mode; the record keeps "fax".
    nearest={CommMode.fax: "None"},
)

DIRECTIONS = EnumMap(
    {
        "Neither": CommDirection.neither,
        "Sent": CommDirection.sent,
        "Received": CommDirection.received,
    }
)

SOURCES = EnumMap(
    {"User": CommSource.user, "ProgramLink": CommSource.integration},
    nearest={CommSource.automated: "ProgramLink"},
)

CODEC = Codec(
    "opendental",
    Commlog,
    [
        Field("CommlogNum", "num", Int(), read_only=True),
        Field("PatNum", "patient", RefNum(), accepts="POST", required="POST"),
        Field("CommDateTime", "communicated_at", DateTime(), accepts="POST"),
        Field("CommType", "commlog_type", RefNumText(), accepts="POST"),
        # "commType ... will be used over CommType if both are specified."
        Field(
            "commType",
            "commlog_type",
            RefName(COMMLOG_TYPE, "name"),
            ref=COMMLOG_TYPE,
            precedence=1,
            accepts="POST",
        ),
        # PUT: "Overwrites existing note"; nothing else can be updated.
        Field("Note", "note", Text(), accepts="POST PUT", required="POST"),
        Field("Mode_", "mode", MODES, accepts="POST"),
        Field("SentOrReceived", "direction", DIRECTIONS, accepts="POST"),
        Field("UserNum", "user", RefNum(), read_only=True),
        Field("DateTStamp", "updated_at", DateTime(), read_only=True),
        Field("CommSource", "source", SOURCES, read_only=True),
        Field("ProgramNum", "program_num", Int(), read_only=True),
        Field("DateTEntry", "created_at", DateTime(), read_only=True),
        Field("ReferralNum", "referral", RefNum(), read_only=True),
    ],
    ref_labels={"patient": "Patient", "commlog_type": "CommType"},
)


async def _filters(call: Call, params: Params, query: Query) -> None:
    pat_num = params.int_("PatNum")
    if pat_num is not None:
        await must_exist(call, Patient, pat_num, "Patient")
        query.add("patient", "eq", pat_num)
    changed_since(query, params.timestamp("DateTStamp"))


async def _prepare(call: Call, patch: dict[str, Any], record: Record | None) -> dict[str, Any]:
    if record is not None:
        if "note" in patch:
            patch["signature"] = ""  # "Overwrites existing note. This will clear the signature."
        return patch
    if patch.get("patient") is None:
        raise Invalid.field("PatNum", "PatNum is required.")
    if patch.get("communicated_at") is None:
        patch["communicated_at"] = call.ctx.now  # "Default now"
    if patch.get("commlog_type") is None:
        patch["commlog_type"] = await default_type(call)
    return patch


async def default_type(call: Call) -> Ref | None:
    """ "Default Miscellaneous": the first commlog type named Misc, else the first one."""
    query = Query(
        where=[Cond("category", "eq", DefinitionCategory.commlog_type)],
        order=[Order("order")],
    )
    defs = (await call.backend.find(Definition, query)).items
    for d in defs:
        if d.name.lower().startswith("misc"):
            return Ref(num=d.num)
    return Ref(num=defs[0].num) if defs else None


RESOURCE = OpenDentalResource(
    "/commlogs",
    CODEC,
    operations=("read", "list", "create", "replace"),
    item="CommlogNum",
    takes=("PatNum", "DateTStamp"),
    required_first=True,
    filters=_filters,
    prepare=_prepare,
)
ENDPOINTS = RESOURCE.endpoints()
CODECS = {"commlog": CODEC}
