"""Org API custom field values (seed 003): list a patient's values, bulk upsert
them (``PUT``; ``null`` clears), and the form view (every active field
definition merged with the patient's value), under
``/patients/{patient_uuid}/field-values``.

The document prints no shapes for these; the decisions:

- ``value`` is a JSON boolean for ``boolean`` fields and a string otherwise
  (numbers as decimal strings, dates ``YYYY-MM-DD``), exactly as stored.
- The upsert body is ``{"fields": [{"field_definition_uuid": ..., "value":
  ...}]}``. Values are checked against the definition's type: ``number``
  takes a number or numeric string, ``currency`` the same (kept to two
  places), ``date`` a ``YYYY-MM-DD`` date, ``boolean`` a JSON boolean,
  ``dropdown`` one of ``dropdown_options``, ``text`` any string. ``null`` (or
  an empty string) clears the value; a required field cannot be cleared
  (422). A definition may appear once per request (422). All entries are
  applied together or not at all. The answer is the JSON array of the
  records set, in request order (cleared fields do not appear).
- The form view answers ``{"items": [...]}``: each active definition in
  display order, as the field definition endpoints show it, plus ``value``
  (null when unset) and ``field_value_id``.
- The list is in the definitions' display order, then by name.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, cast
from uuid import UUID

import pydantic

from canonical import (
    Cond,
    FieldDefinition,
    FieldType,
    FieldValue,
    NotFound,
    Order,
    Patient,
    Query,
    Ref,
    RefTo,
)
from dialects.base import Call, Endpoint, Reply
from dialects.codec import Codec, CodecContext, Field, merge_patch
from dialects.limits import parse_decimal
from dialects.orgapi.bodies import json_body
from dialects.orgapi.definitions import FIELD_CODEC
from dialects.orgapi.dialect import ValidationFailed
from dialects.orgapi.field_maps import PATIENT, shown, stamps
from dialects.orgapi.inputs import check, closed_model, failed, one_of, valid
from dialects.orgapi.paging import PagePaging
from dialects.orgapi.params import Params
from dialects.orgapi.records import patient_of
from dialects.orgapi.resource import PER_PATIENT
from dialects.render import render

FIELD_DEFINITION = RefTo("field_definition")
PAGES = PagePaging(default_size=100)


class Value:
    """A stored value, shown as a JSON boolean for boolean fields (the field
    types are looked up by :func:`shown_values`)."""

    def to_wire(self, value: str, ctx: CodecContext) -> Any:
        return value

    def from_wire(self, raw: Any, ctx: CodecContext) -> str:
        raise ValueError("is set through PUT field-values")


_s = stamps()
CODEC = Codec(
    "orgapi",
    FieldValue,
    [
        _s["created_at"],
        shown("field_definition", "field_definition", FIELD_DEFINITION),
        _s["id"],
        shown("patient", "patient", PATIENT),
        _s["updated_at"],
        Field("value", "value", Value(), read_only=True),
        _s["version"],
    ],
)

UPSERT_IN = closed_model("FieldValuesIn", {"fields": list[Any]}, ("fields",))
ENTRY = pydantic.TypeAdapter(dict[str, Any])
ENTRY_IN = closed_model(
    "FieldValueIn",
    {"field_definition_uuid": UUID, "value": Any},
    ("field_definition_uuid", "value"),
)


def wire_value(definition: FieldDefinition | None, stored: str) -> Any:
    if definition is not None and definition.field_type is FieldType.boolean:
        return stored == "true"
    return stored


_BOOLEAN = pydantic.TypeAdapter(pydantic.StrictBool)
_NUMBER = pydantic.TypeAdapter(Annotated[Decimal, pydantic.Field(allow_inf_nan=False)])
_TEXT = pydantic.TypeAdapter(pydantic.StrictStr)
_DATE = pydantic.TypeAdapter(date)


def parse_value(definition: FieldDefinition, raw: Any) -> str:
    """The text to store for ``raw``: pydantic's ``ValidationError`` when it is
    not of the definition's type, ``ValueError`` when a number is out of bounds."""
    kind = definition.field_type
    if kind is FieldType.boolean:
        return "true" if _BOOLEAN.validate_python(raw) else "false"
    if kind in (FieldType.number, FieldType.currency):
        number = _NUMBER.validate_python(raw)
        places = 2 if kind is FieldType.currency else None
        return str(parse_decimal(number, places=places, message="must be a number"))
    text = _TEXT.validate_python(raw)
    if kind is FieldType.date:
        return _DATE.validate_strings(text, strict=True).isoformat()
    if kind is FieldType.dropdown:
        pydantic.TypeAdapter(one_of(tuple(definition.dropdown_options or []))).validate_python(text)
    return text


async def _definitions(call: Call, nums: list[int]) -> dict[int, FieldDefinition]:
    return await call.backend.get_many(FieldDefinition, nums)


async def shown_values(call: Call, records: list[FieldValue]) -> list[dict[str, Any]]:
    defs = await _definitions(call, [r.field_definition.num or 0 for r in records])
    values = {
        r.num or 0: {"value": wire_value(defs.get(r.field_definition.num or 0), r.value)}
        for r in records
    }
    return await render(call, CODEC, records, computed=values)


async def _current(call: Call, owner: Patient) -> list[FieldValue]:
    query = Query(where=[Cond("patient", "eq", owner.num)])
    return list((await call.backend.find(FieldValue, query)).items)


async def list_values(call: Call) -> Reply:
    owner = await patient_of(call)
    page, size = PAGES.window(Params(call.query, call.ctx))
    values = await _current(call, owner)
    defs = await _definitions(call, [v.field_definition.num or 0 for v in values])

    def key(v: FieldValue) -> tuple[int, str, int]:
        d = defs.get(v.field_definition.num or 0)
        return (d.item_order if d else 0, d.name if d else "", v.num or 0)

    ordered = sorted(values, key=key)
    window = ordered[(page - 1) * size : page * size]
    return Reply(200, PAGES.body(await shown_values(call, window), page, size, len(ordered)))


def _entries(body: dict[str, Any]) -> list[tuple[int, UUID, Any]]:
    """(index, definition uuid, raw value) for each entry; 422 naming every bad one."""
    errors: list[dict[str, Any]] = []
    out: list[tuple[int, UUID, Any]] = []
    seen: set[UUID] = set()
    for i, item in enumerate(body["fields"]):
        loc = ("body", "fields", i)
        try:
            entry = check(ENTRY_IN, valid(ENTRY, item, loc), loc)
        except ValidationFailed as exc:
            errors += exc.errors
            continue
        ident = entry["field_definition_uuid"]
        if ident in seen:
            errors.append(
                {
                    "loc": [*loc, "field_definition_uuid"],
                    "msg": "Each field may appear once per request",
                    "type": "value_error",
                }
            )
            continue
        seen.add(ident)
        out.append((i, ident, entry["value"]))
    if errors:
        raise ValidationFailed(errors)
    return out


async def upsert_values(call: Call) -> Reply:
    owner = await patient_of(call)
    entries = _entries(check(UPSERT_IN, json_body(call)))
    # Every definition must exist (404) and every value fit its type (422),
    # before anything is written.
    definitions: dict[Any, FieldDefinition] = {}
    for _, ident, _raw in entries:
        try:
            definitions[ident] = await call.backend.get(FieldDefinition, uuid=ident)
        except NotFound:
            raise NotFound(
                f"Field definition {ident} not found.", resource="field_definition"
            ) from None
    errors: list[dict[str, Any]] = []
    planned: list[tuple[FieldDefinition, str | None]] = []
    for i, ident, raw in entries:
        definition = definitions[ident]
        if raw is None or raw == "":
            if definition.is_required:
                errors.append(
                    {
                        "loc": ["body", "fields", i, "value"],
                        "msg": f"{definition.name} is required and cannot be cleared",
                        "type": "value_error",
                    }
                )
            planned.append((definition, None))
            continue
        loc = ("body", "fields", i, "value")
        try:
            planned.append((definition, parse_value(definition, raw)))
        except pydantic.ValidationError as exc:
            errors += failed(exc, loc).errors
        except ValueError as exc:
            errors.append({"loc": list(loc), "msg": str(exc), "type": "value_error"})
    if errors:
        raise ValidationFailed(errors)
    current = {v.field_definition.num: v for v in await _current(call, owner)}
    written: list[FieldValue] = []
    async with call.backend.atomic():
        for definition, text in planned:
            existing = current.get(definition.num)
            if text is None:
                if existing is not None:
                    await call.backend.update(
                        existing.model_copy(update={"deleted_at": call.ctx.now})
                    )
                continue
            if existing is None:
                record = FieldValue.model_validate(
                    {
                        "patient": owner.ref(),
                        "field_definition": Ref(uuid=definition.uuid, num=definition.num),
                        "value": text,
                        "user": call.user(),
                    }
                )
                written.append(await call.backend.create(record))
            elif existing.value != text:
                changed = merge_patch(existing, FieldValue, {"value": text})
                written.append(cast(FieldValue, await call.backend.update(changed)))
            else:
                written.append(existing)
    return Reply(200, await shown_values(call, written))


async def form_view(call: Call) -> Reply:
    owner = await patient_of(call)
    query = Query(order=[Order("item_order"), Order("name")])
    definitions = (await call.backend.find(FieldDefinition, query)).items
    current = {v.field_definition.num: v for v in await _current(call, owner)}
    items = await render(call, FIELD_CODEC, definitions)
    for definition, entry in zip(definitions, items, strict=True):
        value = current.get(definition.num)
        entry["value"] = None if value is None else wire_value(definition, value.value)
        entry["field_value_id"] = None if value is None else str(value.uuid)
    return Reply(200, {"items": items})


_BASE = f"{PER_PATIENT}/field-values"
ENDPOINTS = [
    Endpoint("GET", _BASE, list_values, "field_value"),
    Endpoint("PUT", _BASE, upsert_values, "field_value"),
    Endpoint("GET", f"{_BASE}/form", form_view, "field_value"),
]
CODECS = {"field_value": CODEC}
