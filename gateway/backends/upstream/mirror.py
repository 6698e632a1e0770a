"""Applying what the upstream says to the mirror.

The mirror is the embedded store itself: a mirrored record keeps its own
``num``, ``uuid``, ``version`` and change sequence there, so every dialect's
server side (search, paging, cursors, sorting, ``DateTStamp``/``since``
feeds of the gateway's own clients) works unchanged.

Decisions:

- **The upstream owns what it holds.** A record from the upstream overwrites
  the mirror's values of the canonical fields the upstream dialect's codec
  covers (and that dialect's ``extensions``); fields the upstream cannot hold
  (an org API value Open Dental has no column for) keep what the gateway's
  clients wrote, so nothing is lost in the mirror.
- **No-op re-reads.** A record that changes nothing (Open Dental's inclusive
  ``DateTStamp`` reads the last second again) is not written: its version and
  change sequence stay, so the gateway's own clients' feeds do not churn.
- **Placeholders.** A reference to a record of a resource the upstream's API
  does not list (Open Dental's procedure codes, task lists, users), shown
  with its name (``procCode`` ``D0120``), makes a placeholder record in the
  mirror holding that name and defaults otherwise, under the reserved ids:
  the gateway's clients see the name, and can name the same record in a write
  (a procedure with that code). Shown by name alone (DrChrono's procedure
  codes), one placeholder per name is made, with new ids, and named to the
  upstream by that name. A name never seen this way is not known here,
  and a write naming it is refused before it reaches the upstream.
- **Stamps.** The upstream's change stamp is kept in the crosswalk: its
  ``version`` (org API), else its last-changed time (Open Dental
  ``DateTStamp``, DrChrono ``updated_at``), with a digest of the writable
  fields its read and list both show (read-only ones, such as balances, change
  without a client's write and are left out). A pulled record older than the stamp already
  mirrored (a sync page fetched before a write-through landed) is skipped.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from functools import cache
from typing import Any, TypeVar

import orjson

from canonical import NotFound, Record, Ref, RefTo, model_for
from dialects.client import DialectClient, Remote
from dialects.codec import Codec
from gateway.backends.store import TenantStore
from gateway.backends.upstream.crosswalk import Crosswalk
from gateway.backends.upstream.remap import inbound, ref_fields

__all__ = ["Mirror", "covered", "older", "stamp_of", "version_of"]

R = TypeVar("R", bound=Record)

SYSTEM = frozenset({"uuid", "num", "version", "seq", "created_at", "updated_at", "deleted_at"})
_UNCOMPARED = {"version", "seq", "updated_at", "created_at"}


@cache
def covered(codec: Codec) -> frozenset[str]:
    """The canonical fields ``codec`` reads (an archive flag's ``deleted_at`` included)."""
    fields = codec.model.model_fields
    return frozenset(
        f.canonical
        for f in codec.fields
        if f.canonical in fields and (f.canonical not in SYSTEM or f.canonical == "deleted_at")
    )


@cache
def _writable(codec: Codec) -> frozenset[str]:
    fields = codec.model.model_fields
    return frozenset(
        f.canonical
        for f in codec.fields
        if f.canonical in fields and f.canonical not in SYSTEM and not f.read_only
    )


def stamp_of(record: Record, resource: Remote) -> str:
    """The upstream's change stamp of ``record``: its version or last-changed time,
    then ``#`` and a digest of the writable fields its read and list both show (a
    change within the second of a time stamp, or where there is no stamp)."""
    shown = sorted(_writable(resource.codec) & _writable(resource.lister.codec))
    data = record.model_dump(mode="json", include=set(shown))
    digest = hashlib.sha256(orjson.dumps(data, option=orjson.OPT_SORT_KEYS)).hexdigest()[:24]
    if record.version > 0:
        return f"v:{record.version}#{digest}"
    if record.updated_at is not None:
        return f"t:{record.updated_at.isoformat()}#{digest}"
    return f"h:#{digest}"


def older(stamp: str, than: str | None) -> bool:
    """Whether ``stamp`` is strictly older than ``than`` (when the two compare)."""
    if than is None or stamp[:2] != than[:2] or stamp[0] == "h":
        return False
    mine, theirs = stamp[2:].partition("#")[0], than[2:].partition("#")[0]
    if stamp[0] == "v":
        return int(mine) < int(theirs)
    return datetime.fromisoformat(mine) < datetime.fromisoformat(theirs)


def version_of(stamp: str | None) -> int | None:
    """The upstream version a stamp holds (the org API's), else ``None``."""
    if stamp is None or not stamp.startswith("v:"):
        return None
    return int(stamp[2:].partition("#")[0])


def _same(a: Record, b: Record) -> bool:
    return a.model_dump(exclude=_UNCOMPARED) == b.model_dump(exclude=_UNCOMPARED)


class Mirror:
    """Writes the upstream's records into one tenant's store through the crosswalk."""

    def __init__(self, backend: TenantStore, xw: Crosswalk, client: DialectClient) -> None:
        self.backend = backend
        self.xw = xw
        self.client = client

    def merged(self, base: R | None, incoming: R, codec: Codec) -> R:
        """``base`` with the upstream's values of what ``codec`` covers."""
        if base is None:
            return incoming.model_copy(
                update={"num": None, "uuid": None, "version": 0, "seq": 0, "updated_at": None}
            )
        update: dict[str, Any] = {name: getattr(incoming, name) for name in covered(codec)}
        dialect = self.client.dialect
        if dialect in incoming.extensions:
            update["extensions"] = {**base.extensions, dialect: incoming.extensions[dialect]}
        return base.model_copy(update=update)

    async def apply(
        self,
        model: type[R],
        incoming: R,
        codec: Codec,
        *,
        intended: R | None = None,
    ) -> R:
        """Mirror ``incoming`` (in the upstream's ids, read through ``codec``) in one
        transaction, joining the caller's; ``intended``: the record a client of the
        gateway wrote, whose fields the upstream does not hold are kept."""
        resource = self.client.resource(model)
        key = self.client.key_of(incoming)
        stamp = stamp_of(incoming, resource)
        async with self.backend.store.transaction() as conn:
            entry = self.xw.by_key(conn, model.resource, key)
            current = await self._current(model, entry.num) if entry else None
            if current is not None and entry and older(stamp, entry.stamp) and intended is None:
                return current
            local = await self._placeholders(inbound(conn, self.xw, incoming))
            new = self.merged(intended if intended is not None else current, local, codec)
            if current is None:
                entry = entry or self.xw.reserve(conn, model.resource, key)
                new = new.model_copy(
                    update={"num": entry.num, "uuid": entry.uuid, "version": 0, "seq": 0}
                )
                saved = await self.backend.create(new)
            else:
                new = new.model_copy(
                    update={"num": current.num, "uuid": current.uuid, "seq": current.seq}
                )
                saved = current if _same(new, current) else await self.backend.update(new)
            assert saved.num is not None and saved.uuid is not None
            self.xw.link(conn, model.resource, num=saved.num, uuid=saved.uuid, key=key, stamp=stamp)
        return saved

    async def _placeholders(self, record: R) -> R:
        """``record`` with each reference by name to a record of a resource the upstream
        does not list pointing at its placeholder (made when there is none yet)."""
        update: dict[str, Any] = {}
        for name, resource, is_list in ref_fields(type(record)):
            ref = getattr(record, name)
            target = model_for(resource)
            key = target.name_field
            if is_list or not isinstance(ref, Ref) or not ref.name or key is None:
                continue
            if resource in self.client.resources:
                continue
            if ref.num is not None:
                if await self._current(target, ref.num) is None:
                    await self._hold(target, key, ref)
                continue
            try:  # shown by name alone (DrChrono's procedure codes): one placeholder per name
                found: Ref | None = self.backend.resolve_ref(ref, RefTo(resource), name)
            except NotFound:
                held = await self._hold(target, key, ref)
                found = None if held is None else held.ref()
            if found is not None:
                update[name] = Ref(num=found.num, uuid=found.uuid, name=ref.name)
        return record.model_copy(update=update) if update else record

    async def _hold(self, target: type[Record], key: str, ref: Ref) -> Record | None:
        try:
            held = target.model_validate({key: ref.name, "num": ref.num, "uuid": ref.uuid})
        except ValueError:  # the model needs more than a name: the reference stays bare
            return None
        return await self.backend.create(held)

    async def _current(self, model: type[R], num: int) -> R | None:
        try:
            return await self.backend.get(model, num=num, include_deleted=True)
        except NotFound:  # reserved, never mirrored
            return None
