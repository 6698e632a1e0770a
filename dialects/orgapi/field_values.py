"""Org API custom field values (seed 003): list a patient's values, bulk upsert
them (``PUT``; ``null`` clears), and the form view (every active field
definition merged with the patient's value), under
``/patients/{patient_uuid}/field-values``.

The document prints no shapes for these; the decisions:

- A value record reads ``created_at``, ``field_definition`` ``{id, name}``,
  ``id``, ``patient``, ``updated_at``, ``value``, ``version``. ``value`` is a
  JSON boolean for ``boolean`` fields and a string otherwise (numbers as
  decimal strings, dates ``YYYY-MM-DD``), exactly as stored.
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

from typing import Any

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
from dialects.codec import Codec, CodecContext, Field
from dialects.limits import parse_decimal
from dialects.orgapi import common, subresources
from dialects.orgapi.definitions import FIELD_CODEC
from dialects.orgapi.dialect import ValidationFailed
from dialects.orgapi.formats import parse_date, parse_uuid
from dialects.orgapi.subresources import PATIENT, shown, stamps

FIELD_DEFINITION = RefTo("field_definition")
VALUE_KEY = "field_value_types"


class Value:
    """A stored value, shown as a JSON boolean for boolean fields (the field
    types are put in ``ctx.options`` by :func:`render`)."""

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


def wire_value(definition: FieldDefinition | None, stored: str) -> Any:
    if definition is not None and definition.field_type is FieldType.boolean:
        return stored == "true"
    return stored


def parse_value(definition: FieldDefinition, raw: Any) -> str:
    """The text to store for ``raw``; ``ValueError`` names what was expected."""
    kind = definition.field_type
    if kind is FieldType.boolean:
        if isinstance(raw, bool):
            return "true" if raw else "false"
        raise ValueError("Input should be a valid boolean")
    if kind in (FieldType.number, FieldType.currency):
        number = parse_decimal(
            raw,
            places=2 if kind is FieldType.currency else None,
            message="Input should be a valid number",
            not_finite="Input should be a finite number",
        )
        return str(number)
    if not isinstance(raw, str):
        raise ValueError("Input should be a valid string")
    if kind is FieldType.date:
        try:
            return parse_date(raw).isoformat()
        except ValueError:
            raise ValueError("Input should be a valid date in YYYY-MM-DD format") from None
    if kind is FieldType.dropdown and raw not in (definition.dropdown_options or []):
        options = ", ".join(f"'{o}'" for o in definition.dropdown_options or [])
        raise ValueError(f"Input should be one of {options}")
    return raw


async def _definitions(call: Call, nums: list[int]) -> dict[int, FieldDefinition]:
    return await call.backend.get_many(FieldDefinition, nums)


async def render(call: Call, records: list[FieldValue]) -> list[dict[str, Any]]:
    out = await common.render_many(call, CODEC, records)
    defs = await _definitions(call, [r.field_definition.num or 0 for r in records])
    for body, record in zip(out, records, strict=True):
        body["value"] = wire_value(defs.get(record.field_definition.num or 0), record.value)
    return out


async def _current(call: Call, owner: Patient) -> list[FieldValue]:
    query = Query(where=[Cond("patient", "eq", owner.num)])
    return list((await call.backend.find(FieldValue, query)).items)


async def list_values(call: Call) -> Reply:
    owner = await subresources.patient(call)
    page, size = common.paging(call.query_dict(), 100)
    values = await _current(call, owner)
    defs = await _definitions(call, [v.field_definition.num or 0 for v in values])

    def key(v: FieldValue) -> tuple[int, str, int]:
        d = defs.get(v.field_definition.num or 0)
        return (d.item_order if d else 0, d.name if d else "", v.num or 0)

    ordered = sorted(values, key=key)
    window = ordered[(page - 1) * size : page * size]
    return Reply(
        200,
        {
            "items": await render(call, window),
            "page": page,
            "page_size": size,
            "total": len(ordered),
        },
    )


def _entries(body: dict[str, Any]) -> list[tuple[int, Any, Any]]:
    """(index, definition uuid, raw value) for each entry; 422 naming bad ones."""
    fields = body["fields"]
    if not isinstance(fields, list):
        raise ValidationFailed.one(["body", "fields"], "Input should be a valid list", "list_type")
    errors: list[dict[str, Any]] = []
    out: list[tuple[int, Any, Any]] = []
    seen: set[Any] = set()
    for i, item in enumerate(fields):
        loc: list[Any] = ["body", "fields", i]
        if not isinstance(item, dict):
            errors.append(
                {"loc": loc, "msg": "Input should be a valid dictionary", "type": "dict_type"}
            )
            continue
        extra = [k for k in item if k not in ("field_definition_uuid", "value")]
        errors += [
            {"loc": [*loc, k], "msg": "Extra inputs are not permitted", "type": "extra_forbidden"}
            for k in extra
        ]
        for name in ("field_definition_uuid", "value"):
            if name not in item:
                errors.append({"loc": [*loc, name], "msg": "Field required", "type": "missing"})
        if "field_definition_uuid" not in item:
            continue
        try:
            ident = parse_uuid(item["field_definition_uuid"])
        except ValueError as exc:
            errors.append(
                {"loc": [*loc, "field_definition_uuid"], "msg": str(exc), "type": "uuid_parsing"}
            )
            continue
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
        out.append((i, ident, item.get("value")))
    if errors:
        raise ValidationFailed(errors)
    return out


async def upsert_values(call: Call) -> Reply:
    owner = await subresources.patient(call)
    body = common.json_body(call)
    common.fields_in(body, ("fields",), ("fields",))
    entries = _entries(body)
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
        try:
            planned.append((definition, parse_value(definition, raw)))
        except ValueError as exc:
            errors.append(
                {"loc": ["body", "fields", i, "value"], "msg": str(exc), "type": "value_error"}
            )
    if errors:
        raise ValidationFailed(errors)
    current = {v.field_definition.num: v for v in await _current(call, owner)}
    written: list[FieldValue] = []
    async with call.backend.atomic():
        for definition, text in planned:
            existing = current.get(definition.num)
            if text is None:
                if existing is not None:
                    await subresources.archive(call, existing)
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
                written.append(
                    await call.backend.update(subresources.changed(existing, {"value": text}))
                )
            else:
                written.append(existing)
    return Reply(200, await render(call, written))


async def form_view(call: Call) -> Reply:
    owner = await subresources.patient(call)
    query = Query(order=[Order("item_order"), Order("name")])
    definitions = (await call.backend.find(FieldDefinition, query)).items
    current = {v.field_definition.num: v for v in await _current(call, owner)}
    items = []
    for definition in definitions:
        entry = FIELD_CODEC.encode(definition, call.ctx)
        value = current.get(definition.num)
        entry["value"] = None if value is None else wire_value(definition, value.value)
        entry["field_value_id"] = None if value is None else str(value.uuid)
        items.append(entry)
    return Reply(200, {"items": items})


_BASE = "/{org_id}/patients/{patient_uuid}/field-values"
ENDPOINTS = [
    Endpoint("GET", _BASE, list_values, "field_value"),
    Endpoint("PUT", _BASE, upsert_values, "field_value"),
    Endpoint("GET", f"{_BASE}/form", form_view, "field_value"),
]
CODECS = {"field_value": CODEC}
