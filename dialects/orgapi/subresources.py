"""The plumbing every per-patient sub-resource of the org API shares (seed 003,
``/patients/{patient_uuid}/<resource>``): finding the patient and a record
that belongs to it, listing a patient's records a page at a time, creating
(idempotently), PATCHing under ``base_version`` and archiving.

Decisions where the document is silent:

- A record of another patient is "not found", exactly as a missing one, so a
  client cannot probe ids across charts.
- An archived (soft-deleted) patient's chart stays readable and writable by
  id, as the patient itself stays readable by id.
- In a PATCH, ``null`` for a field that cannot be empty (a flag, an enum,
  ``relationship_type``) means "leave as is", as an optional field of a
  pydantic input model does; ``null`` for a nullable field clears it. Text
  fields are cleared to "" by ``null``.
- Archiving (soft delete) takes a record out of its listing, and it answers
  404 by id afterwards; archiving it again answers it once more, unchanged.
- ``GET .../<resource>/{id}`` for one record is served for every
  sub-resource: the document prints it for vital signs only, but its endpoint
  count (59) includes more than it prints, and a client that got an id back
  expects to read it.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any, TypeVar, cast

from canonical import Cond, Conflict, NotFound, Order, Patient, Query, Record, Ref, RefTo
from dialects.base import Call, Endpoint, Reply
from dialects.codec import Codec, Field, merge_patch
from dialects.orgapi import common, interactions
from dialects.orgapi.clinical_formats import UserNum
from dialects.orgapi.dialect import ValidationFailed
from dialects.orgapi.formats import DateTime, Int, LightRef, RefUuid, Text, Uuid

__all__ = [
    "PATIENT",
    "PATIENT_NOT_FOUND",
    "SubResource",
    "archive",
    "child",
    "create",
    "decode_input",
    "list_page",
    "patient",
    "ref",
    "stamps",
    "update",
]

R = TypeVar("R", bound=Record)

PATIENT = RefTo("patient")
PATIENT_NOT_FOUND = "Patient not found."


# -- field-map building blocks ----------------------------------------------------


def ref(wire: str, canonical: str, target: RefTo) -> list[Field]:
    """A reference: ``<wire>`` shown as ``{id, name}``, set through ``<wire>_uuid``."""
    return [
        Field(wire, canonical, LightRef(target), read_only=True, ref=target),
        Field(f"{wire}_uuid", canonical, RefUuid(), write_only=True),
    ]


def shown(wire: str, canonical: str, target: RefTo) -> Field:
    """A reference the client sees but never sets (``patient``, ``created_by``)."""
    return Field(wire, canonical, LightRef(target), read_only=True, ref=target)


def stamps() -> dict[str, Field]:
    """The system fields, by wire name, for placing in document order."""
    return {
        "created_at": Field("created_at", "created_at", DateTime(), read_only=True),
        "created_by": Field("created_by", "user", UserNum(), read_only=True),
        "deleted_at": Field("deleted_at", "deleted_at", DateTime(), read_only=True),
        "id": Field("id", "uuid", Uuid(), read_only=True),
        "updated_at": Field("updated_at", "updated_at", DateTime(), read_only=True),
        "version": Field("version", "version", Int(), read_only=True),
    }


# -- records of a patient ------------------------------------------------------------


async def patient(call: Call) -> Patient:
    """The patient named in the path, or 404 "Patient not found."."""
    return await common.get_by_uuid(
        call, Patient, call.path_params["patient_uuid"], PATIENT_NOT_FOUND, include_deleted=True
    )


async def child(
    call: Call,
    model: type[R],
    param: str,
    message: str,
    owner: Patient,
    *,
    include_deleted: bool = False,
    field: str = "patient",
) -> R:
    """The record named by path parameter ``param``, if it belongs to ``owner``."""
    record = await common.get_by_uuid(
        call, model, call.path_params[param], message, include_deleted=include_deleted
    )
    ref_value = getattr(record, field)
    if not isinstance(ref_value, Ref) or ref_value.num != owner.num:
        raise NotFound(message, resource=model.resource)
    return record


async def list_page(
    call: Call,
    model: type[R],
    codec: Codec,
    owner: Patient,
    *,
    where: Iterable[Any] = (),
    order: Iterable[Order] = (),
    default_size: int = 50,
    render: Callable[[list[R]], Awaitable[list[Any]]] | None = None,
) -> Reply:
    """One ``{items, page, page_size, total}`` page of ``owner``'s records."""
    page, size = common.paging(call.query_dict(), default_size)
    query = Query(
        where=[Cond("patient", "eq", owner.num), *where],
        order=[*order, Order("num")] if order else [Order("num")],
    )

    async def default(records: list[R]) -> list[Any]:
        return await common.render_many(call, codec, records)

    body = await common.page_of(call, model, query, page, size, render or default)
    return Reply(200, body)


# -- input ---------------------------------------------------------------------------


def _nullable(model: type[Record], name: str) -> bool:
    annotation = model.model_fields[name].annotation
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return type(None) in typing.get_args(annotation)
    return False


def decode_input(codec: Codec, body: Mapping[str, Any], call: Call) -> dict[str, Any]:
    """Decode a request body; ``null`` for a never-empty field means "unset"."""
    kept: dict[str, Any] = {}
    for key, value in body.items():
        f = codec.by_wire.get(key)
        if (
            value is None
            and f is not None
            and f.canonical is not None
            and not isinstance(f.conv, Text)
            and not _nullable(codec.model, f.canonical)
        ):
            continue
        kept[key] = value
    return common.decode(codec, kept, call)


# -- writes ----------------------------------------------------------------------------


async def create(call: Call, model: type[R], codec: Codec, patch: Mapping[str, Any]) -> R:
    """Resolve the patch's references (404 naming each) and store a new record."""
    resolved = await common.resolve(call, model, patch, codec.ref_labels)
    record = cast(R, merge_patch(None, model, resolved))
    return await call.backend.create(record)


async def update(
    call: Call, record: R, codec: Codec, patch: Mapping[str, Any], base_version: int
) -> R:
    """PATCH ``record`` under ``base_version`` (409 when it is stale)."""
    resolved = await common.resolve(call, type(record), patch, codec.ref_labels)
    return await call.backend.update(changed(record, resolved), base_version=base_version)


def changed(record: R, patch: Mapping[str, Any]) -> R:
    """``record`` with ``patch`` applied and validated."""
    return cast(R, merge_patch(record, type(record), patch))


async def archive(call: Call, record: R, base_version: int | None = None) -> R:
    """Soft-delete: set ``deleted_at`` (409 when ``base_version`` is stale)."""
    if record.deleted_at is not None:
        if base_version is not None and base_version != record.version:
            raise Conflict(
                f"{type(record).__name__} has changed (version {record.version}, "
                f"base_version {base_version}).",
                current_version=record.version,
            )
        return record
    stamped = record.model_copy(update={"deleted_at": call.ctx.now})
    return await call.backend.update(stamped, base_version=base_version)


async def created_reply(call: Call, build: Callable[[], Awaitable[Any]]) -> Reply:
    """201 with the created record, at most once per ``Idempotency-Key``."""

    async def run() -> Reply:
        async with call.backend.atomic():
            return Reply(201, await build())

    return await common.idempotent(call, run)


# -- a standard clinical sub-resource, declared --------------------------------------

Filters = Callable[[Call, Mapping[str, str]], list[Any]]
Prepare = Callable[[Call, dict[str, Any], Any], Awaitable[None]]
Warnings = Callable[[Call, Any], Awaitable[list[dict[str, Any]]]]


@dataclass(frozen=True)
class SubResource:
    """A per-patient record served the standard way: list (paged, filtered),
    create (201, idempotent), get, PATCH under ``base_version``, and archive
    (soft delete).

    ``prepare`` completes a resolved patch before it is saved (copying a
    catalog name, say); ``warnings`` computes ``interaction_warnings`` for the
    create answer. ``archive_version`` says where archive takes
    ``base_version`` from: nowhere, the query, or the body.
    """

    model: type[Record]
    codec: Codec
    segment: str
    param: str
    not_found: str
    create_fields: tuple[str, ...]
    create_required: tuple[str, ...] = ()
    update_fields: tuple[str, ...] = ()
    filters: Filters | None = None
    order: tuple[Order, ...] = ()
    prepare: Prepare | None = None
    validate: Callable[[dict[str, Any], Any], None] | None = None
    """Checks the decoded patch (and the record, on update) before any lookup."""
    warnings: Warnings | None = None
    archive_version: str = "none"
    archive_status: int = 200
    defaults: Mapping[str, Any] = dc_field(default_factory=dict)

    @property
    def base(self) -> str:
        return f"/{{org_id}}/patients/{{patient_uuid}}/{self.segment}"

    def endpoints(self) -> list[Endpoint]:
        one = f"{self.base}/{{{self.param}}}"
        res = self.model.resource
        patch = [Endpoint("PATCH", one, self.update_record, res)] if self.update_fields else []
        return [
            Endpoint("GET", self.base, self.list_records, res),
            Endpoint("POST", self.base, self.create_record, res),
            Endpoint("GET", one, self.get_record, res),
            *patch,
            Endpoint("POST", f"{one}/archive", self.archive_record, res),
        ]

    async def render(self, call: Call, records: list[Any]) -> list[Any]:
        return await common.render_many(call, self.codec, records)

    async def list_records(self, call: Call) -> Reply:
        owner = await patient(call)
        where = self.filters(call, call.query_dict()) if self.filters else []
        return await list_page(
            call,
            self.model,
            self.codec,
            owner,
            where=where,
            order=self.order,
            render=lambda records: self.render(call, records),
        )

    async def get_record(self, call: Call) -> Reply:
        owner = await patient(call)
        record = await child(call, self.model, self.param, self.not_found, owner)
        return Reply(200, (await self.render(call, [record]))[0])

    async def create_record(self, call: Call) -> Reply:
        owner = await patient(call)
        body = common.json_body(call)
        common.fields_in(body, self.create_fields, self.create_required)
        for name in self.create_required:
            if body.get(name) is None:
                raise ValidationFailed.one(["body", name], "Field required", "missing")
        patch = {**self.defaults, **decode_input(self.codec, body, call)}
        patch["patient"] = owner.ref()
        if self.validate is not None:
            self.validate(patch, None)
        if "user" in self.model.model_fields:
            patch["user"] = call.user()

        async def build() -> Any:
            resolved = await common.resolve(call, self.model, patch, self.codec.ref_labels)
            if self.prepare is not None:
                await self.prepare(call, resolved, None)
            record = await call.backend.create(merge_patch(None, self.model, resolved))
            if self.warnings is not None:
                call.ctx.options[interactions.KEY] = await self.warnings(call, record)
            return (await self.render(call, [record]))[0]

        return await created_reply(call, build)

    async def update_record(self, call: Call) -> Reply:
        owner = await patient(call)
        body = common.json_body(call)
        common.fields_in(body, self.update_fields, ("base_version",))
        base = common.require_base_version(body)
        rest = {k: v for k, v in body.items() if k != "base_version"}
        patch = decode_input(self.codec, rest, call)
        record = await child(call, self.model, self.param, self.not_found, owner)
        patch = self.codec.keep_shown(patch, rest, record, call.ctx)
        if self.validate is not None:
            self.validate(patch, record)
        resolved = await common.resolve(call, self.model, patch, self.codec.ref_labels)
        if self.prepare is not None:
            await self.prepare(call, resolved, record)
        merged = merge_patch(record, self.model, resolved)
        updated = await call.backend.update(merged, base_version=base)
        return Reply(200, (await self.render(call, [updated]))[0])

    async def archive_record(self, call: Call) -> Reply:
        owner = await patient(call)
        base: int | None = None
        if self.archive_version == "query":
            base = common.int_query(call.query_dict(), "base_version", 0, minimum=1)
            if "base_version" not in call.query_dict():
                raise ValidationFailed.one(["query", "base_version"], "Field required", "missing")
        elif self.archive_version == "body":
            body = common.json_body(call)
            common.fields_in(body, ("base_version",), ("base_version",))
            base = common.require_base_version(body)
        record = await child(
            call, self.model, self.param, self.not_found, owner, include_deleted=True
        )
        archived = await archive(call, record, base)
        if self.archive_status == 204:
            return Reply(204, None)
        return Reply(200, (await self.render(call, [archived]))[0])
