"""Killed at any instant (``kill -9``) and resumed, a run leaves every source record
in the target exactly once; a create whose answer was never recorded is found in
the target, not made again."""

from __future__ import annotations

import sqlite3
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.gateway.migrate.chains import (
    command,
    migrate_env,
    run_migrate,
    source_and_target,
    spec,
)
from tests.gateway.migrate.reading import people, records


def _outcomes(work: Path) -> int:
    try:
        with sqlite3.connect(work) as db:
            return int(db.execute("select count(*) from migrate_outcomes").fetchone()[0])
    except sqlite3.Error:
        return 0


def _run_id(work: Path) -> str:
    with sqlite3.connect(work) as db:
        return str(db.execute("select run_id from migrate_runs").fetchone()[0])


@pytest.mark.parametrize("target_dialect", ["orgapi", "drchrono"])
def test_kill_9_and_resume_leaves_no_duplicate_and_no_gap(
    tmp_path: Path, target_dialect: str
) -> None:
    with source_and_target(tmp_path) as (source, target):
        src, dst = spec("opendental", source), spec(target_dialect, target)
        work = tmp_path / "work.db"
        # Slowed down so the kill lands in the middle of the patients.
        env = migrate_env(work, src, dst, MIGRATE_TO_REQUESTS_PER_SECOND="15")
        proc = subprocess.Popen(
            command(src, dst, tmp_path / "killed.json", "--resources", "provider,patient,commlog"),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while _outcomes(work) < 14 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        proc.kill()  # SIGKILL: no clean-up of any kind
        proc.wait()
        assert 0 < len(people(target_dialect, target)) < len(people("opendental", source))

        # The answer of a create lost with the process: its link is left pending.
        with sqlite3.connect(work) as db:
            db.execute(
                "update migrate_crosswalk set state = 'pending' where resource = 'patient' "
                "and state = 'done' and source_key in (select source_key from "
                "migrate_crosswalk where resource = 'patient' and state = 'done' limit 3)"
            )

        resumed = run_migrate(work, src, dst, "--resume", _run_id(work))
        assert resumed.rc in (0, 3), resumed.err
        moved, before = people(target_dialect, target), people("opendental", source)
        failed = resumed.counts("patient").get("failed", 0)
        assert len(moved) == len(before) - failed
        assert not Counter(moved) - Counter(before)  # no duplicate
        commlogs = records(target_dialect, target, "commlog")
        assert len(commlogs) == resumed.counts("commlog")["created"]

        again = run_migrate(work, src, dst, "--resources", "provider,patient,commlog")
        assert again.total("created") == again.total("updated") == 0
