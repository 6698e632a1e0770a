"""One resource engine for every dialect.

A resource is declared once: its codec (which names the canonical model and,
through the :class:`~dialects.codec.Field` flags, what each write method
accepts and requires), its paths, its operations, its filters and order, and
the few named functions its irregular rules need. The engine derives the
server endpoints from that declaration; the client side reads the same
declaration (``operations``, ``codec.accepted(method)``, ``paging``).

Each dialect subclasses :class:`Resource` once, setting its conventions as
class-level settings (paging, body parsing, success statuses, how a PUT
treats absent keys, ...) and overriding the steps its dialect does
differently (how input keys are checked, how a record is looked up, how an
error names a field). A resource module then only declares instances.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import pydantic

from canonical import Conflict, Invalid, NotFound, Order, Query, Record
from dialects.base import Call, Endpoint, Reply
from dialects.codec import Codec, merge_patch
from dialects.paging import Paging
from dialects.params import Params

__all__ = [
    "METHOD_OF",
    "OPERATIONS",
    "Operation",
    "Resource",
]

Operation = Literal["list", "read", "create", "replace", "update", "delete", "archive"]
OPERATIONS: tuple[Operation, ...] = (
    "list",
    "read",
    "create",
    "replace",
    "update",
    "delete",
    "archive",
)
METHOD_OF: dict[str, str] = {
    "list": "GET",
    "read": "GET",
    "create": "POST",
    "replace": "PUT",
    "update": "PATCH",
    "delete": "DELETE",
    "archive": "POST",
}
"""The HTTP method of each operation (the codec's field flags name methods)."""

# The query as the dialect's own Params subclass (its typed readers).
Filter = Callable[[Call, Any, Query], Awaitable[None]]
Prepare = Callable[[Call, dict[str, Any], Record | None], Awaitable[dict[str, Any]]]
Extra = Callable[[Call, Mapping[str, Any], dict[str, Any], Record | None], Awaitable[None]]
View = Callable[[Call, list[Record], bool], Awaitable[list[Record]]]
Computed = Callable[[Call, list[Record], bool], Awaitable[dict[int, dict[str, Any]]]]
After = Callable[[Call, Record, Mapping[str, Any], bool], Awaitable[Record]]


@dataclass(frozen=True)
class Resource:
    """One resource of one dialect: a collection path and its record path.

    ``filters`` turns the query into conditions; ``extra`` decodes body keys
    the field map cannot alone (nested objects) into the patch; ``prepare`` completes or checks a decoded patch before it
    is stored (``record`` is ``None`` on create); ``after`` writes what hangs
    off a saved record inside the same transaction (told whether it was just
    created); ``view`` gives the records as shown and ``computed`` the wire
    values of computed read-only keys per record num for a whole page.
    ``verbose`` keys are shown only when the dialect's verbose switch is on.
    """

    path: str
    codec: Codec
    scope: str | None = None
    operations: tuple[Operation, ...] = ("list", "read", "create", "replace", "update", "delete")
    item: str = "id"
    """Path parameter naming one record."""
    verbose: tuple[str, ...] = ()
    filters: Filter | None = None
    order: tuple[Order, ...] = (Order("num"),)
    extra: Extra | None = None
    prepare: Prepare | None = None
    after: After | None = None
    view: View | None = None
    computed: Computed | None = None
    include_archived: bool = False
    """Archived records stay readable (and writable) by id."""

    # -- the dialect's conventions (set once per dialect) --------------------------

    paging: ClassVar[Paging]
    """How a list is paged, and the shape of a page."""
    slashed: ClassVar[bool] = False
    """Every path is also served with a trailing slash."""
    list_posts: ClassVar[bool] = False
    """A POST may carry a list of objects: all are created, or none."""
    put_replaces: ClassVar[bool] = False
    """A PUT resets every writable key it leaves out to its default."""
    statuses: ClassVar[Mapping[str, int]] = {
        "create": 201,
        "replace": 200,
        "update": 200,
        "delete": 204,
        "archive": 200,
    }
    """Success status of each write operation."""
    silent: ClassVar[frozenset[str]] = frozenset({"delete"})
    """Write operations answered without a body."""

    @property
    def model(self) -> type[Record]:
        return self.codec.model

    @property
    def one(self) -> str:
        return f"{self.path}/{{{self.item}}}"

    # -- endpoints ---------------------------------------------------------------

    def routes(self) -> list[tuple[str, str, Callable[[Call], Awaitable[Reply]]]]:
        """(method, path, handler) for each declared operation."""
        table: dict[str, tuple[str, str, Callable[[Call], Awaitable[Reply]]]] = {
            "list": ("GET", self.path, self.list_),
            "read": ("GET", self.one, self.read),
            "create": ("POST", self.path, self.create),
            "replace": ("PUT", self.one, self.replace),
            "update": ("PATCH", self.one, self.update),
            "delete": ("DELETE", self.one, self.delete),
            "archive": ("POST", f"{self.one}/archive", self.archive),
        }
        return [table[op] for op in OPERATIONS if op in self.operations]

    def endpoints(self) -> list[Endpoint]:
        name = self.model.resource
        out: list[Endpoint] = []
        for method, path, handler in self.routes():
            for served in (path, path + "/") if self.slashed else (path,):
                out.append(Endpoint(method, served, handler, name, self.scope))
        return out

    # -- steps a dialect may do its own way ---------------------------------------

    def params(self, call: Call, operation: Operation) -> Params:
        """The query of ``call``; refuse what the operation does not take."""
        return Params(call.query)

    def body(self, call: Call, operation: Operation) -> dict[str, Any] | list[Any]:
        """The parsed request body (a list only where ``list_posts``)."""
        raise NotImplementedError

    def check_input(self, body: Mapping[str, Any], method: str) -> None:
        """Refuse keys ``method`` does not accept; require the required ones.

        A resource with a body rule the field flags cannot say (DrChrono
        appointments: ``patient`` sent, though it may be null) overrides this."""

    def decode(self, call: Call, body: Mapping[str, Any], current: Record | None) -> dict[str, Any]:
        """The canonical patch ``body`` asks for."""
        return self.codec.decode(body, call.ctx, current=current)

    def record_id(self, call: Call) -> dict[str, Any]:
        """The lookup (``num=`` or ``uuid=``) the path names; ``NotFound`` when malformed."""
        raise NotImplementedError

    def not_found(self) -> NotFound:
        return NotFound("Not found.", resource=self.model.resource)

    async def fetch(self, call: Call, *, include_deleted: bool = False) -> Record:
        """The record the path names, or the dialect's 404."""
        try:
            key = self.record_id(call)
            return await call.backend.get(
                self.model, include_deleted=include_deleted or self.include_archived, **key
            )
        except NotFound:
            raise self.not_found() from None

    def base_version(self, call: Call, body: Mapping[str, Any], operation: Operation) -> int | None:
        """The version a write is based on, where the dialect has one."""
        return None

    async def guard_create(self, call: Call, run: Callable[[], Awaitable[Reply]]) -> Reply:
        """Run a create (idempotency keys, where the dialect has them)."""
        return await run()

    async def owner_patch(self, call: Call, patch: dict[str, Any]) -> None:
        """Fill what a create takes from the path or the credential."""

    def reply(self, call: Call, operation: Operation, body: Any, record: Record | None) -> Reply:
        """A write's answer: its status, and the record unless the operation is silent."""
        status = self.statuses[operation]
        return Reply(status, None if operation in self.silent else body)

    def invalid_reference(self, error: NotFound, patch: Mapping[str, Any]) -> Exception:
        """What a reference to nothing raises (default: the 404 as it is)."""
        return error

    def invalid_record(self, error: pydantic.ValidationError) -> Invalid:
        """A patch that does not make a valid record: each problem named by its wire key."""
        fields: dict[str, str] = {}
        for err in error.errors():
            name = str(err["loc"][0]) if err["loc"] else "non_field_errors"
            fields.setdefault(self.codec.wire_name(name), err["msg"])
        return Invalid(" ".join(f"{k}: {v}" for k, v in fields.items()), fields)

    def is_verbose(self, params: Params) -> bool:
        return False

    # -- reads ---------------------------------------------------------------------

    def hidden(self, params: Params) -> tuple[str, ...]:
        return () if self.is_verbose(params) else self.verbose

    async def present(
        self, call: Call, records: list[Record], params: Params, hidden: Iterable[str]
    ) -> list[dict[str, Any]]:
        """Records as shown: ``view``, ``computed`` keys, without the ``hidden`` keys."""
        from dialects.render import render

        is_verbose = self.is_verbose(params)
        if self.view is not None:
            records = await self.view(call, records, is_verbose)
        keys = None if self.computed is None else await self.computed(call, records, is_verbose)
        return await render(call, self.codec, records, hidden, keys)

    async def list_(self, call: Call) -> Reply:
        params = self.params(call, "list")
        query = Query(order=list(self.order))
        if self.filters is not None:
            await self.filters(call, params, query)
        hidden = self.hidden(params)

        async def show(records: list[Record]) -> list[dict[str, Any]]:
            return await self.present(call, records, params, hidden)

        return await self.paging.reply(call, self.model, query, params, show)

    async def read(self, call: Call) -> Reply:
        params = self.params(call, "read")
        record = await self.fetch(call)
        return Reply(200, (await self.present(call, [record], params, self.hidden(params)))[0])

    # -- writes --------------------------------------------------------------------

    async def create(self, call: Call) -> Reply:
        params = self.params(call, "create")
        data = self.body(call, "create")
        if isinstance(data, list):
            return await self.create_many(call, data, params)

        async def run() -> Reply:
            async with call.backend.atomic():
                record = await self.create_one(call, data)
                # A created object shows every key: verbose ones are left out only on reads.
                shown = (await self.present(call, [record], params, ()))[0]
            return self.reply(call, "create", shown, record)

        return await self.guard_create(call, run)

    async def create_many(self, call: Call, items: list[Any], params: Params) -> Reply:
        """A list POST (where ``list_posts``): every object, or none."""
        raise Invalid("Expected an object.")

    async def create_one(self, call: Call, body: Mapping[str, Any]) -> Record:
        self.check_input(body, "POST")
        patch = self.decode(call, body, None)
        await self.owner_patch(call, patch)
        if self.extra is not None:
            await self.extra(call, body, patch, None)
        if self.prepare is not None:
            patch = await self.prepare(call, patch, None)
        record = await call.backend.create(await self.complete(call, None, patch))
        return record if self.after is None else await self.after(call, record, body, True)

    async def replace(self, call: Call) -> Reply:
        return await self.write(call, "replace")

    async def update(self, call: Call) -> Reply:
        return await self.write(call, "update")

    async def write(self, call: Call, operation: Operation) -> Reply:
        """PUT or PATCH one record."""
        params = self.params(call, operation)
        method = METHOD_OF[operation]
        record = await self.fetch(call)
        data = self.body(call, operation)
        if not isinstance(data, dict):
            raise Invalid("Expected an object.", {"non_field_errors": "Expected an object."})
        base = self.base_version(call, data, operation)
        body = {k: v for k, v in data.items() if k != "base_version"} if base else data
        self.check_input(body, method)
        patch = self.decode(call, body, record)
        if operation == "replace" and self.put_replaces:
            self.reset_absent(patch, body)
        async with call.backend.atomic():
            if self.extra is not None:
                await self.extra(call, body, patch, record)
            if self.prepare is not None:
                patch = await self.prepare(call, patch, record)
            updated = await self.complete(call, record, patch)
            saved = await self.save(call, record, updated, patch, base)
            if self.after is not None:
                saved = await self.after(call, saved, body, False)
        shown = None
        if operation not in self.silent:
            shown = (await self.present(call, [saved], params, ()))[0]
        return self.reply(call, operation, shown, saved)

    async def save(
        self,
        call: Call,
        record: Record,
        updated: Record,
        patch: Mapping[str, Any],
        base: int | None,
    ) -> Record:
        """Store a PUT or PATCH of ``record`` (``patch``: what it changes), based on
        ``base`` or else on the version read."""
        return await call.backend.update(
            updated, base_version=base if base is not None else record.version
        )

    def reset_absent(self, patch: dict[str, Any], body: Mapping[str, Any]) -> None:
        """PUT replaces: a writable key left out takes its default."""
        for f in self.codec.fields:
            if f.read_only or f.write_only or f.extension or f.canonical is None:
                continue
            info = self.model.model_fields[f.canonical]
            if f.canonical not in patch and f.wire not in body and not info.is_required():
                patch[f.canonical] = info.get_default(call_default_factory=True)

    async def delete(self, call: Call) -> Reply:
        self.params(call, "delete")
        record = await self.fetch(call)
        assert record.num is not None
        await call.backend.delete(self.model, record.num)
        return self.reply(call, "delete", None, None)

    async def archive(self, call: Call) -> Reply:
        """Soft delete (:meth:`soft_delete`); archiving again answers it unchanged."""
        params = self.params(call, "archive")
        data = self.body(call, "archive") if call.body.strip() else {}
        base = self.base_version(call, data if isinstance(data, dict) else {}, "archive")
        record = await self.fetch(call, include_deleted=True)
        archived = await self.soft_delete(call, record, base)
        shown = None
        if "archive" not in self.silent:
            shown = (await self.present(call, [archived], params, ()))[0]
        return self.reply(call, "archive", shown, archived)

    async def soft_delete(self, call: Call, record: Record, base: int | None) -> Record:
        """Set ``deleted_at`` (409 when ``base`` is stale); an archived record is
        answered unchanged, unless ``base`` says the client saw another version."""
        if record.deleted_at is not None:
            if base is not None and base != record.version:
                raise Conflict(
                    f"{self.model.__name__} has changed (version {record.version}, "
                    f"base_version {base}).",
                    current_version=record.version,
                )
            return record
        stamped = record.model_copy(update={"deleted_at": call.ctx.now})
        return await call.backend.update(stamped, base_version=base)

    # -- helpers -------------------------------------------------------------------

    async def complete(self, call: Call, record: Record | None, patch: dict[str, Any]) -> Record:
        """Resolve references and validate: a bad reference or value names its key."""
        try:
            patch = await call.backend.resolve(self.model, patch, labels=self.codec.ref_labels)
        except NotFound as exc:
            raise self.invalid_reference(exc, patch) from None
        try:
            return merge_patch(record, self.model, patch)
        except pydantic.ValidationError as exc:
            raise self.invalid_record(exc) from None
