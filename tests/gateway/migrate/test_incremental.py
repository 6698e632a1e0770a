"""Incremental runs: after changes at the source, a later run moves exactly the changes
(from the last run's watermark, or from ``--since``), updating what it moved before."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import httpx

from tests.gateway.migrate.chains import AUTH, run_migrate, source_and_target, spec
from tests.gateway.migrate.reading import people, records

OD = {"Authorization": f"ODFHIR {AUTH['opendental']}"}


def test_a_later_run_moves_exactly_the_changes(tmp_path: Path) -> None:
    with source_and_target(tmp_path) as (source, target):
        src, dst = spec("opendental", source), spec("orgapi", target)
        work = tmp_path / "work.db"
        first = run_migrate(work, src, dst, "--resources", "patient,commlog")
        assert first.rc == 0, first.err
        before_change = datetime.now(UTC)

        with httpx.Client(base_url=f"{source.base}/opendental/api/v1", headers=OD) as od:
            r = od.put("/patients/15", json={"Address": "1 Migration Way"})
            assert r.status_code == 200, r.text
            r = od.post("/commlogs", json={"PatNum": 15, "Note": "after the move"})
            assert r.status_code == 201, r.text

        only = ("--resources", "patient,commlog")
        later = run_migrate(work, src, dst, *only)  # no --since: the last run's watermarks
        assert later.rc == 0, later.err
        assert later.counts("patient")["updated"] == 1, later.report
        assert later.counts("patient")["created"] == 0
        assert later.counts("commlog")["created"] == 1
        assert later.counts("commlog")["updated"] == 0
        assert later.total("created") + later.total("updated") == 2
        assert people("orgapi", target) == people("opendental", source)
        moved = [p for p in records("orgapi", target, "patient") if p.last_name == "Smith"]
        assert "1 Migration Way" in {p.address_line1 for p in moved}  # type: ignore[attr-defined]
        assert len(records("orgapi", target, "commlog")) == len(
            records("opendental", source, "commlog")
        )

        since = run_migrate(work, src, dst, *only, "--since", before_change.isoformat())
        assert since.rc == 0, since.err
        assert since.total("created") == since.total("updated") == 0  # moved already
        assert since.counts("patient")["read"] < first.counts("patient")["read"]
