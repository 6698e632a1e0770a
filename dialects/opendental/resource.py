"""Open Dental's resource conventions (apiimplementation.md), set once for
every resource declared on :class:`dialects.resource.Resource`.

- Query parameters an endpoint does not take are a 400 naming them
  (:mod:`.params`); lists page with ``Offset``/``Limit`` (:mod:`.paging`).
- Bodies are one JSON object with ``Content-Type: application/json``
  (:mod:`.bodies`), carrying only the keys the method takes and every key it
  requires, as the codec's field flags say.
- The record in the path is a number (400 otherwise); an unknown one is a 404
  "<Model> not found.".
- POST answers 201 with the record and a ``Location``; PUT 200 with the
  record; DELETE 200 with no body. A PUT reads, checks and writes in one
  transaction: its rules depend on the record as stored.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pydantic

from canonical import Invalid, NotFound, Record
from dialects.base import Call, Reply
from dialects.codec import merge_patch
from dialects.opendental.bodies import check_keys, json_body
from dialects.opendental.paging import OffsetPaging
from dialects.opendental.params import Params
from dialects.opendental.records import not_found, num_in_path
from dialects.params import Params as BaseParams
from dialects.resource import METHOD_OF, Operation, Resource

__all__ = ["OpenDentalResource", "created"]

Drop = Callable[[dict[str, Any], str], dict[str, Any]]
Remove = Callable[[Call, Record], Awaitable[None]]
Written = Callable[[Call, Record], Awaitable[dict[str, Any]]]

WRITES = frozenset({"create", "replace"})


def created(call: Call, body: Any, path: str) -> Reply:
    """A POST's answer: 201, the record, and a ``Location`` naming it (``path``)."""
    return Reply(201, body, {"Location": f"{call.base_url}{path}"})


@dataclass(frozen=True)
class OpenDentalResource(Resource):
    """An Open Dental endpoint pair (``path`` and ``path/{item}``) over one canonical model.

    ``takes`` names the query parameters its list filters on; ``drop`` removes
    the keys a method silently ignores before anything is checked;
    ``exclusive`` pairs keys a body may not carry together; ``written`` shows
    the record in a write's answer when that differs from a read's;
    ``remove`` is what its DELETE does.
    """

    takes: tuple[str, ...] = ()
    """Query parameters of the list (beyond ``Offset``, ``Limit`` and the date formats)."""
    required_first: bool = False
    """Missing required keys are reported before the keys the method does not take."""
    exclusive: tuple[tuple[str, str], ...] = ()
    """Pairs of keys of which a body may carry only one."""
    drop: Drop | None = None
    """The body without the keys the method silently ignores."""
    resolved: bool = False
    """The rules resolve the patch's references themselves, in their own order."""
    keep_empty: bool = False
    """A PUT that changes no key is not saved: the record keeps its stamp."""
    written: Written | None = None
    """How a POST or PUT answer shows the record (default: as a GET does)."""
    remove: Remove | None = None
    """What DELETE does with the record (default: the backend deletes it)."""

    paging = OffsetPaging()
    """``Offset``/``Limit`` (at most 100) in, a plain JSON list out."""
    statuses = {"create": 201, "replace": 200, "update": 200, "delete": 200, "archive": 200}
    """Open Dental answers writes 201 (POST) or 200, never 204."""
    silent = frozenset({"delete"})
    """DELETE answers 200 with an empty body; POST and PUT answer with the record."""

    def params(self, call: Call, operation: Operation) -> BaseParams:
        takes = self.takes if operation == "list" else ()
        params = Params(call.query, call.ctx, takes=takes, operation=operation)
        if operation == "list":
            self.paging.window(params)  # a bad window is refused before any filter runs
        return params

    def body(self, call: Call, operation: Operation) -> dict[str, Any]:
        data = json_body(call)
        return data if self.drop is None else self.drop(data, METHOD_OF[operation])

    def check_input(self, body: Mapping[str, Any], method: str) -> None:
        check_keys(
            body,
            self.codec,
            method,
            required_first=self.required_first,
            exclusive_pairs=self.exclusive,
        )

    def decode(self, call: Call, body: Mapping[str, Any], current: Record | None) -> dict[str, Any]:
        return self.codec.decode(body, call.ctx, current=current)

    def record_id(self, call: Call) -> dict[str, Any]:
        return {"num": num_in_path(call.path_params[self.item], self.item)}

    def not_found(self) -> NotFound:
        return not_found(self.model)

    def reply(self, call: Call, operation: Operation, body: Any, record: Record | None) -> Reply:
        if operation == "create":
            assert record is not None
            return created(call, body, f"{self.path}/{record.num}")
        return super().reply(call, operation, body, record)

    def invalid_record(self, error: pydantic.ValidationError) -> Invalid:
        fields: dict[str, str] = {}
        for err in error.errors():
            name = self.codec.wire_name(str(err["loc"][0])) if err["loc"] else "Body"
            fields.setdefault(name, f"{name} {err['msg']}.")
        return Invalid(" ".join(fields.values()), fields)

    async def present(
        self, call: Call, records: list[Record], params: BaseParams, hidden: Iterable[str]
    ) -> list[dict[str, Any]]:
        if self.written is not None and isinstance(params, Params) and params.operation in WRITES:
            return [await self.written(call, r) for r in records]
        return await super().present(call, records, params, hidden)

    async def write(self, call: Call, operation: Operation) -> Reply:
        async with call.backend.atomic():
            return await super().write(call, operation)

    async def save(
        self,
        call: Call,
        record: Record,
        updated: Record,
        patch: Mapping[str, Any],
        base: int | None,
    ) -> Record:
        if self.keep_empty and not patch:
            return record
        return await super().save(call, record, updated, patch, base)

    async def complete(self, call: Call, record: Record | None, patch: dict[str, Any]) -> Record:
        if not self.resolved:
            return await super().complete(call, record, patch)
        try:
            return merge_patch(record, self.model, patch)
        except pydantic.ValidationError as exc:
            raise self.invalid_record(exc) from None

    async def delete(self, call: Call) -> Reply:
        if self.remove is None:
            return await super().delete(call)
        self.params(call, "delete")
        record = await self.fetch(call)
        await self.remove(call, record)
        return self.reply(call, "delete", None, None)
