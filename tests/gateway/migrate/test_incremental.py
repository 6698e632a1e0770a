"""Incremental runs: after changes at the source, a later run moves exactly the changes
(from the last run's watermark, or from ``--since``), updating what it moved before.
The source changes through its own dialect: one patient edited, one commlog added."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

from canonical import Commlog, Patient
from gateway.backends.upstream.target import make_client, parse_target
from tests.gateway.migrate.chains import AUTH, ZONE, run_migrate, source_and_target, spec
from tests.gateway.migrate.reading import people, records
from tests.serving import Served

ADDRESS = "1 Migration Way"


def change_source(dialect: str, served: Served) -> None:
    patient = next(p for p in records(dialect, served, "patient") if p.last_name == "Smith")  # type: ignore[attr-defined]
    logged = next(c for c in records(dialect, served, "commlog") if isinstance(c, Commlog))
    assert isinstance(patient, Patient)

    async def change() -> None:
        target = parse_target(spec(dialect, served))
        async with httpx.AsyncClient(base_url=target.base_url, timeout=60) as http:
            client = make_client(target, http, AUTH[dialect], tz=ZoneInfo(ZONE), rate=0)
            await client.update(patient.model_copy(update={"address_line1": ADDRESS}), patient)
            added = {"num": None, "uuid": None, "note": "after the move", "patient": patient.ref()}
            added["provider"] = logged.provider or patient.primary_provider  # DrChrono requires one
            await client.create(logged.model_copy(update=added))

    asyncio.run(change())


@pytest.mark.parametrize("source_dialect", ["opendental", "drchrono", "orgapi"])
def test_a_later_run_moves_exactly_the_changes(tmp_path: Path, source_dialect: str) -> None:
    with source_and_target(tmp_path) as (source, target):
        src, dst = spec(source_dialect, source), spec("orgapi", target)
        work = tmp_path / "work.db"
        only = ("--resources", "patient,commlog")
        first = run_migrate(work, src, dst, *only)
        assert first.rc == 0, first.err
        before_change = datetime.now(UTC)

        change_source(source_dialect, source)

        later = run_migrate(work, src, dst, *only)  # no --since: the last run's watermarks
        assert later.rc == 0, later.err
        assert later.counts("patient")["updated"] == 1, later.report
        assert later.counts("patient")["created"] == 0
        assert later.counts("commlog")["created"] == 1
        assert later.counts("commlog")["updated"] == 0
        assert later.total("created") + later.total("updated") == 2
        assert people("orgapi", target) == people(source_dialect, source)
        moved = [p for p in records("orgapi", target, "patient") if p.last_name == "Smith"]
        assert ADDRESS in {p.address_line1 for p in moved}  # type: ignore[attr-defined]
        assert len(records("orgapi", target, "commlog")) == len(
            records(source_dialect, source, "commlog")
        )

        since = run_migrate(work, src, dst, *only, "--since", before_change.isoformat())
        assert since.rc == 0, since.err
        assert since.total("created") == since.total("updated") == 0  # moved already
