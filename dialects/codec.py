"""Declarative, two-way field maps between a dialect's payloads and canonical records.

A resource's :class:`Codec` is a table of :class:`Field` rows read top to bottom:
wire name, canonical field, converter. The same table decodes (wire ->
canonical patch) and encodes (canonical record -> wire dict, in table order),
on the server side (requests in, responses out) and on the client side
(requests out, responses in).

Loss safety. A converter that shows some canonical values only approximately
(a code table's ``nearest`` text, a decimal cut to two places, a timestamp to
the second) says so with ``exact(value, ctx)`` (:class:`Lossy`). Two things
follow for every field of every dialect:

- :meth:`Codec.decode` given the ``current`` record keeps its value when a
  write sends back what that value is shown as: a DrChrono client that reads a
  non-binary patient's gender as "Other" and sends "Other" back changes
  nothing, while "Male" changes it.
- :meth:`Codec.encode` with ``on_loss`` (or a ``losses`` list) reports each
  value shown only as its nearest and each value the dialect has no field for
  (:class:`Loss`); ``"warn"`` logs the field names, ``"raise"`` raises
  :class:`LossError`, as sqlglot's ``unsupported_level``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from enum import Enum
from typing import Any, Generic, Literal, Protocol, TypeVar

from pydantic_core import PydanticUndefined

from canonical import Backend, Invalid, Record, Ref, RefTo
from dialects.limits import value_problem

__all__ = [
    "Codec",
    "CodecContext",
    "Converter",
    "EnumMap",
    "Field",
    "Loss",
    "LossError",
    "LossLevel",
    "Lossy",
    "load_refs",
    "round_trips",
]

E = TypeVar("E", bound=Enum)

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class CodecContext:
    """What a converter may need beyond the value: the tenant's zone, the clock,
    referenced records for display companions, and per-request dialect options."""

    tz: tzinfo = UTC
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    refs: dict[tuple[str, int], Record] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)
    watermark: datetime | None = None
    """Every write stamped before this instant was visible when the request began:
    the safe "changed since" value to hand a syncing client (never later than ``now``)."""

    def ref_record(self, resource: str, ref: Ref | None) -> Record | None:
        if ref is None or ref.num is None:
            return None
        return self.refs.get((resource, ref.num))


class Converter(Protocol):
    """Turns one canonical value into its wire form and back.

    ``from_wire`` raises ``ValueError`` with a message for the client when the
    raw value is not acceptable.
    """

    def to_wire(self, value: Any, ctx: CodecContext) -> Any: ...

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any: ...


class Lossy(Protocol):
    """A converter that shows some canonical values only approximately.

    ``exact`` says whether ``to_wire(value)`` shows ``value`` exactly, so that
    reading the shown text back gives ``value`` again. A converter without it
    is taken to be exact for every value.
    """

    def exact(self, value: Any, ctx: CodecContext) -> bool: ...


def round_trips(conv: Converter, value: Any, ctx: CodecContext) -> bool:
    """Whether reading ``conv``'s wire value for ``value`` back gives ``value``:
    ``exact`` for a converter that rounds, truncates or reformats."""
    try:
        return bool(conv.from_wire(conv.to_wire(value, ctx), ctx) == value)
    except ValueError:
        return False


class EnumMap(Generic[E]):
    """A code table: wire text <-> canonical enum member. The reverse is computed.

    ``nearest`` gives the wire value for a canonical member this dialect has no
    exact text for (the original is kept in the record, so nothing is lost).
    """

    def __init__(
        self,
        table: Mapping[str, E],
        *,
        nearest: Mapping[E, str] | None = None,
        case_insensitive: bool = False,
    ) -> None:
        self.table = dict(table)
        self.reverse: dict[E, str] = {}
        for wire, member in self.table.items():
            self.reverse.setdefault(member, wire)
        self.nearest = dict(nearest or {})
        self.case_insensitive = case_insensitive
        self._folded = {k.lower(): v for k, v in self.table.items()}

    def to_wire(self, value: E | None, ctx: CodecContext) -> Any:
        if value is None:
            return None
        try:
            return self.reverse[value]
        except KeyError:
            return self.nearest[value]

    def from_wire(self, raw: Any, ctx: CodecContext) -> E:
        if isinstance(raw, str):
            hit = self.table.get(raw)
            if hit is None and self.case_insensitive:
                hit = self._folded.get(raw.lower())
            if hit is not None:
                return hit
        allowed = ", ".join(f'"{k}"' for k in self.table)
        raise ValueError(f"must be one of {allowed}")

    def exact(self, value: E | None, ctx: CodecContext | None = None) -> bool:
        """Whether ``value`` has text of its own (not only a ``nearest`` one)."""
        return value is None or value in self.reverse


@dataclass(frozen=True, slots=True)
class Field:
    """One row of a field map.

    ``canonical`` is the canonical field (``None`` for a value computed at
    encode time, such as a server clock). ``ref`` names the resource a display
    companion reads (``provAbbr`` shows the provider's abbreviation), so the
    records it needs can be loaded before encoding. ``extension`` keeps a value
    no canonical field expresses in ``record.extensions[dialect]``.
    """

    wire: str
    canonical: str | None
    conv: Converter
    read_only: bool = False
    write_only: bool = False
    ref: RefTo | None = None
    precedence: int = 0
    """When two wire fields feed one canonical field, the higher precedence wins."""
    extension: bool = False
    accepts: frozenset[str] | str | None = None
    """The write methods whose body may carry this key (``"POST PUT"``); ``None``:
    every write method of the resource, unless ``read_only``. Together the rows
    are the resource's input model for each method (:meth:`Codec.accepted`)."""
    required: frozenset[str] | str = frozenset()
    """The write methods whose body must carry this key (``"POST"``)."""

    def __post_init__(self) -> None:
        # Written as "POST PUT" in the tables for reading; kept as sets for lookups.
        if isinstance(self.accepts, str):
            object.__setattr__(self, "accepts", frozenset(self.accepts.split()))
        if isinstance(self.required, str):
            object.__setattr__(self, "required", frozenset(self.required.split()))

    def accepted_on(self, method: str) -> bool:
        """Whether a ``method`` body may carry this key."""
        if self.read_only:
            return False
        return self.accepts is None or method in self.accepts

    def required_on(self, method: str) -> bool:
        """Whether a ``method`` body must carry this key."""
        return method in self.required


IgnoredPolicy = Literal["ignore", "reject"]

LossLevel = Literal["ignore", "warn", "raise"]
"""What :meth:`Codec.encode` does with a :class:`Loss`: nothing, log it, raise."""

LossKind = Literal["nearest", "omitted"]


@dataclass(frozen=True, slots=True)
class Loss:
    """One canonical value a dialect cannot show exactly.

    ``kind`` is ``"nearest"`` for a value shown as its nearest equivalent under
    the ``wire`` key, ``"omitted"`` for a value the dialect has no key for
    (``wire`` is then ``None``; ``canonical`` is the canonical field, or
    ``extensions.<dialect>.<key>`` for a value another dialect keeps). No value
    is carried: a loss can be logged without patient data.
    """

    wire: str | None
    canonical: str
    kind: LossKind

    def __str__(self) -> str:
        if self.kind == "nearest":
            return f"{self.canonical} (shown as the nearest {self.wire})"
        return f"{self.canonical} (omitted)"


class LossError(Exception):
    """Raised by ``on_loss="raise"``: the record has values the dialect cannot show."""

    def __init__(self, dialect: str, resource: str, losses: Sequence[Loss]) -> None:
        self.dialect = dialect
        self.resource = resource
        self.losses = tuple(losses)
        super().__init__(f"{dialect} cannot show this {resource} exactly: {_describe(losses)}")


def _describe(losses: Iterable[Loss]) -> str:
    return ", ".join(str(loss) for loss in losses)


class Codec:
    """The field map of one resource in one dialect."""

    def __init__(
        self,
        dialect: str,
        model: type[Record],
        fields: Sequence[Field],
        *,
        read_only: IgnoredPolicy = "ignore",
        ref_labels: Mapping[str, str] | None = None,
        normalize: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    ) -> None:
        self.dialect = dialect
        self.model = model
        self.fields = tuple(fields)
        self.read_only_policy = read_only
        self.by_wire = {f.wire: f for f in self.fields}
        self.labels: dict[str, str] = {}
        """canonical field -> the wire name clients know it by (for messages)."""
        for f in self.fields:
            if f.canonical and not f.read_only:
                self.labels.setdefault(f.canonical, f.wire)
        self.normalize = normalize
        """Applied to every decoded patch: dialect conventions such as "0 means none"."""
        self.ref_labels = {**self.labels, **(ref_labels or {})}
        """canonical reference field -> how a "not found" message names it."""
        self.ref_fields = [(f.canonical, f.ref) for f in self.fields if f.ref and f.canonical]
        self.lossy: dict[str, Callable[[Any, CodecContext], bool]] = {
            f.wire: f.conv.exact
            for f in self.fields
            if f.canonical is not None and not f.extension and hasattr(f.conv, "exact")
        }
        """wire -> ``exact`` of the rows whose converter shows some values approximately."""
        mapped = {f.canonical for f in self.fields if f.canonical is not None}
        self.unmapped: tuple[tuple[str, Any], ...] = tuple(
            (name, info.get_default(call_default_factory=True))
            for name, info in model.model_fields.items()
            if name not in mapped and name not in Record.model_fields
        )
        """The canonical fields (and their defaults) no row shows: bookkeeping
        fields every record has (ids, version, stamps, extensions) aside."""
        self.extension_keys = frozenset(f.wire for f in self.fields if f.extension)

    # -- encode ------------------------------------------------------------

    def encode(
        self,
        record: Record,
        ctx: CodecContext,
        *,
        only: Iterable[str] | None = None,
        request: bool = False,
        on_loss: LossLevel = "ignore",
        losses: list[Loss] | None = None,
    ) -> dict[str, Any]:
        """The record as this dialect shows it; with ``request``, as a client
        sends it to a server of this dialect (writable fields only).

        ``on_loss`` says what to do when the record has values this dialect
        shows only as their nearest or not at all (:meth:`losses`): ``"ignore"``
        (the default: nothing is checked), ``"warn"`` (logged, field names only),
        ``"raise"`` (:class:`LossError`). A ``losses`` list given is extended
        with them, whatever the level.
        """
        names = None if only is None else set(only)
        ext = record.extensions.get(self.dialect, {})
        out: dict[str, Any] = {}
        for f in self.fields:
            if names is not None and f.wire not in names:
                continue
            if request and (f.read_only or (f.canonical is None and not f.extension)):
                continue
            if f.write_only and not request:
                continue
            if f.extension:
                out[f.wire] = f.conv.to_wire(ext.get(f.wire), ctx)
                continue
            value = getattr(record, f.canonical) if f.canonical else None
            out[f.wire] = f.conv.to_wire(value, ctx)
        if on_loss != "ignore" or losses is not None:
            self.report(self.losses(record, ctx, only=names, request=request), on_loss, losses)
        return out

    def losses(
        self,
        record: Record,
        ctx: CodecContext,
        *,
        only: Iterable[str] | None = None,
        request: bool = False,
    ) -> list[Loss]:
        """What :meth:`encode` (with the same ``only`` and ``request``) cannot
        show exactly: each shown value that is only its nearest, in table order,
        then each canonical field set on the record that no row shows, then each
        extension value no row of this dialect shows (other dialects' all)."""
        names = None if only is None else set(only)
        out: list[Loss] = []
        for f in self.fields:
            exact = self.lossy.get(f.wire)
            if exact is None or (names is not None and f.wire not in names):
                continue
            if (request and f.read_only) or (f.write_only and not request):
                continue  # not shown (the same rows encode leaves out)
            assert f.canonical is not None
            if not exact(getattr(record, f.canonical), ctx):
                out.append(Loss(f.wire, f.canonical, "nearest"))
        for name, default in self.unmapped:
            if _is_set(getattr(record, name), default):
                out.append(Loss(None, name, "omitted"))
        for dialect, values in record.extensions.items():
            for key in values:
                if dialect != self.dialect or key not in self.extension_keys:
                    out.append(Loss(None, f"extensions.{dialect}.{key}", "omitted"))
        return out

    def report(self, found: list[Loss], on_loss: LossLevel, into: list[Loss] | None = None) -> None:
        """Act on ``found`` as ``on_loss`` says; append them to ``into``."""
        if on_loss not in ("ignore", "warn", "raise"):
            raise ValueError(f'on_loss must be "ignore", "warn" or "raise", not {on_loss!r}')
        if into is not None:
            into.extend(found)
        if not found or on_loss == "ignore":
            return
        if on_loss == "raise":
            raise LossError(self.dialect, self.model.resource, found)
        logger.warning(
            "%s %s shown with losses: %s", self.dialect, self.model.resource, _describe(found)
        )

    # -- decode ------------------------------------------------------------

    def decode(
        self,
        payload: Mapping[str, Any],
        ctx: CodecContext,
        *,
        ignore: Iterable[str] = (),
        allow_unknown: bool = False,
        include_read_only: bool = False,
        current: Record | None = None,
    ) -> dict[str, Any]:
        """The canonical patch the payload asks for: only the fields it carries.

        Every problem is collected and raised together as one :class:`Invalid`
        naming each wire field.

        ``current`` is the record a write (PUT, PATCH) changes: a field sent back
        as what its current value is shown as (that value's nearest text, or
        anything that reads the same) keeps the current value, so a
        read-modify-write through a dialect that cannot show it loses nothing.
        """
        errors: dict[str, str] = {}
        patch: dict[str, Any] = {}
        ranks: dict[str, int] = {}
        extensions: dict[str, Any] = {}
        skip = set(ignore)
        for wire, raw in payload.items():
            f = self.by_wire.get(wire)
            if f is None:
                if not allow_unknown:
                    errors[wire] = f"{wire} is not a valid field."
                continue
            if f.read_only and include_read_only and f.canonical is not None:
                pass
            elif wire in skip or f.read_only:
                if f.read_only and self.read_only_policy == "reject":
                    errors[wire] = f"{wire} is read-only."
                continue
            near = None if current is None else self._nearest(f, current, ctx)
            try:
                # The raw value, then what the converter made of it ("99...9" as an int).
                problem = value_problem(raw)
                if near is not None and problem is None and _same(raw, near[1]):
                    value = near[0]  # the current value's own nearest text, sent back
                else:
                    value = f.conv.from_wire(raw, ctx) if problem is None else None
                    problem = problem or value_problem(value)
                    if problem is not None:
                        raise ValueError(problem)
                    if near is not None and _reads_as(f.conv, near[1], ctx, value):
                        value = near[0]
            except ValueError as exc:
                errors[wire] = f"{wire} {exc}".rstrip(".") + "."
                continue
            if f.extension:
                extensions[wire] = value
                continue
            assert f.canonical is not None
            rank = f.precedence
            if f.canonical in patch:
                value = _combine(
                    patch[f.canonical], ranks[f.canonical], value, rank, merge=include_read_only
                )
                rank = max(rank, ranks[f.canonical])
            patch[f.canonical] = value
            ranks[f.canonical] = rank
        if errors:
            raise Invalid(" ".join(errors.values()), errors)
        if extensions:
            patch["extensions"] = {self.dialect: extensions}
        return self.normalize(patch) if self.normalize else patch

    def keep_shown(
        self,
        patch: Mapping[str, Any],
        payload: Mapping[str, Any],
        current: Record,
        ctx: CodecContext,
    ) -> dict[str, Any]:
        """``patch`` (decoded from ``payload`` without ``current``) with the
        current value kept wherever the payload sent back what it is shown as:
        :meth:`decode`'s ``current`` for a handler that validates the body
        before it looks the record up."""
        out = dict(patch)
        for wire in payload:
            f = self.by_wire.get(wire)
            if f is None or f.canonical is None or f.canonical not in patch:
                continue
            near = self._nearest(f, current, ctx)
            if near is not None and _reads_as(f.conv, near[1], ctx, patch[f.canonical]):
                out[f.canonical] = near[0]
        return out

    def _nearest(self, f: Field, current: Record, ctx: CodecContext) -> tuple[Any, Any] | None:
        """``current``'s value of ``f`` and the wire value it is shown as, when that
        is only its nearest (``None`` when the row shows it exactly)."""
        exact = self.lossy.get(f.wire)
        if exact is None or f.canonical is None:
            return None
        value = getattr(current, f.canonical)
        return None if exact(value, ctx) else (value, f.conv.to_wire(value, ctx))

    def accepted(self, method: str) -> tuple[str, ...]:
        """The keys a ``method`` (POST, PUT, PATCH) body may carry, in table order."""
        return tuple(dict.fromkeys(f.wire for f in self.fields if f.accepted_on(method)))

    def required(self, method: str) -> tuple[str, ...]:
        """The keys a ``method`` body must carry, in table order."""
        return tuple(dict.fromkeys(f.wire for f in self.fields if f.required_on(method)))

    def wire_name(self, canonical: str) -> str:
        return self.labels.get(canonical, canonical)


def _same(raw: Any, shown: Any) -> bool:
    """``raw`` is exactly the wire value shown (``True`` is not ``1``)."""
    return type(raw) is type(shown) and raw == shown


def _reads_as(conv: Converter, shown: Any, ctx: CodecContext, value: Any) -> bool:
    """The shown wire value reads back as ``value`` (the same text in another
    form: another case, a number for its string)."""
    try:
        return bool(conv.from_wire(shown, ctx) == value)
    except ValueError:
        return False


def _is_set(value: Any, default: Any) -> bool:
    """A canonical value worth showing: not empty, and not the field's default."""
    if value is None or value == "" or (isinstance(value, list | dict | set | tuple) and not value):
        return False
    return default is PydanticUndefined or bool(value != default)


def _combine(old: Any, old_rank: int, new: Any, new_rank: int, *, merge: bool) -> Any:
    """Two wire fields feeding one canonical field: the higher precedence wins.

    Reading a full record (``merge``), two references are merged instead: the id
    from one, the display name from its companion; two mappings are merged key
    by key.
    """
    first, second = (new, old) if new_rank >= old_rank else (old, new)
    if merge and isinstance(first, dict) and isinstance(second, dict):
        return {**second, **first}  # parts of one mapping (DrChrono's insurance objects)
    if merge and isinstance(first, Ref) and isinstance(second, Ref):
        return Ref(
            uuid=first.uuid or second.uuid,
            num=first.num if first.num is not None else second.num,
            name=first.name or second.name,
        )
    return first


def merge_patch(record: Record | None, model: type[Record], patch: Mapping[str, Any]) -> Record:
    """Apply a canonical patch (from :meth:`Codec.decode`) and validate the result."""
    base: dict[str, Any] = {} if record is None else dict(record)
    for key, value in patch.items():
        if key == "extensions":
            merged = {d: dict(v) for d, v in base.get("extensions", {}).items()}
            for d, values in value.items():
                merged.setdefault(d, {}).update(values)
            base["extensions"] = merged
        else:
            base[key] = value
    return model.model_validate(base)


async def load_refs(
    backend: Backend, codec: Codec, records: Iterable[Record]
) -> dict[tuple[str, int], Record]:
    """Fetch every record the codec's display companions show, one query per resource."""
    from canonical import model_for

    wanted: dict[str, set[int]] = {}
    recs = list(records)
    for name, target in codec.ref_fields:
        assert target is not None
        for r in recs:
            ref = getattr(r, name)
            if isinstance(ref, Ref) and ref.num:
                wanted.setdefault(target.resource, set()).add(ref.num)
    out: dict[tuple[str, int], Record] = {}
    for resource, nums in wanted.items():
        for num, rec in (await backend.get_many(model_for(resource), nums)).items():
            out[(resource, num)] = rec
    return out


def simple(to_wire: Callable[[Any], Any], from_wire: Callable[[Any], Any]) -> Converter:
    """A converter from two plain functions (no context needed)."""

    class _Simple:
        def to_wire(self, value: Any, ctx: CodecContext) -> Any:
            return to_wire(value)

        def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
            return from_wire(raw)

    return _Simple()
