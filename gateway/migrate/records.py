"""One source record moved to the target: the exactly-once rules.

Decisions:

- **Unchanged** when the body for the target (in its ids) has the fingerprint
  the crosswalk holds: nothing is sent.
- **Created** through a ``pending`` crosswalk row written (committed) before
  the create is sent and turned ``done`` with the target's key once it
  answered. A ``pending`` row met again is a create whose answer was never
  recorded (the process was killed, or the connection dropped):

  - org API: the create is sent again with the same ``Idempotency-Key``
    (derived from the source record: :mod:`.remap`), which the server
    answers with the record it made the first time;
  - store: the record's ``uuid`` is derived the same way, so it is looked up
    by that uuid;
  - Open Dental and DrChrono (no idempotency keys): the target's records of
    the same patient (every patient, for patients) are read, and one that
    compares equal to the record being sent on every field the source holds a
    value for (as verification compares, :mod:`.verify`), and which no other
    source record is linked to, is taken as the record made before. Only when none is found is the
    create sent again.
- **Updated** when the crosswalk links the record and the body changed: the
  target's current record is read and the update sends what differs.
  Reference records matched on the target are never updated: the target's
  own reference data stands.
- **Refusals** of one record (invalid, not found, conflict, unsupported, too
  large) fail that record only; its pending row is removed (the target made
  nothing). Faults of the target as a whole (unreachable, timing out,
  answering what it should not) stop the run (:class:`Stopped`), resumable.
"""

from __future__ import annotations

from typing import Any

from canonical import BadUpstream, CanonicalError, Record, Unavailable, UpstreamTimeout
from dialects.codec import CodecContext
from gateway.migrate.crosswalk import Crosswalk, fingerprint
from gateway.migrate.ends import ClientEnd, End, StoreEnd
from gateway.migrate.remap import Mapped
from gateway.migrate.state import Outcome
from gateway.migrate.verify import mismatches

__all__ = ["Mover", "Stopped", "body_of"]


class Stopped(Exception):
    """The target (or the source) cannot be reached: the run stops, resumable."""


def body_of(target: End, record: Record) -> Any:
    """What is sent for ``record`` (a store: the record itself, less its identity)."""
    if isinstance(target, ClientEnd):
        return target.body(record)
    return record.model_dump(
        mode="json", exclude={"num", "uuid", "version", "seq", "created_at", "updated_at"}
    )


class Mover:
    def __init__(
        self,
        target: End,
        xw: Crosswalk,
        *,
        dry_run: bool,
        verify: bool,
        compared: dict[str, frozenset[str]],
    ) -> None:
        self.target = target
        self.xw = xw
        self.dry_run = dry_run
        self.verify = verify
        self.compared = compared

    async def move(self, resource: str, source_key: str, mapped: Mapped, deleted: bool) -> Outcome:
        try:
            return await self._move(resource, source_key, mapped, deleted)
        except (Unavailable, UpstreamTimeout, BadUpstream) as exc:
            raise Stopped(exc.message) from None
        except CanonicalError as exc:
            self.xw.drop(resource, source_key)
            return Outcome(resource, source_key, "failed", exc.message, tuple(mapped.lost))
        except (ValueError, TypeError) as exc:  # a record the target's side cannot hold
            self.xw.drop(resource, source_key)
            reason = f"cannot be written: {type(exc).__name__}"
            return Outcome(resource, source_key, "failed", reason, tuple(mapped.lost))

    async def _move(self, resource: str, key: str, mapped: Mapped, deleted: bool) -> Outcome:
        record = mapped.record
        lost = tuple(mapped.lost)
        link = self.xw.get(resource, key)
        body = body_of(self.target, record)
        fp = fingerprint(body)
        if link is not None and link.state == "done" and link.target_key is not None:
            if link.fingerprint == fp:
                return Outcome(resource, key, "unchanged", None, lost)
            if self.dry_run:
                return Outcome(resource, key, "would_update", None, lost)
            current = await self.target.fetch(type(record), link.target_key, record)
            if current is None:
                return Outcome(
                    resource, key, "failed", "moved before, no longer on the target", lost
                )
            written = await self.target.update(record, current)
            self.xw.put(resource, key, target_key=link.target_key, state="done", fingerprint=fp)
            return await self._checked(
                resource, key, record, link.target_key, written, "updated", lost
            )
        if deleted:
            return Outcome(resource, key, "skipped", "deleted at the source", lost)
        if self.dry_run:
            return Outcome(resource, key, "would_create", None, lost)
        if link is not None and link.state == "pending":
            found = await self._made_before(record, key)
            if found is not None:
                tkey = self.target.key(found)
                self.xw.put(resource, key, target_key=tkey, state="done", fingerprint=fp)
                return await self._checked(resource, key, record, tkey, found, "created", lost)
        self.xw.put(resource, key, target_key=None, state="pending", fingerprint=fp)
        created = await self.target.create(record)
        tkey = self.target.key(created)
        self.xw.put(resource, key, target_key=tkey, state="done", fingerprint=fp)
        return await self._checked(resource, key, record, tkey, created, "created", lost)

    async def _made_before(self, record: Record, key: str) -> Record | None:
        """The record an unconfirmed create made on the target, if it did."""
        model = type(record)
        if isinstance(self.target, StoreEnd):
            return None if record.uuid is None else await self.target.by_uuid(model, record.uuid)
        if self.target.dialect == "orgapi":
            return None  # the same Idempotency-Key makes the create answer the first record
        codec = self.target.codec(model.resource)
        ctx = self.target.ctx() if isinstance(self.target, ClientEnd) else CodecContext()
        fields = self.compared[model.resource]
        async for candidate in self.target.candidates(model, record):
            if self.xw.claimed(model.resource, self.target.key(candidate), but=key):
                continue
            # The verification's comparison: every field the source holds a value
            # for reads back the same (a target's own defaults aside).
            if not mismatches(record, candidate, fields, codec, ctx):
                return candidate
        return None

    async def _checked(
        self,
        resource: str,
        key: str,
        expected: Record,
        tkey: str,
        answered: Record,
        outcome: str,
        lost: tuple[str, ...],
    ) -> Outcome:
        if not self.verify:
            return Outcome(resource, key, outcome, None, lost)
        found = await self.target.fetch(type(expected), tkey, answered)
        if found is None:
            return Outcome(resource, key, outcome, None, lost, ("(not found on read-back)",))
        codec = self.target.codec(resource)
        ctx = self.target.ctx() if isinstance(self.target, ClientEnd) else CodecContext()
        diff = mismatches(expected, found, self.compared[resource], codec, ctx)
        return Outcome(resource, key, outcome, None, lost, tuple(diff))
