"""The run's report: a human summary table and a JSON file, both from the state.

Per resource: read, and the records per outcome (created, updated,
unchanged, matched, skipped, failed; on a dry run would_create,
would_update, unchanged, would_fail), verified and mismatched counts, and
each lost field with the number of records that had a value for it. ``incomplete`` counts records
that are on the target but whose deferred references it refused (exit status
3, as a failure). Per record with something to tell: the source id, the outcome, the target's
error, the lost fields and the mismatched fields (names, never values).

The JSON is written as it is read from the state (the per-record part row
by row), so a report of a large practice does not sit in memory whole.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

import orjson
from rich.console import Console
from rich.table import Table

from gateway.migrate.state import State

__all__ = ["EXIT", "exit_status", "print_summary", "summary", "write_json"]

OUTCOMES = (
    "created",
    "updated",
    "unchanged",
    "matched",
    "skipped",
    "failed",
    "would_create",
    "would_update",
    "would_fail",
)
EXIT = {"done": 0, "bad_input": 2, "partial": 3, "stopped": 4}
"""Exit statuses: 0 nothing failed; 3 some records failed (the rest moved); 4 the
run stopped (an end unreachable: resume it); 2 bad input."""


def summary(state: State, run_id: str, not_moved: Mapping[str, str]) -> dict[str, Any]:
    run = state.run(run_id)
    assert run is not None
    counts = state.counts(run_id)
    reads = state.reads(run_id)
    per: dict[str, dict[str, Any]] = {}
    for resource in run.resources:
        c = counts.get(resource, {})
        per[resource] = {
            "read": reads.get(resource, 0),
            **{k: c.get(k, 0) for k in OUTCOMES if c.get(k) or not k.startswith("would")},
            "verified": 0,
            "mismatched": 0,
            "lost_fields": {},
        }
    for o in state.details(run_id):
        entry = per.setdefault(o.resource, {"lost_fields": {}, "verified": 0, "mismatched": 0})
        if o.error and o.outcome not in ("failed", "would_fail", "skipped"):
            entry["incomplete"] = entry.get("incomplete", 0) + 1
        for name in o.lost:
            entry["lost_fields"][name] = entry["lost_fields"].get(name, 0) + 1
        if o.mismatched:
            entry["mismatched"] += 1
    for entry in per.values():
        written = entry.get("created", 0) + entry.get("updated", 0)
        entry["verified"] = max(written - entry["mismatched"], 0) if not run.dry_run else 0
    return {
        "run_id": run.run_id,
        "source": run.source,
        "target": run.target,
        "dry_run": run.dry_run,
        "status": run.status,
        "since": run.since,
        "resources": per,
        "not_moved": dict(not_moved),
    }


def exit_status(head: Mapping[str, Any]) -> int:
    if head["status"] == "stopped":
        return EXIT["stopped"]
    failed = sum(r.get("failed", 0) + r.get("would_fail", 0) for r in head["resources"].values())
    return EXIT["partial"] if failed else EXIT["done"]


def write_json(state: State, head: Mapping[str, Any], path: str) -> None:
    with Path(path).open("wb") as out:
        _stream(state, head, out)


def _stream(state: State, head: Mapping[str, Any], out: IO[bytes]) -> None:
    text = orjson.dumps(dict(head), option=orjson.OPT_INDENT_2)
    out.write(text[:-2])  # reopen the object: the records follow
    out.write(b',\n  "records": [')
    first = True
    for o in state.details(head["run_id"]):
        item: dict[str, Any] = {"resource": o.resource, "source_id": o.source_key}
        item["outcome"] = o.outcome
        if o.error:
            item["error"] = o.error
        if o.lost:
            item["lost_fields"] = list(o.lost)
        if o.mismatched:
            item["mismatched_fields"] = list(o.mismatched)
        out.write(b"\n    " if first else b",\n    ")
        out.write(orjson.dumps(item))
        first = False
    out.write(b"\n  ]\n}\n")


def print_summary(head: Mapping[str, Any], console: Console | None = None) -> None:
    console = console or Console(width=None if sys.stdout.isatty() else 160)
    dry = head["dry_run"]
    kinds = (
        ("would_create", "would_update", "unchanged", "matched", "skipped", "would_fail")
        if dry
        else ("created", "updated", "unchanged", "matched", "skipped", "failed")
    )
    title = f"{'Dry run' if dry else 'Migration'} {head['run_id']}: {head['status']}"
    table = Table(title=title)
    table.add_column("resource")
    table.add_column("read", justify="right")
    for k in kinds:
        table.add_column(k.replace("_", " "), justify="right")
    if not dry:
        table.add_column("verified", justify="right")
        table.add_column("mismatched", justify="right")
    for resource, r in head["resources"].items():
        row = [resource, str(r.get("read", 0)), *(str(r.get(k, 0)) for k in kinds)]
        if not dry:
            row += [str(r["verified"]), str(r["mismatched"])]
        table.add_row(*row)
    console.print(table)
    for resource, r in head["resources"].items():
        if r["lost_fields"]:
            lost = ", ".join(f"{k}: {v}" for k, v in sorted(r["lost_fields"].items()))
            console.print(f"lost on the target, {resource} (records): {lost}")
    for resource, why in head["not_moved"].items():
        console.print(f"not moved: {resource}: {why}")
