"""Foreign keys between the gateway's ids and the upstream's, both ways.

A record bound for the upstream carries the upstream's key as its own
identity and in every reference (``num`` for an integer upstream, ``uuid``
for the org API); a record coming back carries the gateway's ``num`` and
``uuid`` again. Every :class:`~canonical.Ref` field is found from the model's
``RefTo`` annotations, single references and lists of them alike.

Decisions:

- A reference given only by name (Open Dental's ``commType``) passes as it is:
  the upstream resolves its own names.
- Inbound, a reference to a record not mirrored yet reserves a crosswalk entry
  (see :mod:`.crosswalk`); nothing is fetched on demand, so a pull never
  fans out into one request per reference.
- Outbound, a reference without a crosswalk entry to a record the upstream
  showed by name alone (a placeholder, see :mod:`.mirror`) goes by that name;
  else it is passed through unchanged
  on an integer upstream when its resource is one the upstream client does
  not serve (Open Dental users, task lists, procedure codes: the upstream
  alone knows them and judges the number), and refused as
  :class:`~canonical.Invalid` otherwise (a record that exists only here cannot
  be named to the upstream).
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar

import sqlalchemy as sa

from canonical import Invalid, Record, Ref, RefTo
from dialects.client import Key
from gateway.backends.upstream.crosswalk import Crosswalk

__all__ = ["inbound", "outbound", "ref_fields"]

R = TypeVar("R", bound=Record)


@cache
def ref_fields(model: type[Record]) -> tuple[tuple[str, str, bool], ...]:
    """(field, target resource, is a list) of every reference field of ``model``."""
    out = []
    for name, info in model.model_fields.items():
        target = next((m for m in info.metadata if isinstance(m, RefTo)), None)
        if target is not None:
            out.append((name, target.resource, False))
            continue
        if typing.get_origin(info.annotation) is list:
            (arg,) = typing.get_args(info.annotation)
            meta = getattr(arg, "__metadata__", ())
            target = next((m for m in meta if isinstance(m, RefTo)), None)
            if target is not None:
                out.append((name, target.resource, True))
    return tuple(out)


def _each_ref(record: R, convert: Callable[[str, str, Ref], Ref]) -> R:
    update: dict[str, Any] = {}
    for name, resource, is_list in ref_fields(type(record)):
        value = getattr(record, name)
        if is_list:
            update[name] = [convert(name, resource, r) for r in value]
        elif isinstance(value, Ref):
            update[name] = convert(name, resource, value)
    return record.model_copy(update=update)


def _upstream_ref(key: Key, name: str | None) -> Ref:
    if isinstance(key, int):
        return Ref(num=key, name=name)
    return Ref(uuid=key, name=name)


def outbound(
    conn: sa.Connection,
    xw: Crosswalk,
    record: R,
    *,
    key: Key | None,
    served: Callable[[str], bool],
    upstream: str,
) -> R:
    """``record`` in the upstream's id space (``key``: its own, ``None`` on a create)."""

    def convert(field: str, resource: str, ref: Ref) -> Ref:
        if ref.num is None and ref.uuid is None:
            return ref
        entry = None
        if ref.num is not None:
            entry = xw.by_num(conn, resource, ref.num)
        elif ref.uuid is not None:
            entry = xw.by_uuid(conn, resource, ref.uuid)
        if entry is not None:
            return _upstream_ref(entry.key, ref.name)
        if not served(resource) and ref.name:  # a placeholder: named as the upstream showed it
            return Ref(name=ref.name)
        if not xw.uuid_keyed and not served(resource) and ref.num is not None:
            return Ref(num=ref.num)
        raise Invalid.field(field, f"the {resource} it names is not on {upstream}.")

    out = _each_ref(record, convert)
    identity: dict[str, Any] = {"num": None, "uuid": None}
    if key is not None:
        identity["uuid" if xw.uuid_keyed else "num"] = key
    return out.model_copy(update=identity)


def inbound(conn: sa.Connection, xw: Crosswalk, record: R) -> R:
    """``record``'s references in the gateway's id space (its own identity is left
    to the caller, who knows whether it is new)."""

    def convert(field: str, resource: str, ref: Ref) -> Ref:
        key: Key | None = ref.uuid if xw.uuid_keyed else ref.num
        if key is None:
            return ref
        entry = xw.reserve(conn, resource, key)
        return Ref(num=entry.num, uuid=entry.uuid, name=ref.name)

    return _each_ref(record, convert)
