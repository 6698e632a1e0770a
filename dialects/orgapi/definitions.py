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

from typing import Any

from canonical import (
    AlertDefinition,
    AlertScope,
    Cond,
    FieldDefinition,
    FieldType,
    Order,
    Query,
    TagDefinition,
)
from dialects.base import Call
from dialects.codec import Codec, EnumMap, Field
from dialects.orgapi.clinical_formats import StrList
from dialects.orgapi.dialect import ValidationFailed
from dialects.orgapi.field_maps import stamps
from dialects.orgapi.formats import Bool, Int, Text
from dialects.orgapi.params import Params
from dialects.orgapi.resource import OrgApiResource

SCOPES = EnumMap({s.value: s for s in AlertScope})
FIELD_TYPES = EnumMap({t.value: t for t in FieldType})

_s = stamps()
NAME = Field("name", "name", Text(max_length=200, required=True), required="POST")
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
        NAME,
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
        Field("field_type", "field_type", FIELD_TYPES, required="POST"),
        _s["id"],
        Field("is_required", "is_required", Bool()),
        Field("item_order", "item_order", Int()),
        NAME,
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
        NAME,
        _s["updated_at"],
        _s["version"],
    ],
)

ORDER = (Order("item_order"), Order("name"))
"""Display order: ``item_order``, then name."""


async def by_name(call: Call, params: Params, query: Query) -> None:
    """``search``: the name contains it (case-insensitive)."""
    search = params.text("search")
    if search:
        query.where.append(Cond("name", "contains", search))


async def by_name_and_category(call: Call, params: Params, query: Query) -> None:
    await by_name(call, params, query)
    category = params.text("category")
    if category is not None:
        query.where.append(Cond("category", "eq", category))


def dropdown_has_options(patch: dict[str, Any], record: Any) -> None:
    """A ``dropdown`` field needs at least one option (as it will be stored)."""
    kind = patch.get("field_type", getattr(record, "field_type", None))
    options = patch.get("dropdown_options", getattr(record, "dropdown_options", None))
    if kind is FieldType.dropdown and not options:
        raise ValidationFailed.one(
            ["body", "dropdown_options"],
            "A dropdown field needs at least one option",
            "value_error",
        )


def served_at(segment: str, codec: Codec, missing: str, **rules: Any) -> OrgApiResource:
    """One kind of definition, served at ``/{org_id}/<segment>``."""
    return OrgApiResource(
        f"/{{org_id}}/{segment}",
        codec,
        operations=("list", "read", "create", "update", "archive"),
        item="definition_uuid",
        order=ORDER,
        missing=missing,
        read_archived=True,
        archive_version="body",
        **rules,
    )


ALERTS = served_at(
    "patient-alert-definitions",
    ALERT_CODEC,
    "Alert definition not found.",
    filters=by_name_and_category,
)
FIELDS = served_at(
    "patient-field-definitions",
    FIELD_CODEC,
    "Field definition not found.",
    filters=by_name,
    validate=dropdown_has_options,
)
TAGS = served_at(
    "patient-tag-definitions",
    TAG_CODEC,
    "Tag definition not found.",
    filters=by_name_and_category,
)

ENDPOINTS = [*ALERTS.endpoints(), *FIELDS.endpoints(), *TAGS.endpoints()]
CODECS = {
    "alert_definition": ALERT_CODEC,
    "field_definition": FIELD_CODEC,
    "tag_definition": TAG_CODEC,
}
