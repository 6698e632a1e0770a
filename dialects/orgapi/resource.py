"""The org API's resource conventions (seed 003), set once for every resource.

- Bodies are JSON objects (:mod:`.bodies`), checked against the resource's
  closed input model for the method (:mod:`.inputs`): a missing required key
  or a key the model does not define is a 422 in pydantic's words; each value
  is then judged by the codec (``value_error`` naming the field).
- Lists page with ``page``/``page_size`` (:class:`~.paging.PagePaging`) unless
  the resource says otherwise; query parameters are read by :mod:`.params`.
- Creates answer 201 and run at most once per ``Idempotency-Key``
  (:mod:`.idempotency`); PATCH is based on ``base_version`` (409 when stale)
  and answers 200; ``POST .../archive`` archives (soft delete) and answers the
  record, archiving again answers it unchanged.
- Ids are UUIDs; a malformed one is "not found". A reference to nothing is a
  404 "<label> not found." (the codec's ``ref_labels``).
- Per-patient records live under ``/{org_id}/patients/{patient_uuid}/...``:
  the patient is looked up first (404 "Patient not found." before anything
  else is checked), a record of another patient is "not found", exactly as a
  missing one, so a client cannot probe ids across charts, and a create
  belongs to the path's patient (and to the credential's user).

Decisions where the document is silent: in a sub-resource's body, ``null``
for a key that cannot be empty means "not given", as an optional field of a
pydantic input model reads it: a required key is then missing, any other is
left as is (``null`` for a nullable field clears it; text fields are cleared
to ""). ``GET .../<resource>/{id}`` is served for every sub-resource: the
document prints it for vital signs only, but its endpoint count (59)
includes more than it prints, and a client that got an id back expects to
read it.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import pydantic

from canonical import Cond, NotFound, Patient, Query, Record, Ref
from dialects.base import Call, Reply
from dialects.codec import Codec, merge_patch
from dialects.orgapi import records
from dialects.orgapi.bodies import json_body
from dialects.orgapi.dialect import ValidationFailed
from dialects.orgapi.formats import Text
from dialects.orgapi.idempotency import idempotent
from dialects.orgapi.inputs import BaseVersion, check, closed_model, codec_model, decode
from dialects.orgapi.paging import PAGES
from dialects.orgapi.params import Params
from dialects.paging import Paging
from dialects.params import Params as BaseParams
from dialects.resource import Operation, Resource

__all__ = ["PER_PATIENT", "OrgApiResource"]

PER_PATIENT = "/{org_id}/patients/{patient_uuid}"
"""The path every per-patient record lives under."""

Finish = Callable[[Call, dict[str, Any], Any], Awaitable[None]]
Validate = Callable[[dict[str, Any], Any], None]

_ARCHIVE_BODY = closed_model("ArchiveIn", {"base_version": BaseVersion}, ("base_version",))


@dataclass(frozen=True)
class OrgApiResource(Resource):
    """An org API collection (``path``) and its records (``path/{item}``).

    ``missing`` is the 404 message for a record; ``owner`` the record field
    holding the patient a per-patient path names. ``validate`` checks a
    decoded patch (and the record, on update) before anything is looked up;
    ``finish`` completes or checks a patch once its references are resolved
    (their nums known), before it is validated and stored. ``archive_version``
    says where archive takes ``base_version`` from; ``archived`` holds the
    values that archive a record whose archive is a status (else archive sets
    ``deleted_at``).
    """

    missing: str = "Not found."
    owner: str | None = None
    read_archived: bool = False
    """An archived record stays readable by id (no longer writable)."""
    lenient_nulls: bool = True
    """``null`` for a key that cannot be empty means "not given" (see the module)."""
    validate: Validate | None = None
    finish: Finish | None = None
    archive_version: Literal["none", "query", "body"] = "none"
    archived: Mapping[str, Any] | None = None

    paging: ClassVar[Paging] = PAGES
    """``{items, page, page_size, total}`` pages (a cursor resource sets its own)."""
    statuses = {"create": 201, "update": 200, "archive": 200}
    """201 for a create; a PATCH or an archive answers the record with 200."""
    silent = frozenset()
    """Every write answers the record it wrote."""

    # -- the patient a per-patient path names ------------------------------------------

    async def owner_of(self, call: Call) -> Patient | None:
        return None if self.owner is None else await records.patient_of(call)

    # -- handlers: the path's patient first --------------------------------------------

    async def list_(self, call: Call) -> Reply:
        owner = await self.owner_of(call)
        params = self.params(call, "list")
        query = Query(order=list(self.order))
        if owner is not None and self.owner is not None:
            query.where.append(Cond(self.owner, "eq", owner.num))
        if self.filters is not None:
            await self.filters(call, params, query)

        async def show(found: list[Record]) -> list[dict[str, Any]]:
            return await self.present(call, found, params, ())

        return await self.paging.reply(call, self.model, query, params, show)

    async def read(self, call: Call) -> Reply:
        await self.owner_of(call)
        params = self.params(call, "read")
        record = await self.fetch(call, include_deleted=self.read_archived)
        return Reply(200, await self.show(call, record, params))

    async def create(self, call: Call) -> Reply:
        await self.owner_of(call)
        return await super().create(call)

    async def write(self, call: Call, operation: Operation) -> Reply:
        await self.owner_of(call)
        return await super().write(call, operation)

    async def archive(self, call: Call) -> Reply:
        await self.owner_of(call)
        params = self.params(call, "archive")
        base = self.base_version(call, {}, "archive")
        record = await self.fetch(call, include_deleted=self.archived is None)
        done = await self.soft_delete(call, record, base)
        shown = None if "archive" in self.silent else await self.show(call, done, params)
        return self.reply(call, "archive", shown, done)

    async def show(self, call: Call, record: Record, params: BaseParams | None = None) -> Any:
        """One record as the resource shows it."""
        return (await self.present(call, [record], params or Params([]), ()))[0]

    # -- the engine's steps, the org API's way -----------------------------------------

    def params(self, call: Call, operation: Operation) -> Params:
        return Params(call.query, call.ctx)

    def body(self, call: Call, operation: Operation) -> dict[str, Any]:
        return {} if operation == "archive" else json_body(call)

    def check_input(self, body: Mapping[str, Any], method: str) -> None:
        if method == "PATCH":
            return  # checked whole, base_version included, by base_version()
        check(codec_model(self.codec, method), self.given(body, self.codec.required(method)))

    def given(self, body: Mapping[str, Any], required: tuple[str, ...]) -> dict[str, Any]:
        """``body`` as its input model reads it: ``null`` for a required key (and
        for ``base_version``) is the key missing, where nulls are lenient."""
        absent = {"base_version", *(required if self.lenient_nulls else ())}
        return {k: v for k, v in body.items() if v is not None or k not in absent}

    def decode(self, call: Call, body: Mapping[str, Any], current: Record | None) -> dict[str, Any]:
        kept = self.lenient(body) if self.lenient_nulls else body
        patch = decode(self.codec, kept, call.ctx, current=current)
        if self.validate is not None:
            self.validate(patch, current)
        return patch

    def lenient(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """``body`` without the nulls that mean "leave as is" (see the module)."""
        kept: dict[str, Any] = {}
        for key, value in body.items():
            f = self.codec.by_wire.get(key)
            if (
                value is None
                and f is not None
                and f.canonical is not None
                and not isinstance(f.conv, Text)
                and not _nullable(self.model, f.canonical)
            ):
                continue
            kept[key] = value
        return kept

    def record_id(self, call: Call) -> dict[str, Any]:
        ident = records.uuid_or_none(call.path_params[self.item])
        if ident is None:
            raise self.not_found()
        return {"uuid": ident}

    def not_found(self) -> NotFound:
        return NotFound(self.missing, resource=self.model.resource)

    async def fetch(self, call: Call, *, include_deleted: bool = False) -> Record:
        record = await super().fetch(call, include_deleted=include_deleted)
        owner = await self.owner_of(call)
        if owner is not None and self.owner is not None:
            ref = getattr(record, self.owner)
            if not isinstance(ref, Ref) or ref.num != owner.num:
                raise self.not_found()
        return record

    def base_version(self, call: Call, body: Mapping[str, Any], operation: Operation) -> int | None:
        if operation == "update":
            required = self.codec.required("PATCH")
            check(codec_model(self.codec, "PATCH", versioned=True), self.given(body, required))
            return int(body["base_version"])
        if operation != "archive" or self.archive_version == "none":
            return None
        if self.archive_version == "query":
            return self.params(call, operation).int_("base_version", ge=1, required=True)
        data = json_body(call)
        check(_ARCHIVE_BODY, self.given(data, ()))
        return int(data["base_version"])

    async def guard_create(self, call: Call, run: Callable[[], Awaitable[Reply]]) -> Reply:
        return await idempotent(call, run)

    async def owner_patch(self, call: Call, patch: dict[str, Any]) -> None:
        owner = await self.owner_of(call)
        if owner is not None and self.owner is not None:
            patch[self.owner] = owner.ref()
            if "user" in self.model.model_fields:
                patch["user"] = call.user()

    async def complete(self, call: Call, record: Record | None, patch: dict[str, Any]) -> Record:
        """References resolved (404 naming each), ``finish``, then validated."""
        try:
            patch = await call.backend.resolve(self.model, patch, labels=self.codec.ref_labels)
        except NotFound as exc:
            raise self.invalid_reference(exc, patch) from None
        if self.finish is not None:
            await self.finish(call, patch, record)
        try:
            return merge_patch(record, self.model, patch)
        except pydantic.ValidationError as exc:
            raise self.invalid_record(exc) from None

    def invalid_record(self, error: pydantic.ValidationError) -> ValidationFailed:
        """Each problem with pydantic's message and type, at the wire key it came from."""
        return ValidationFailed(
            [
                {"loc": ["body", *_wire(self.codec, e["loc"])], "msg": e["msg"], "type": e["type"]}
                for e in error.errors(include_url=False)
            ]
        )

    async def soft_delete(self, call: Call, record: Record, base: int | None) -> Record:
        """Archive: the ``archived`` values where archive is a status (answered
        unchanged when already set), else the engine's ``deleted_at``."""
        if self.archived is None:
            return await super().soft_delete(call, record, base)
        if all(getattr(record, k) == v for k, v in self.archived.items()):
            return record
        return await call.backend.update(merge_patch(record, self.model, self.archived))


def _wire(codec: Codec, loc: tuple[int | str, ...]) -> list[Any]:
    """A canonical error location named by the wire key it came from."""
    return [codec.wire_name(str(loc[0])), *loc[1:]] if loc else []


def _nullable(model: type[Record], name: str) -> bool:
    annotation = model.model_fields[name].annotation
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return type(None) in typing.get_args(annotation)
    return False
