"""The sync loop: keep the mirror current from the upstream's changed-since feeds.

On start a full pull (every record of every resource the upstream client
lists, whatever the watermark says: changes missed while the gateway was
down come in), then every ``sync_interval_seconds`` a pull of what changed
since each resource's watermark. Resources go in dependency order (clinics,
providers and definitions before patients, patients before their records),
so references mostly find their records already mirrored.

Decisions:

- **Watermarks are the upstream's** (Open Dental's ``serverDateTime``,
  DrChrono's ``since`` on its clock, the org API's cursor), as the client
  returns them, kept per resource in the ``upstream_sync`` table.
- **No feed, whole pull.** A resource the upstream has no changed-since
  filter for is read whole each round: a request per 100 records on Open
  Dental (providers, clinics, definitions, allergies, medications, problems),
  and per patient where a dialect lists records only under a patient. Its
  cost grows with the practice; set the interval accordingly.
- **Per patient.** Where a dialect lists a resource only for one patient
  (Open Dental's allergies and medications need ``PatNum``: :data:`PER_PATIENT`),
  the full pull reads it for every mirrored patient, and each later round for
  the patients whose records changed in that round. A request per patient:
  an allergy added upstream without a change to its patient reaches the
  mirror at the next start (or through a write of this gateway).
- **Failures.** A pull that fails records the error and its time and touches
  nothing: reads keep being served from the mirror, which the status shows
  stale once its last successful pull is older than the freshness bound
  (three intervals). Other resources are still pulled. A record the mirror
  cannot take (one the gateway's model refuses) is skipped, counted in the
  error, and the rest of the pull applies.
- **Deletions** reach the mirror where the feed shows them (an archived org
  API record, a DrChrono ``archived`` flag). A record that simply vanishes
  from an upstream without a delete feed (Open Dental has none) stays
  mirrored.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson
import sqlalchemy as sa

from canonical import CanonicalError, model_for, utcnow
from dialects.client import Changes
from gateway.backends.store.schema import sync_state
from gateway.backends.upstream.backend import UpstreamBackend
from gateway.demo import ORDER

__all__ = ["ResourceStatus", "Syncer", "read_status"]

log = logging.getLogger("gateway.upstream")

PER_PATIENT: dict[str, dict[str, str]] = {
    "opendental": {"allergy": "PatNum", "medication": "PatNum"},
}
"""Dialect -> resource -> the list parameter naming the patient, where a list needs one."""


@dataclass(frozen=True, slots=True)
class ResourceStatus:
    resource: str
    last_pull_at: datetime | None
    last_attempt_at: datetime | None
    watermark: Any
    records: int
    last_error: str | None
    fresh: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "resource": self.resource,
            "last_pull_at": self.last_pull_at.isoformat() if self.last_pull_at else None,
            "last_attempt_at": self.last_attempt_at.isoformat() if self.last_attempt_at else None,
            "watermark": self.watermark,
            "records": self.records,
            "last_error": self.last_error,
            "fresh": self.fresh,
        }


def read_status(
    conn: sa.Connection,
    tenant_id: str,
    resources: list[str] | None,
    counts: dict[str, int],
    bound: timedelta,
    now: datetime | None = None,
) -> list[ResourceStatus]:
    """Each resource's sync state as stored (what ``/upstream/status`` and the CLI show);
    ``resources``: those to show (``None``: every one pulled so far)."""
    now = now or utcnow()
    rows = {
        r.resource: r
        for r in conn.execute(sa.select(sync_state).where(sync_state.c.tenant_id == tenant_id))
    }
    out = []
    for resource in resources if resources is not None else sorted(rows):
        row = rows.get(resource)
        last = row.last_pull_at if row else None
        watermark = orjson.loads(row.watermark) if row and row.watermark else None
        out.append(
            ResourceStatus(
                resource,
                last,
                row.last_attempt_at if row else None,
                watermark,
                counts.get(resource, 0),
                row.last_error if row else None,
                last is not None and now - last <= bound,
            )
        )
    return out


class Syncer:
    """Pulls one upstream into one tenant's mirror."""

    def __init__(self, backend: UpstreamBackend, interval: float) -> None:
        self.backend = backend
        self.interval = interval
        self.bound = timedelta(seconds=3 * interval)
        """How old the last successful pull may be for the mirror to count as fresh."""
        client = backend.client
        listed = [r for r, res in client.resources.items() if "list" in res.operations]
        self.resources = [r for r in ORDER if r in listed] + [r for r in listed if r not in ORDER]
        self._wake = asyncio.Event()
        self._patients: set[Any] = set()
        """Upstream keys of the patients the last patient pull brought in."""

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        """Full pull, then a changed-since pull every interval (or when woken)."""
        full = True
        while True:
            await self.pull_all(full=full)
            full = False
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.interval)

    async def pull_all(self, *, full: bool = False) -> None:
        for resource in self.resources:
            started = utcnow()
            try:
                await self.pull(resource, full=full)
            except Exception as exc:  # a fault here must not end the loop for good
                name = type(exc).__name__
                log.error("upstream pull of %s failed: %s", resource, name)
                await self._record(resource, started, error=f"Internal error ({name}).")

    async def pull(self, resource: str, *, full: bool = False) -> int:
        """One pull of ``resource``; the number of records applied (-1: it failed)."""
        model = model_for(resource)
        started = utcnow()
        watermark = None if full else self._watermark(resource)
        param = PER_PATIENT.get(self.backend.client.dialect, {}).get(resource)
        try:
            if param is not None:
                changes = await self._per_patient(model, param, full=full)
            else:
                changes = await self.backend.client.changed_since(model, watermark)
        except CanonicalError as exc:
            await self._record(resource, started, error=exc.message)
            log.warning("upstream pull of %s failed: %s", resource, type(exc).__name__)
            return -1
        codec = self.backend.client.resource(model).lister.codec
        applied, refused = 0, 0
        if resource == "patient":
            self._patients = set()
        for record in changes.records:
            try:
                await self.backend.mirror.apply(model, record, codec)
                applied += 1
                if resource == "patient":
                    self._patients.add(self.backend.client.key_of(record))
            except (CanonicalError, ValueError) as exc:  # one bad record spoils no other
                refused += 1
                log.warning("upstream %s record not mirrored: %s", resource, type(exc).__name__)
            # Each record is its own short transaction, run on the event loop's thread:
            # give the requests waiting on the loop their turn between two, so a long
            # pull never stalls the gateway's answers.
            await asyncio.sleep(0)
        error = f"{refused} record(s) could not be mirrored." if refused else None
        next_mark = changes.watermark if changes.watermark is not None else watermark
        await self._record(resource, started, error=error, watermark=next_mark, ok=True)
        return applied

    async def _per_patient(self, model: type[Any], param: str, *, full: bool) -> Changes[Any]:
        if full:
            with self.backend.store.store._read() as conn:
                keys = self.backend.xw.keys(conn, "patient")
        else:
            keys = sorted(self._patients, key=str)
        records = []
        for key in keys:
            async for record in self.backend.client.list(model, {param: key}):
                records.append(record)
        return Changes(records, None)

    def _watermark(self, resource: str) -> Any:
        with self.backend.store.store._read() as conn:
            raw = conn.execute(
                sa.select(sync_state.c.watermark).where(
                    sync_state.c.tenant_id == self.backend.tenant.id,
                    sync_state.c.resource == resource,
                )
            ).scalar_one_or_none()
        return orjson.loads(raw) if raw else None

    async def _record(
        self,
        resource: str,
        started: datetime,
        *,
        error: str | None,
        watermark: Any = None,
        ok: bool = False,
    ) -> None:
        values: dict[str, Any] = {"last_attempt_at": started, "last_error": error}
        if ok:
            values["last_pull_at"] = started
            values["watermark"] = (
                orjson.dumps(watermark, default=str).decode() if watermark is not None else None
            )
        key = (sync_state.c.tenant_id == self.backend.tenant.id) & (
            sync_state.c.resource == resource
        )
        async with self.backend.store.store.transaction() as conn:
            if conn.execute(sync_state.update().where(key).values(values)).rowcount == 0:
                conn.execute(
                    sync_state.insert().values(
                        tenant_id=self.backend.tenant.id, resource=resource, **values
                    )
                )

    def status(self) -> list[ResourceStatus]:
        with self.backend.store.store._read() as conn:
            counts = self.backend.xw.count(conn)
            return read_status(conn, self.backend.tenant.id, self.resources, counts, self.bound)
