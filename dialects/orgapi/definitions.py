"""Org API patient alert, field and tag definitions (seed 003, "Alert
Definitions", "Field Definitions", "Tag Definitions"; 15 endpoints): list
(``search``; ``category`` for alert and tag definitions), get, create, PATCH
update under ``base_version``, and archive (``base_version`` in the body).

Decisions where the document is silent:

- Listings are in display order (``item_order``, then name), archived
  definitions left out; ``search`` matches the name (case-insensitive
  substring), ``category`` the exact category.
- Archive sets ``deleted_at`` (DrChrono's flag types show it as
  ``archived``). An archived definition stays readable by id, so a client can
  show what an old alert or value referred to; it can no longer be updated
  (404) nor chosen for a new alert, value or tag (404 on the ``*_uuid``).
- Field types are ``text``, ``number``, ``currency``, ``date``, ``boolean``
  and ``dropdown`` (the union with Open Dental's patient field types); a
  ``dropdown`` field needs at least one option (422).
- ``default_scope`` is ``patient`` or ``family``, as a patient alert's scope.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from canonical import (
    AlertDefinition,
    AlertScope,
    Cond,
    FieldDefinition,
    FieldType,
    Order,
    Query,
    Record,
    TagDefinition,
)
from dialects.base import Call, Endpoint, Reply
from dialects.codec import Codec, EnumMap, Field, merge_patch
from dialects.orgapi import common, subresources
from dialects.orgapi.clinical_formats import StrList
from dialects.orgapi.dialect import ValidationFailed
from dialects.orgapi.formats import Bool, Int, Text
from dialects.orgapi.subresources import stamps

SCOPES = EnumMap({s.value: s for s in AlertScope})
FIELD_TYPES = EnumMap({t.value: t for t in FieldType})

_s = stamps()
ALERT_CODEC = Codec(
    "orgapi",
    AlertDefinition,
    [
        Field("category", "category", Text()),
        _s["created_at"],
        Field("default_is_urgent", "default_is_urgent", Bool()),
        Field("default_scope", "default_scope", SCOPES),
        _s["deleted_at"],
        Field("description", "description", Text()),
        _s["id"],
        Field("item_order", "item_order", Int()),
        Field("name", "name", Text(max_length=200, required=True)),
        _s["updated_at"],
        _s["version"],
    ],
)

FIELD_CODEC = Codec(
    "orgapi",
    FieldDefinition,
    [
        _s["created_at"],
        _s["deleted_at"],
        Field("description", "description", Text()),
        Field("dropdown_options", "dropdown_options", StrList()),
        Field("field_type", "field_type", FIELD_TYPES),
        _s["id"],
        Field("is_required", "is_required", Bool()),
        Field("item_order", "item_order", Int()),
        Field("name", "name", Text(max_length=200, required=True)),
        _s["updated_at"],
        _s["version"],
    ],
)

TAG_CODEC = Codec(
    "orgapi",
    TagDefinition,
    [
        Field("category", "category", Text()),
        Field("color", "color", Text(max_length=32)),
        _s["created_at"],
        _s["deleted_at"],
        Field("description", "description", Text()),
        _s["id"],
        Field("item_order", "item_order", Int()),
        Field("name", "name", Text(max_length=200, required=True)),
        _s["updated_at"],
        _s["version"],
    ],
)


def _dropdown_has_options(record: Record) -> None:
    if (
        isinstance(record, FieldDefinition)
        and record.field_type is FieldType.dropdown
        and not record.dropdown_options
    ):
        raise ValidationFailed.one(
            ["body", "dropdown_options"],
            "A dropdown field needs at least one option",
            "value_error",
        )


@dataclass(frozen=True)
class Definitions:
    """One kind of definition, served at ``/{org_id}/<segment>``."""

    model: type[Record]
    codec: Codec
    segment: str
    not_found: str
    fields: tuple[str, ...]
    required: tuple[str, ...] = ("name",)
    has_category: bool = False
    check: Callable[[Record], None] | None = None

    def endpoints(self) -> list[Endpoint]:
        base = f"/{{org_id}}/{self.segment}"
        one = f"{base}/{{definition_uuid}}"
        res = self.model.resource
        return [
            Endpoint("GET", base, self.list_all, res),
            Endpoint("POST", base, self.create, res),
            Endpoint("GET", one, self.get_one, res),
            Endpoint("PATCH", one, self.update, res),
            Endpoint("POST", f"{one}/archive", self.archive, res),
        ]

    async def _render(self, call: Call, records: list[Any]) -> list[Any]:
        return await common.render_many(call, self.codec, records)

    async def list_all(self, call: Call) -> Reply:
        params = call.query_dict()
        page, size = common.paging(params, 50)
        where: list[Any] = []
        if params.get("search"):
            where.append(Cond("name", "contains", params["search"]))
        if self.has_category and params.get("category") is not None:
            where.append(Cond("category", "eq", params["category"]))
        query = Query(where=where, order=[Order("item_order"), Order("name")])
        body = await common.page_of(
            call, self.model, query, page, size, lambda rs: self._render(call, rs)
        )
        return Reply(200, body)

    async def _find(self, call: Call, *, include_deleted: bool = False) -> Any:
        return await common.get_by_uuid(
            call,
            self.model,
            call.path_params["definition_uuid"],
            self.not_found,
            include_deleted=include_deleted,
        )

    async def get_one(self, call: Call) -> Reply:
        record = await self._find(call, include_deleted=True)
        return Reply(200, (await self._render(call, [record]))[0])

    async def create(self, call: Call) -> Reply:
        body = common.json_body(call)
        common.fields_in(body, self.fields, self.required)
        for name in self.required:
            if body[name] is None:
                raise ValidationFailed.one(["body", name], "Field required", "missing")
        patch = subresources.decode_input(self.codec, body, call)

        async def build() -> Any:
            record = merge_patch(None, self.model, patch)
            if self.check is not None:
                self.check(record)
            created = await call.backend.create(record)
            return (await self._render(call, [created]))[0]

        return await subresources.created_reply(call, build)

    async def update(self, call: Call) -> Reply:
        body = common.json_body(call)
        common.fields_in(body, ("base_version", *self.fields), ("base_version",))
        base = common.require_base_version(body)
        rest = {k: v for k, v in body.items() if k != "base_version"}
        patch = subresources.decode_input(self.codec, rest, call)
        record = await self._find(call)
        patch = self.codec.keep_shown(patch, rest, record, call.ctx)
        changed = subresources.changed(record, patch)
        if self.check is not None:
            self.check(changed)
        updated = await call.backend.update(changed, base_version=base)
        return Reply(200, (await self._render(call, [updated]))[0])

    async def archive(self, call: Call) -> Reply:
        body = common.json_body(call)
        common.fields_in(body, ("base_version",), ("base_version",))
        base = common.require_base_version(body)
        record = await self._find(call, include_deleted=True)
        archived = await subresources.archive(call, record, base)
        return Reply(200, (await self._render(call, [archived]))[0])


ALERTS = Definitions(
    AlertDefinition,
    ALERT_CODEC,
    "patient-alert-definitions",
    "Alert definition not found.",
    ("category", "default_is_urgent", "default_scope", "description", "item_order", "name"),
    has_category=True,
)
FIELDS = Definitions(
    FieldDefinition,
    FIELD_CODEC,
    "patient-field-definitions",
    "Field definition not found.",
    ("description", "dropdown_options", "field_type", "is_required", "item_order", "name"),
    required=("field_type", "name"),
    check=_dropdown_has_options,
)
TAGS = Definitions(
    TagDefinition,
    TAG_CODEC,
    "patient-tag-definitions",
    "Tag definition not found.",
    ("category", "color", "description", "item_order", "name"),
    has_category=True,
)

ENDPOINTS = [*ALERTS.endpoints(), *FIELDS.endpoints(), *TAGS.endpoints()]
CODECS = {
    "alert_definition": ALERT_CODEC,
    "field_definition": FIELD_CODEC,
    "tag_definition": TAG_CODEC,
}
