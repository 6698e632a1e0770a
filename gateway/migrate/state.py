"""A migration's persistent state: runs, per-resource checkpoints, watermarks, outcomes.

The tables are declared here on the store's ``metadata`` (as the idempotency
table is), so :meth:`Store.migrate` creates them with the rest of the schema.
They live in the database of the gateway's ``database_url`` setting (the
migration's working database), not in either end.

Decisions:

- **A run** is one invocation (or its resumptions): its ends as shown (no
  credentials), the resources it moves, its ``--since``, whether it is a dry
  run, and its status (``running``, ``done``, ``partial``, ``stopped``). A
  resumed run takes all of these from its row, so a resume cannot move
  something else than the run it continues.
- **A checkpoint** per (run, resource): done or not, and the watermark the
  resource's read reached. A resource done is not read again on resume; one
  not done is read again from the run's starting watermark, and the
  crosswalk makes every record already written a no-op (see :mod:`.crosswalk`).
  Re-reading a source is cheap beside writing to a target, and it keeps
  the resume rule the same for every source's paging (an Open Dental
  ``Offset`` is no position to resume from when the source changes meanwhile).
- **Watermarks** per (pair of ends, resource): what the next incremental
  run of the same pair starts from; written only when a resource's read
  finished in a run that was not a dry run.
- **Outcomes** per (run, resource, source key): the last outcome of that
  record in the run, its error (the target's text, never the record's
  values) and the fields the target cannot hold. The report is summed from
  these rows with SQL, so memory does not grow with the practice.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
import sqlalchemy as sa

from gateway.backends.store.schema import UTCDateTime, metadata

__all__ = [
    "Outcome",
    "RunRow",
    "State",
    "checkpoints",
    "deferred",
    "outcomes",
    "runs",
    "watermarks",
]

runs = sa.Table(
    "migrate_runs",
    metadata,
    sa.Column("run_id", sa.String(40), primary_key=True),
    sa.Column("pair", sa.String(64), nullable=False),
    sa.Column("source", sa.Text(), nullable=False),
    sa.Column("target", sa.Text(), nullable=False),
    sa.Column("resources", sa.Text(), nullable=False),  # JSON list, in plan order
    sa.Column("since", sa.Text(), nullable=True),
    sa.Column("dry_run", sa.Boolean(), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("started_at", UTCDateTime(), nullable=False),
    sa.Column("finished_at", UTCDateTime(), nullable=True),
)

checkpoints = sa.Table(
    "migrate_checkpoints",
    metadata,
    sa.Column("run_id", sa.String(40), primary_key=True),
    sa.Column("resource", sa.String(64), primary_key=True),
    sa.Column("done", sa.Boolean(), nullable=False),
    sa.Column("watermark", sa.Text(), nullable=True),  # JSON
    sa.Column("read", sa.Integer(), nullable=False, default=0),
)

watermarks = sa.Table(
    "migrate_watermarks",
    metadata,
    sa.Column("pair", sa.String(64), primary_key=True),
    sa.Column("resource", sa.String(64), primary_key=True),
    sa.Column("watermark", sa.Text(), nullable=True),  # JSON
    sa.Column("run_id", sa.String(40), nullable=False),
)

outcomes = sa.Table(
    "migrate_outcomes",
    metadata,
    sa.Column("run_id", sa.String(40), primary_key=True),
    sa.Column("resource", sa.String(64), primary_key=True),
    sa.Column("source_key", sa.String(64), primary_key=True),
    # created, updated, unchanged, matched, skipped, failed, deferred; on a dry
    # run: would_create, would_update, unchanged, would_fail
    sa.Column("outcome", sa.String(16), nullable=False),
    sa.Column("error", sa.Text(), nullable=True),
    sa.Column("lost", sa.Text(), nullable=True),  # JSON list of canonical field names
    sa.Column("mismatched", sa.Text(), nullable=True),  # JSON list, after verification
)
deferred = sa.Table(
    "migrate_deferred",
    metadata,
    sa.Column("run_id", sa.String(40), primary_key=True),
    sa.Column("resource", sa.String(64), primary_key=True),
    sa.Column("source_key", sa.String(64), primary_key=True),
    # The source record as read (JSON), written again at the end of the run once
    # the references it was sent without have their targets. In the working
    # database only, removed once written.
    sa.Column("doc", sa.Text(), nullable=False),
)
sa.Index("ix_migrate_outcomes_kind", outcomes.c.run_id, outcomes.c.resource, outcomes.c.outcome)


@dataclass(frozen=True, slots=True)
class RunRow:
    run_id: str
    pair: str
    source: str
    target: str
    resources: list[str]
    since: str | None
    dry_run: bool
    status: str


@dataclass(frozen=True, slots=True)
class Outcome:
    resource: str
    source_key: str
    outcome: str
    error: str | None = None
    lost: tuple[str, ...] = ()
    mismatched: tuple[str, ...] = ()


def _now() -> datetime:
    return datetime.now(UTC)


def _json(value: Any) -> str | None:
    return None if value is None else orjson.dumps(value).decode()


def _load(text: str | None) -> Any:
    return None if text is None else orjson.loads(text)


class State:
    """Reads and writes of a migration's state; each write commits at once, so a
    process killed at any instant leaves every finished step recorded."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    # -- runs ------------------------------------------------------------------------

    def start(self, row: RunRow) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                runs.insert().values(
                    run_id=row.run_id,
                    pair=row.pair,
                    source=row.source,
                    target=row.target,
                    resources=_json(row.resources),
                    since=row.since,
                    dry_run=row.dry_run,
                    status=row.status,
                    started_at=_now(),
                )
            )

    def run(self, run_id: str) -> RunRow | None:
        with self.engine.connect() as conn:
            m = conn.execute(sa.select(runs).where(runs.c.run_id == run_id)).first()
        if m is None:
            return None
        r = m._mapping
        return RunRow(
            r["run_id"],
            r["pair"],
            r["source"],
            r["target"],
            list(_load(r["resources"])),
            r["since"],
            bool(r["dry_run"]),
            r["status"],
        )

    def finish(self, run_id: str, status: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                runs.update()
                .where(runs.c.run_id == run_id)
                .values(status=status, finished_at=_now() if status != "running" else None)
            )

    # -- checkpoints and watermarks ------------------------------------------------

    def checkpoint(self, run_id: str, resource: str) -> tuple[bool, Any]:
        """(done, watermark reached) of ``resource`` in the run."""
        with self.engine.connect() as conn:
            m = conn.execute(
                sa.select(checkpoints.c.done, checkpoints.c.watermark).where(
                    checkpoints.c.run_id == run_id, checkpoints.c.resource == resource
                )
            ).first()
        return (False, None) if m is None else (bool(m[0]), _load(m[1]))

    def started(self, run_id: str, resource: str) -> tuple[bool, Any]:
        """Whether the run began reading ``resource``, and the watermark it began at
        (or, once done, reached)."""
        with self.engine.connect() as conn:
            m = conn.execute(
                sa.select(checkpoints.c.watermark).where(
                    checkpoints.c.run_id == run_id, checkpoints.c.resource == resource
                )
            ).first()
        return (False, None) if m is None else (True, _load(m[0]))

    def begin(self, run_id: str, resource: str, start: Any) -> None:
        """Record where the read of ``resource`` starts (kept for a resume)."""
        with self.engine.begin() as conn:
            conn.execute(
                checkpoints.insert().values(
                    run_id=run_id, resource=resource, done=False, watermark=_json(start), read=0
                )
            )

    def mark_done(self, run: RunRow, resource: str, watermark: Any, read: int) -> None:
        with self.engine.begin() as conn:
            key = (checkpoints.c.run_id == run.run_id) & (checkpoints.c.resource == resource)
            values = {"done": True, "watermark": _json(watermark), "read": read}
            if conn.execute(checkpoints.update().where(key).values(values)).rowcount == 0:
                conn.execute(
                    checkpoints.insert().values(run_id=run.run_id, resource=resource, **values)
                )
            if run.dry_run:
                return  # a dry run moved nothing: the next run starts where this one did
            wkey = (watermarks.c.pair == run.pair) & (watermarks.c.resource == resource)
            wvalues = {"watermark": _json(watermark), "run_id": run.run_id}
            if conn.execute(watermarks.update().where(wkey).values(wvalues)).rowcount == 0:
                conn.execute(
                    watermarks.insert().values(pair=run.pair, resource=resource, **wvalues)
                )

    def watermark(self, pair: str, resource: str) -> Any:
        """Where the last finished read of ``resource`` between these ends reached."""
        with self.engine.connect() as conn:
            text = conn.execute(
                sa.select(watermarks.c.watermark).where(
                    watermarks.c.pair == pair, watermarks.c.resource == resource
                )
            ).scalar_one_or_none()
        return _load(text)

    # -- outcomes ------------------------------------------------------------------

    def record(self, run_id: str, o: Outcome) -> None:
        values = {
            "outcome": o.outcome,
            "error": o.error,
            "lost": _json(list(o.lost)) if o.lost else None,
            "mismatched": _json(list(o.mismatched)) if o.mismatched else None,
        }
        key = (
            (outcomes.c.run_id == run_id)
            & (outcomes.c.resource == o.resource)
            & (outcomes.c.source_key == o.source_key)
        )
        with self.engine.begin() as conn:
            if conn.execute(outcomes.update().where(key).values(values)).rowcount == 0:
                conn.execute(
                    outcomes.insert().values(
                        run_id=run_id, resource=o.resource, source_key=o.source_key, **values
                    )
                )

    def defer(self, run_id: str, resource: str, source_key: str, doc: str) -> None:
        with self.engine.begin() as conn:
            key = (
                (deferred.c.run_id == run_id)
                & (deferred.c.resource == resource)
                & (deferred.c.source_key == source_key)
            )
            if conn.execute(deferred.update().where(key).values(doc=doc)).rowcount == 0:
                conn.execute(
                    deferred.insert().values(
                        run_id=run_id, resource=resource, source_key=source_key, doc=doc
                    )
                )

    def deferred_docs(self, run_id: str, resource: str, limit: int = 200) -> list[tuple[str, str]]:
        """(source key, record JSON) of up to ``limit`` deferred records."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(deferred.c.source_key, deferred.c.doc)
                .where(deferred.c.run_id == run_id, deferred.c.resource == resource)
                .order_by(deferred.c.source_key)
                .limit(limit)
            )
            return [(str(k), str(d)) for k, d in rows]

    def undefer(self, run_id: str, resource: str, source_key: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                deferred.delete().where(
                    deferred.c.run_id == run_id,
                    deferred.c.resource == resource,
                    deferred.c.source_key == source_key,
                )
            )

    def outcome_of(self, run_id: str, resource: str, source_key: str) -> str | None:
        with self.engine.connect() as conn:
            found = conn.execute(
                sa.select(outcomes.c.outcome).where(
                    outcomes.c.run_id == run_id,
                    outcomes.c.resource == resource,
                    outcomes.c.source_key == source_key,
                )
            ).scalar_one_or_none()
        return None if found is None else str(found)

    def keys_with(self, run_id: str, resource: str, outcome: str) -> list[str]:
        with self.engine.connect() as conn:
            return list(
                conn.execute(
                    sa.select(outcomes.c.source_key).where(
                        outcomes.c.run_id == run_id,
                        outcomes.c.resource == resource,
                        outcomes.c.outcome == outcome,
                    )
                ).scalars()
            )

    def counts(self, run_id: str) -> dict[str, dict[str, int]]:
        """resource -> outcome -> records."""
        stmt = (
            sa.select(outcomes.c.resource, outcomes.c.outcome, sa.func.count())
            .where(outcomes.c.run_id == run_id)
            .group_by(outcomes.c.resource, outcomes.c.outcome)
        )
        out: dict[str, dict[str, int]] = {}
        with self.engine.connect() as conn:
            for resource, outcome, n in conn.execute(stmt):
                out.setdefault(str(resource), {})[str(outcome)] = int(n)
        return out

    def reads(self, run_id: str) -> dict[str, int]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(checkpoints.c.resource, checkpoints.c.read).where(
                    checkpoints.c.run_id == run_id
                )
            )
            return {str(r): int(n or 0) for r, n in rows}

    def details(self, run_id: str) -> Iterator[Outcome]:
        """Every outcome row with something to tell (an error, a loss, a mismatch),
        streamed in key order."""
        stmt = (
            sa.select(outcomes)
            .where(
                outcomes.c.run_id == run_id,
                sa.or_(
                    outcomes.c.error.is_not(None),
                    outcomes.c.lost.is_not(None),
                    outcomes.c.mismatched.is_not(None),
                ),
            )
            .order_by(outcomes.c.resource, outcomes.c.source_key)
        )
        with self.engine.connect() as conn:
            for row in conn.execute(stmt):
                m = row._mapping
                yield Outcome(
                    m["resource"],
                    m["source_key"],
                    m["outcome"],
                    m["error"],
                    tuple(_load(m["lost"]) or ()),
                    tuple(_load(m["mismatched"]) or ()),
                )
