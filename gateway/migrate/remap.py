"""A source record in the target's id space, and what the target cannot hold of it.

Every reference field (found from the models' ``RefTo`` annotations, as the
upstream backend finds them: :func:`gateway.backends.upstream.remap.ref_fields`)
is looked up in the crosswalk by the source key it carries and given the
target key the crosswalk holds.

Decisions:

- A reference whose record has no target key yet but is planned in this run
  (the same resource, or one later in the order) is left out for now and
  the record marked ``deferred``: it is written again, with the reference,
  once everything else moved.
- A reference whose record will not reach the target (a resource the target
  cannot hold, a record that failed or matched nothing) is left out and
  reported as a lost field (``field (not on the target)``); a name the
  reference carries (Open Dental's ``commType``) is kept, for the target to
  resolve by name. A patient-owned record whose patient is not on the target
  is not sent at all (:class:`Skip`): the target would refuse it anyway.
- A reference the target requires and the source has none for (a DrChrono
  doctor, for an org API patient) is the target's default of that resource
  when one is given (``default_provider`` of the ``[to]`` credentials),
  else the record fails, saying so.
- The record's own identity is cleared; on targets that take one (the org
  API's ``Idempotency-Key``, the store's ``uuid``) it is a UUID derived from
  the pair of ends, the resource and the source key, the same on every
  attempt, so a create sent twice makes one record.
- Lost fields are the target codec's own loss report for a create
  (:meth:`Codec.losses`: values shown only as their nearest, fields and
  other dialects' extensions it has no key for) and the fields it shows but
  does not accept on a create (read-only there).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID, uuid5

from canonical import Record, Ref
from dialects.codec import Codec, CodecContext
from gateway.backends.upstream.remap import ref_fields
from gateway.migrate.crosswalk import Crosswalk
from gateway.migrate.ends import End

__all__ = ["MIGRATION_NAMESPACE", "Mapped", "Skip", "derived_uuid", "lost_fields", "to_target"]

MIGRATION_NAMESPACE = UUID("7d1c9c0e-3f4b-5a61-8e2d-1b6f0a9c4e57")
OWNERS = ("patient",)
"""Reference fields whose record a record cannot exist without on a target."""


class Skip(Exception):
    """The record cannot be sent: the reason, with ids only; ``failed``: it is a
    failure (a reference the target requires), not a record left out on purpose."""

    def __init__(self, reason: str, *, failed: bool = False) -> None:
        super().__init__(reason)
        self.failed = failed


@dataclass(slots=True)
class Mapped:
    record: Record
    lost: list[str] = field(default_factory=list)
    deferred: bool = False


def derived_uuid(pair: str, resource: str, source_key: str) -> UUID:
    return uuid5(MIGRATION_NAMESPACE, f"{pair}/{resource}/{source_key}")


def to_target(
    record: Record,
    *,
    source: End,
    target: End,
    xw: Crosswalk,
    pending: set[str],
    may_defer: bool,
    identity: UUID | None,
    required: frozenset[str] = frozenset(),
    defaults: Mapping[str, str] | None = None,
) -> Mapped:
    """``record`` (in the source's ids) in the target's; ``pending``: resources
    planned in this run not moved yet (the current one included); ``required``:
    the reference fields the target requires on a create."""
    out = Mapped(record)
    update: dict[str, Any] = {}

    def convert(name: str, resource: str, ref: Ref) -> Ref | None:
        key = source.ref_key(ref)
        if key is None:
            return ref if ref.name else None
        found = xw.target_of(resource, key)
        if found is not None:
            return target.ref(resource, found, ref.name)
        if may_defer and resource in pending:
            out.deferred = True
            return None
        if name in OWNERS:
            raise Skip(f"its {resource} {key} is not on the target")
        if name in required and resource in (defaults or {}):
            out.lost.append(f"{name} (not on the target: its default given)")
            return target.ref(resource, (defaults or {})[resource], None)
        if name in required:
            raise Skip(
                f"the target requires its {name}, and {resource} {key} is not there", failed=True
            )
        out.lost.append(f"{name} (not on the target)")
        return Ref(name=ref.name) if ref.name else None

    for name, resource, is_list in ref_fields(type(record)):
        value = getattr(record, name)
        if is_list:
            converted = [convert(name, resource, r) for r in value if isinstance(r, Ref)]
            update[name] = [r for r in converted if r is not None]
        elif isinstance(value, Ref):
            update[name] = convert(name, resource, value)
        elif value is None and name in required and resource in (defaults or {}):
            update[name] = target.ref(resource, (defaults or {})[resource], None)
    update |= {
        "num": None,
        "uuid": identity,
        "version": 0,
        "seq": 0,
        "updated_at": None,
    }
    out.record = record.model_copy(update=update)
    return out


def required_refs(codec: Codec | None, model: type[Record]) -> frozenset[str]:
    """The reference fields of ``model`` a create through ``codec`` requires (and
    those every canonical record of it has)."""
    refs = {name for name, _, _ in ref_fields(model)}
    canonical = {n for n in refs if model.model_fields[n].is_required()}  # a task's task list
    if codec is None:
        return frozenset(canonical)
    return frozenset(
        canonical
        | {f.canonical for f in codec.fields if f.canonical in refs and f.required_on("POST")}
    )


def lost_fields(codec: Codec, record: Record, ctx: CodecContext) -> list[str]:
    """The canonical fields of ``record`` a create through ``codec`` cannot hold."""
    out = [
        str(loss) if loss.kind == "nearest" else loss.canonical
        for loss in codec.losses(record, ctx, request=True)
    ]
    writable = {f.canonical for f in codec.fields if f.canonical and not f.read_only}
    shown = {f.canonical for f in codec.fields if f.canonical}
    for name, info in type(record).model_fields.items():
        if name in Record.model_fields or name in writable or name not in shown:
            continue
        if name in OWNERS:  # the org API takes a record's patient from its path
            continue
        value = getattr(record, name)
        if value not in (None, "", [], {}) and value != info.get_default(call_default_factory=True):
            out.append(f"{name} (read-only on the target)")
    return out
