"""Org API patient alerts (seed 003): list (``status``, ``include_family``),
create, get, PATCH update, disable, archive (status-based) and bulk dismiss,
under ``/patients/{patient_uuid}/alerts``.

Decisions where the document is silent:

- The default listing leaves archived alerts out ("excluded from default
  listings"); ``status=archived`` (or ``active``/``disabled``) asks for one
  status. With ``include_family=true`` the family-scoped alerts of every other
  family member (same guarantor) are listed too. Alerts are listed in the
  order they were created.
- On create, an omitted ``alert_scope`` or ``is_urgent`` takes the alert
  definition's ``default_scope`` / ``default_is_urgent`` (which themselves
  default to ``patient`` / ``false``, the document's stated defaults).
- Disable records the moment of disabling in ``date_disabled``; a PATCH that
  sets ``status`` to ``disabled`` without a ``date_disabled`` stamps it too,
  and one that sets it back to ``active`` clears it.
- Bulk dismiss archives the listed alerts in one transaction (all or
  nothing); duplicates are archived once; the answer is the JSON array of the
  alerts, as archived, in the order given.
- ``GET .../alerts/{alert_uuid}`` (not printed in the document, whose
  endpoint count includes it) answers one alert, archived ones included.
"""

from __future__ import annotations

from typing import Any

from canonical import (
    AlertDefinition,
    AlertScope,
    AlertStatus,
    AnyOf,
    Cond,
    NotFound,
    Order,
    PatientAlert,
    Query,
    RefTo,
)
from dialects.base import Call, Endpoint, Reply
from dialects.codec import Codec, EnumMap, Field, merge_patch
from dialects.orgapi import common, subresources
from dialects.orgapi.dialect import ValidationFailed
from dialects.orgapi.family import family_of
from dialects.orgapi.formats import Bool, Date, DateTime, Text, parse_uuid
from dialects.orgapi.subresources import PATIENT, ref, shown, stamps

ALERT_DEFINITION = RefTo("alert_definition")
NOT_FOUND = "Alert not found."
MAX_BULK = 50

SCOPES = EnumMap({s.value: s for s in AlertScope})
STATUSES = EnumMap({s.value: s for s in AlertStatus})

_s = stamps()
CODEC = Codec(
    "orgapi",
    PatientAlert,
    [
        *ref("alert_definition", "alert_definition", ALERT_DEFINITION),
        Field("alert_scope", "scope", SCOPES),
        _s["created_at"],
        _s["created_by"],
        Field("date_disabled", "date_disabled", DateTime()),
        Field("disable_on", "disable_on", Date()),
        _s["id"],
        Field("is_urgent", "is_urgent", Bool()),
        Field("note", "note", Text()),
        shown("patient", "patient", PATIENT),
        Field("status", "status", STATUSES),
        _s["updated_at"],
        _s["version"],
    ],
    ref_labels={"alert_definition": "Alert definition"},
)

CREATE_FIELDS = ("alert_definition_uuid", "alert_scope", "disable_on", "is_urgent", "note")
UPDATE_FIELDS = (
    "alert_scope",
    "base_version",
    "date_disabled",
    "disable_on",
    "is_urgent",
    "note",
    "status",
)


async def list_alerts(call: Call) -> Reply:
    owner = await subresources.patient(call)
    params = call.query_dict()
    status = common.enum_query(params, "status", STATUSES.table)
    include_family = common.bool_query(params, "include_family", False)
    status_cond = (
        Cond("status", "eq", status)
        if status is not None
        else Cond("status", "ne", AlertStatus.archived)
    )
    mine: Cond | AnyOf = Cond("patient", "eq", owner.num)
    if include_family:
        others = [m.num for m in await family_of(call, owner) if m.num != owner.num]
        shared = await _family_alert_nums(call, others, status_cond)
        if shared:
            mine = AnyOf((mine, Cond("num", "in", shared)))
    page, size = common.paging(params, 50)
    query = Query(where=[mine, status_cond], order=[Order("num")])

    async def render(records: list[PatientAlert]) -> list[Any]:
        return await common.render_many(call, CODEC, records)

    return Reply(200, await common.page_of(call, PatientAlert, query, page, size, render))


async def _family_alert_nums(call: Call, patients: list[Any], status_cond: Cond) -> list[int]:
    """The family-scoped alerts of the other family members (a family is small)."""
    if not patients:
        return []
    query = Query(
        where=[
            Cond("patient", "in", patients),
            Cond("scope", "eq", AlertScope.family),
            status_cond,
        ]
    )
    return [a.num for a in (await call.backend.find(PatientAlert, query)).items if a.num]


async def get_alert(call: Call) -> Reply:
    owner = await subresources.patient(call)
    record = await subresources.child(
        call, PatientAlert, "alert_uuid", NOT_FOUND, owner, include_deleted=True
    )
    return Reply(200, await common.render_one(call, CODEC, record))


async def create_alert(call: Call) -> Reply:
    owner = await subresources.patient(call)
    body = common.json_body(call)
    common.fields_in(body, CREATE_FIELDS, ("alert_definition_uuid",))
    if body.get("alert_definition_uuid") is None:
        raise ValidationFailed.one(
            ["body", "alert_definition_uuid"], "Input should be a valid UUID", "uuid_type"
        )
    patch = subresources.decode_input(CODEC, body, call)
    patch["patient"] = owner.ref()

    async def build() -> Any:
        resolved = await common.resolve(call, PatientAlert, patch, CODEC.ref_labels)
        definition = await call.backend.get(AlertDefinition, num=resolved["alert_definition"].num)
        resolved.setdefault("scope", definition.default_scope)
        resolved.setdefault("is_urgent", definition.default_is_urgent)
        resolved["user"] = call.user()
        record = await call.backend.create(merge_patch(None, PatientAlert, resolved))
        return await common.render_one(call, CODEC, record)

    return await subresources.created_reply(call, build)


def _status_stamp(patch: dict[str, Any], now: Any) -> None:
    """Keep ``date_disabled`` in step with a status change made by PATCH."""
    if patch.get("status") == AlertStatus.disabled and patch.get("date_disabled") is None:
        patch["date_disabled"] = now
    elif patch.get("status") == AlertStatus.active and "date_disabled" not in patch:
        patch["date_disabled"] = None


async def update_alert(call: Call) -> Reply:
    owner = await subresources.patient(call)
    body = common.json_body(call)
    common.fields_in(body, UPDATE_FIELDS, ("base_version",))
    base = common.require_base_version(body)
    patch = subresources.decode_input(
        CODEC, {k: v for k, v in body.items() if k != "base_version"}, call
    )
    record = await subresources.child(call, PatientAlert, "alert_uuid", NOT_FOUND, owner)
    patch = CODEC.keep_shown(patch, body, record, call.ctx)
    _status_stamp(patch, call.ctx.now)
    updated = await subresources.update(call, record, CODEC, patch, base)
    return Reply(200, await common.render_one(call, CODEC, updated))


async def disable_alert(call: Call) -> Reply:
    owner = await subresources.patient(call)
    body = common.json_body(call)
    common.fields_in(body, ("base_version",), ("base_version",))
    base = common.require_base_version(body)
    record = await subresources.child(call, PatientAlert, "alert_uuid", NOT_FOUND, owner)
    patch = {"status": AlertStatus.disabled, "date_disabled": call.ctx.now}
    updated = await subresources.update(call, record, CODEC, patch, base)
    return Reply(200, await common.render_one(call, CODEC, updated))


async def archive_alert(call: Call) -> Reply:
    owner = await subresources.patient(call)
    record = await subresources.child(call, PatientAlert, "alert_uuid", NOT_FOUND, owner)
    if record.status is not AlertStatus.archived:
        record = await call.backend.update(
            subresources.changed(record, {"status": AlertStatus.archived})
        )
    return Reply(200, await common.render_one(call, CODEC, record))


async def bulk_dismiss(call: Call) -> Reply:
    owner = await subresources.patient(call)
    body = common.json_body(call)
    common.fields_in(body, ("alert_uuids",), ("alert_uuids",))
    raw = body["alert_uuids"]
    if not isinstance(raw, list):
        raise ValidationFailed.one(
            ["body", "alert_uuids"], "Input should be a valid list", "list_type"
        )
    if len(raw) > MAX_BULK:
        raise ValidationFailed.one(
            ["body", "alert_uuids"],
            f"List should have at most {MAX_BULK} items after validation, not {len(raw)}",
            "too_long",
        )
    errors = []
    idents = []
    for i, item in enumerate(raw):
        try:
            idents.append(parse_uuid(item))
        except ValueError as exc:
            errors.append(
                {"loc": ["body", "alert_uuids", i], "msg": str(exc), "type": "uuid_parsing"}
            )
    if errors:
        raise ValidationFailed(errors)
    out: list[Any] = []
    async with call.backend.atomic():
        done: dict[Any, PatientAlert] = {}
        for ident in idents:
            if ident in done:
                out.append(done[ident])
                continue
            try:
                record = await call.backend.get(PatientAlert, uuid=ident)
            except NotFound:
                raise NotFound(f"Alert {ident} not found.", resource="patient_alert") from None
            if record.patient.num != owner.num:
                raise NotFound(f"Alert {ident} not found.", resource="patient_alert")
            if record.status is not AlertStatus.archived:
                record = await call.backend.update(
                    subresources.changed(record, {"status": AlertStatus.archived})
                )
            done[ident] = record
            out.append(record)
    return Reply(200, await common.render_many(call, CODEC, out))


_BASE = "/{org_id}/patients/{patient_uuid}/alerts"
ENDPOINTS = [
    Endpoint("GET", _BASE, list_alerts, "patient_alert"),
    Endpoint("POST", _BASE, create_alert, "patient_alert"),
    Endpoint("POST", f"{_BASE}/bulk-dismiss", bulk_dismiss, "patient_alert"),
    Endpoint("GET", f"{_BASE}/{{alert_uuid}}", get_alert, "patient_alert"),
    Endpoint("PATCH", f"{_BASE}/{{alert_uuid}}", update_alert, "patient_alert"),
    Endpoint("POST", f"{_BASE}/{{alert_uuid}}/archive", archive_alert, "patient_alert"),
    Endpoint("POST", f"{_BASE}/{{alert_uuid}}/disable", disable_alert, "patient_alert"),
]
CODECS = {"patient_alert": CODEC}
