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
- ``GET .../alerts/{alert_uuid}`` answers one alert, archived ones included.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import pydantic

from canonical import (
    AlertDefinition,
    AlertScope,
    AlertStatus,
    AnyOf,
    Cond,
    NotFound,
    PatientAlert,
    Query,
    RefTo,
)
from dialects.base import Call, Endpoint, Reply
from dialects.codec import Codec, EnumMap, Field, merge_patch
from dialects.orgapi.bodies import json_body
from dialects.orgapi.family import family_of
from dialects.orgapi.field_maps import PATIENT, ref, shown, stamps
from dialects.orgapi.formats import Bool, Date, DateTime, Text
from dialects.orgapi.inputs import BaseVersion, check, closed_model
from dialects.orgapi.params import Params
from dialects.orgapi.records import patient_of
from dialects.orgapi.resource import PER_PATIENT, OrgApiResource
from dialects.render import render

ALERT_DEFINITION = RefTo("alert_definition")
MAX_BULK = 50

SCOPES = EnumMap({s.value: s for s in AlertScope})
STATUSES = EnumMap({s.value: s for s in AlertStatus})

_s = stamps()
CODEC = Codec(
    "orgapi",
    PatientAlert,
    [
        *ref(
            "alert_definition",
            "alert_definition",
            ALERT_DEFINITION,
            accepts="POST",
            required="POST",
        ),
        Field("alert_scope", "scope", SCOPES),
        _s["created_at"],
        _s["created_by"],
        Field("date_disabled", "date_disabled", DateTime(), accepts="PATCH"),
        Field("disable_on", "disable_on", Date()),
        _s["id"],
        Field("is_urgent", "is_urgent", Bool()),
        Field("note", "note", Text()),
        shown("patient", "patient", PATIENT),
        Field("status", "status", STATUSES, accepts="PATCH"),
        _s["updated_at"],
        _s["version"],
    ],
    ref_labels={"alert_definition": "Alert definition"},
)


async def filters(call: Call, params: Params, query: Query) -> None:
    """``status`` (archived alerts left out unless asked for); ``include_family``."""
    status = params.choice("status", STATUSES.table)
    include_family = params.bool_("include_family", False)
    status_cond = (
        Cond("status", "eq", status)
        if status is not None
        else Cond("status", "ne", AlertStatus.archived)
    )
    if include_family:
        owner = await patient_of(call)
        others = [m.num for m in await family_of(call, owner) if m.num != owner.num]
        shared = await _family_alert_nums(call, others, status_cond)
        if shared:  # the patient's own alerts (the first condition), and these
            query.where[0] = AnyOf((query.where[0], Cond("num", "in", shared)))
    query.where.append(status_cond)


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


async def defaults_and_stamps(call: Call, patch: dict[str, Any], record: Any) -> None:
    """A new alert takes its definition's defaults; a status change by PATCH
    keeps ``date_disabled`` in step."""
    if record is None:
        definition = await call.backend.get(AlertDefinition, num=patch["alert_definition"].num)
        patch.setdefault("scope", definition.default_scope)
        patch.setdefault("is_urgent", definition.default_is_urgent)
    elif patch.get("status") == AlertStatus.disabled and patch.get("date_disabled") is None:
        patch["date_disabled"] = call.ctx.now
    elif patch.get("status") == AlertStatus.active and "date_disabled" not in patch:
        patch["date_disabled"] = None


RESOURCE = OrgApiResource(
    f"{PER_PATIENT}/alerts",
    CODEC,
    operations=("list", "read", "create", "update", "archive"),
    item="alert_uuid",
    missing="Alert not found.",
    owner="patient",
    read_archived=True,
    filters=filters,
    finish=defaults_and_stamps,
    archived={"status": AlertStatus.archived},
)

_DISABLE = closed_model("DisableIn", {"base_version": BaseVersion}, ("base_version",))
_DISMISS = closed_model(
    "BulkDismissIn",
    {"alert_uuids": Annotated[list[UUID], pydantic.Field(max_length=MAX_BULK)]},
    ("alert_uuids",),
)


async def disable_alert(call: Call) -> Reply:
    await patient_of(call)
    body = json_body(call)
    check(_DISABLE, RESOURCE.given(body, ()))
    record = await RESOURCE.fetch(call)
    patch = {"status": AlertStatus.disabled, "date_disabled": call.ctx.now}
    updated = await call.backend.update(
        merge_patch(record, PatientAlert, patch), base_version=body["base_version"]
    )
    return Reply(200, await RESOURCE.show(call, updated))


async def bulk_dismiss(call: Call) -> Reply:
    """Archive the listed alerts of the patient: all of them, or none (404)."""
    owner = await patient_of(call)
    idents: list[UUID] = check(_DISMISS, json_body(call))["alert_uuids"]
    out: list[PatientAlert] = []
    async with call.backend.atomic():
        done: dict[UUID, PatientAlert] = {}
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
            archived = await RESOURCE.soft_delete(call, record, None)
            assert isinstance(archived, PatientAlert)
            done[ident] = archived
            out.append(archived)
    return Reply(200, await render(call, CODEC, out))


ENDPOINTS = [
    *RESOURCE.endpoints(),
    Endpoint("POST", f"{RESOURCE.path}/bulk-dismiss", bulk_dismiss, "patient_alert"),
    Endpoint("POST", f"{RESOURCE.one}/disable", disable_alert, "patient_alert"),
]
CODECS = {"patient_alert": CODEC}
