"""A migration run: pull, encode for the target with loss reporting, remap, write, checkpoint.

Per step of the plan (:mod:`.plan`): the source's pages are read one at a
time from where the run's read of that resource started (``--since``, the
last finished run's watermark, or everything), every record is mapped into
the target's ids (:mod:`.remap`), its losses listed, and moved
(:mod:`.records`); its outcome is recorded at once (:mod:`.state`). When the
read ends the resource is checkpointed done with the watermark the source
gave, and the next resource begins. Deferred records (sent without a
reference whose record had not moved yet) are written again at the end.

Decisions:

- **Nothing is written to the source**: an end used as a source is only
  ever asked for pages and single records.
- **Memory** holds one page of one resource, the reference-data match index
  of the current resource (reference data is small by nature), and a few
  counters; outcomes and deferred records go to the working database.
- **Reference matching** happens before a reference record is created: a
  record the crosswalk does not know yet is looked up among the target's own
  records of that resource by the rules of :data:`.plan.MATCH`; found, it is
  linked ``matched``. A target record is matched by one source record only.
- A **dry run** does everything but the writes: the outcomes are
  ``would_create``, ``would_update``, ``unchanged`` and ``would_fail`` (the
  record cannot be sent: its reason), and nothing it saw is kept for the
  next run.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from canonical import CanonicalError, Record, Ref, model_for
from gateway.backends.upstream.remap import ref_fields
from gateway.migrate.crosswalk import Crosswalk
from gateway.migrate.ends import ClientEnd, End, Reading
from gateway.migrate.plan import MATCH, Plan, Step, match_keys
from gateway.migrate.progress import Bars
from gateway.migrate.records import Mover, Stopped
from gateway.migrate.remap import Skip, derived_uuid, lost_fields, required_refs, to_target
from gateway.migrate.state import Outcome, RunRow, State
from gateway.migrate.verify import compared_fields

__all__ = ["Migration", "Stopped"]

Index = dict[tuple[int, tuple[Any, ...]], str]

IN_FLIGHT = 8
"""Records of one page written at the same time: a target's answer time, not its
rate, bounds a sequential run; the clients' rate limits still hold."""


class Migration:
    def __init__(
        self,
        *,
        source: End,
        target: End,
        state: State,
        run: RunRow,
        plan: Plan,
        bars: Bars,
        verify: bool = True,
        since: datetime | None = None,
        defaults: dict[str, str] | None = None,
    ) -> None:
        self.source = source
        self.target = target
        self.state = state
        self.run = run
        self.plan = plan
        self.bars = bars
        self.since = since
        self.defaults = defaults or {}
        self.xw = Crosswalk(state.engine, run.pair)
        compared = {
            s.resource: compared_fields(
                source.codec(s.resource), target.codec(s.resource), model_for(s.resource)
            )
            for s in plan.steps
        }
        self.mover = Mover(target, self.xw, dry_run=run.dry_run, verify=verify, compared=compared)
        self.pending: set[str] = set(plan.resources)
        self.keyed = isinstance(target, ClientEnd) and target.dialect == "orgapi"
        self.keyed = self.keyed or not isinstance(target, ClientEnd)
        """The target takes an identity from us (org API Idempotency-Key, store uuid)."""

    async def execute(self) -> None:
        """Every step, then the deferred records; :class:`Stopped` when an end fails."""
        for step in self.plan.steps:
            done, _ = self.state.checkpoint(self.run.run_id, step.resource)
            if not done:
                await self._step(step)
            self.pending.discard(step.resource)
        for step in self.plan.steps:
            await self._deferred(step)

    # -- one resource ----------------------------------------------------------------

    def _start(self, resource: str) -> Any:
        """Where this run reads ``resource`` from: where it began reading it before
        (a resume), else ``--since``, else the last finished run's watermark."""
        begun, start = self.state.started(self.run.run_id, resource)
        if begun:
            return start
        if self.since is not None:
            start = self.source.since_mark(self.since)
        else:
            start = self.state.watermark(self.run.pair, resource)
        self.state.begin(self.run.run_id, resource, start)
        return start

    async def _step(self, step: Step) -> None:
        model = model_for(step.resource)
        reading = Reading(since=self._start(step.resource))
        index = await self._index(model) if step.resource in MATCH else None
        self.bars.start(step.resource, None)
        read = 0
        try:
            async for page in self.source.pages(model, reading):
                self.bars.total(reading.total)
                read += len(page)
                await self._page(step, page, index)
        except Stopped:
            raise
        except CanonicalError as exc:  # the source failed while being read
            raise Stopped(f"reading {step.resource}: {exc.message}") from None
        self.bars.finish()
        self.state.mark_done(self.run, step.resource, reading.watermark, read)

    async def _page(self, step: Step, page: list[Record], index: Index | None) -> None:
        """One page's records, :data:`IN_FLIGHT` at a time; the first to stop the run
        cancels the others (their outcomes are simply not recorded: a resume
        takes them again, their pending links looked up first)."""
        slots = asyncio.Semaphore(IN_FLIGHT)

        async def one(record: Record) -> None:
            async with slots:
                await self._one(step, record, index, may_defer=True)
                self.bars.advance()

        try:
            async with asyncio.TaskGroup() as group:
                for record in page:
                    group.create_task(one(record))
        except* Stopped as stopped:
            raise stopped.exceptions[0] from None

    async def _index(self, model: type[Record]) -> Index:
        """The target's own records of a reference resource, by match rule."""
        out: Index = {}
        if not self.target.lists(model.resource):
            return out
        try:
            async for record in self.target.candidates(model, model()):
                for rule in match_keys(record, lambda _, ref: self.target.ref_key(ref)):
                    out.setdefault(rule, self.target.key(record))
        except (CanonicalError, TypeError, ValueError):
            return out  # a listing the target refuses: nothing to match
        return out

    async def _one(
        self, step: Step, record: Record, index: Index | None, *, may_defer: bool
    ) -> None:
        resource = step.resource
        key = self.source.key(record)
        outcome = await self._outcome(step, record, key, index, may_defer)
        if outcome.outcome == "deferred_created":
            outcome = Outcome(resource, key, "created", outcome.error, outcome.lost)
        self.state.record(self.run.run_id, outcome)

    async def _outcome(
        self, step: Step, record: Record, key: str, index: Index | None, may_defer: bool
    ) -> Outcome:
        resource = step.resource
        link = self.xw.get(resource, key)
        if link is not None and link.state == "matched":
            return Outcome(resource, key, "matched")
        if index is not None and link is None:
            tkey = self._match(index, record, resource)
            if tkey is not None:
                if not self.run.dry_run:
                    self.xw.put(resource, key, target_key=tkey, state="matched", fingerprint=None)
                return Outcome(resource, key, "matched")
        if not step.create:
            return Outcome(
                resource, key, "skipped", "no match on the target, which cannot create it"
            )
        identity = derived_uuid(self.run.pair, resource, key) if self.keyed else None
        try:
            mapped = to_target(
                record,
                source=self.source,
                target=self.target,
                xw=self.xw,
                pending=self.pending,
                may_defer=may_defer,
                identity=identity,
                required=required_refs(self.target.codec(resource), type(record)),
                defaults=self.defaults,
            )
        except Skip as exc:
            kind = "failed" if exc.failed else "skipped"
            kind = "would_fail" if self.run.dry_run and exc.failed else kind
            return Outcome(resource, key, kind, str(exc))
        codec = self.target.codec(resource)
        if codec is not None and isinstance(self.target, ClientEnd):
            try:
                mapped.lost += lost_fields(codec, mapped.record, self.target.ctx())
            except (TypeError, ValueError, AttributeError) as exc:
                kind = "would_fail" if self.run.dry_run else "failed"
                return Outcome(resource, key, kind, f"cannot be encoded: {type(exc).__name__}")
        if mapped.deferred and not self.run.dry_run:
            self.state.defer(self.run.run_id, resource, key, record.model_dump_json())
        result = await self.mover.move(resource, key, mapped, record.deleted_at is not None)
        if self.run.dry_run and result.outcome == "failed":
            return Outcome(resource, key, "would_fail", result.error, result.lost)
        return result

    def _match(self, index: Index, record: Record, resource: str) -> str | None:
        refs = ref_fields(type(record))

        def mapped(field: str, ref: Ref) -> str | None:
            resource = next(r for f, r, _ in refs if f == field)
            key = self.source.ref_key(ref)
            return None if key is None else self.xw.target_of(resource, key)

        for rule in match_keys(record, mapped):
            tkey = index.get(rule)
            if tkey is not None and not self.xw.claimed(resource, tkey):
                return tkey
        return None

    async def _deferred(self, step: Step) -> None:
        """Write again, with every reference, the records first sent without some."""
        model = model_for(step.resource)
        while True:
            docs = self.state.deferred_docs(self.run.run_id, step.resource)
            if not docs:
                return
            for key, doc in docs:
                first = self.state.outcome_of(self.run.run_id, step.resource, key)
                record = model.model_validate_json(doc)
                outcome = await self._outcome(step, record, key, None, may_defer=False)
                if first == "created" and outcome.outcome in ("updated", "unchanged", "failed"):
                    # It is on the target; a refusal of the references it was sent
                    # without is this record's error, not a record gone missing.
                    error = outcome.error and f"created; its references not set: {outcome.error}"
                    outcome = Outcome(
                        step.resource, key, "created", error, outcome.lost, outcome.mismatched
                    )
                self.state.record(self.run.run_id, outcome)
                self.state.undefer(self.run.run_id, step.resource, key)
