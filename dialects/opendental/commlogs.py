"""Open Dental Commlogs (seed 000): GET one, GET many (PatNum, DateTStamp), POST, PUT."""

from __future__ import annotations

from canonical import CommDirection, Commlog, CommMode, CommSource, Cond, Patient, Query, RefTo
from dialects.base import Call, Endpoint, Reply
from dialects.codec import Codec, EnumMap, Field, merge_patch
from dialects.opendental import common
from dialects.opendental.formats import DateTime, Int, RefName, RefNum, RefNumText, Text

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
        Field("PatNum", "patient", RefNum()),
        Field("CommDateTime", "communicated_at", DateTime()),
        Field("CommType", "commlog_type", RefNumText()),
        # "commType ... will be used over CommType if both are specified."
        Field(
            "commType",
            "commlog_type",
            RefName(COMMLOG_TYPE, "name"),
            ref=COMMLOG_TYPE,
            precedence=1,
        ),
        Field("Note", "note", Text()),
        Field("Mode_", "mode", MODES),
        Field("SentOrReceived", "direction", DIRECTIONS),
        Field("UserNum", "user", RefNum(), read_only=True),
        Field("DateTStamp", "updated_at", DateTime(), read_only=True),
        Field("CommSource", "source", SOURCES, read_only=True),
        Field("ProgramNum", "program_num", Int(), read_only=True),
        Field("DateTEntry", "created_at", DateTime(), read_only=True),
        Field("ReferralNum", "referral", RefNum(), read_only=True),
    ],
    ref_labels={"patient": "Patient", "commlog_type": "CommType"},
)


POST_FIELDS = ("PatNum", "Note", "CommDateTime", "CommType", "commType", "Mode_", "SentOrReceived")


async def get_one(call: Call) -> Reply:
    common.query_params(call, ())
    record = await common.get_or_404(call, Commlog, call.path_params["CommlogNum"], "CommlogNum")
    return Reply(200, await common.render_one(call, CODEC, record))


async def get_many(call: Call) -> Reply:
    params = common.query_params(call, ("PatNum", "DateTStamp"))
    query = common.page_query(Query(), params)
    pat_num = common.int_param(params, "PatNum")
    if pat_num is not None:
        await common.must_exist(call, Patient, pat_num, "Patient")
        query.where.append(Cond("patient", "eq", pat_num))
    stamp = common.datetime_param(call, params, "DateTStamp")
    if stamp is not None:
        query.where.append(Cond("updated_at", "ge", stamp))
    page = await call.backend.find(Commlog, query)
    return Reply(200, await common.render_many(call, CODEC, page.items))


async def post(call: Call) -> Reply:
    common.query_params(call, ())
    body = common.json_body(call)
    common.require(body, "PatNum", "Note")
    common.only(body, POST_FIELDS)
    patch = CODEC.decode(body, call.ctx)
    if patch.get("patient") is None:
        raise common.Invalid.field("PatNum", "PatNum is required.")
    patch.setdefault("communicated_at", call.ctx.now)
    if patch.get("communicated_at") is None:
        patch["communicated_at"] = call.ctx.now
    if patch.get("commlog_type") is None:
        # "Default Miscellaneous": the first commlog type named Misc, else the first one.
        patch["commlog_type"] = await _default_type(call)
    patch = await call.backend.resolve(Commlog, patch, labels=CODEC.ref_labels)
    record = await call.backend.create(merge_patch(None, Commlog, patch))
    body_out = await common.render_one(call, CODEC, record)
    return common.created(call, body_out, f"/commlogs/{record.num}")


async def put(call: Call) -> Reply:
    common.query_params(call, ())
    record = await common.get_or_404(call, Commlog, call.path_params["CommlogNum"], "CommlogNum")
    body = common.json_body(call)
    common.only(body, ("Note",), "updated")
    patch = CODEC.decode(body, call.ctx)
    if "note" in patch:
        patch["signature"] = ""  # "Overwrites existing note. This will clear the signature."
    updated = await call.backend.update(merge_patch(record, Commlog, patch))
    return Reply(200, await common.render_one(call, CODEC, updated))


async def _default_type(call: Call) -> object:
    from canonical import Definition, DefinitionCategory, Order, Ref

    query = Query(
        where=[Cond("category", "eq", DefinitionCategory.commlog_type)],
        order=[Order("order")],
    )
    defs = (await call.backend.find(Definition, query)).items
    for d in defs:
        if d.name.lower().startswith("misc"):
            return Ref(num=d.num)
    return Ref(num=defs[0].num) if defs else None


ENDPOINTS = [
    Endpoint("GET", "/commlogs/{CommlogNum}", get_one, "commlog"),
    Endpoint("GET", "/commlogs", get_many, "commlog"),
    Endpoint("POST", "/commlogs", post, "commlog"),
    Endpoint("PUT", "/commlogs/{CommlogNum}", put, "commlog"),
]
CODECS = {"commlog": CODEC}
