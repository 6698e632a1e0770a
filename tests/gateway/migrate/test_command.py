"""``practice-gateway migrate`` Open Dental -> org API and from a store: a real chain on
loopback (a source gateway serving the demo practice, a target gateway serving an
empty tenant, the command in its own process)."""

from __future__ import annotations

from pathlib import Path

from tests.gateway.migrate.chains import run_migrate, source_and_target, spec
from tests.gateway.migrate.reading import people, records


def test_open_dental_to_org_api_moves_once_reports_and_dry_runs(tmp_path: Path) -> None:
    with source_and_target(tmp_path) as (source, target):
        src, dst = spec("opendental", source), spec("orgapi", target)
        work = tmp_path / "work.db"

        dry = run_migrate(work, src, dst, "--dry-run")
        assert dry.report["dry_run"] is True, dry.err
        assert dry.counts("patient")["would_create"] == len(people("opendental", source))
        assert people("orgapi", target) == []  # a dry run writes nothing

        first = run_migrate(work, src, dst)
        # The org API requires an allergy's and a problem's definition, which no
        # dialect lists: those fail, with the reason, and the rest moves.
        assert first.rc == 3, first.err
        assert people("orgapi", target) == people("opendental", source)
        patients = first.counts("patient")
        assert patients["created"] == patients["read"] and patients["failed"] == 0
        assert patients["verified"] == patients["created"] and patients["mismatched"] == 0
        assert "primary_provider (not on the target)" in patients["lost_fields"]
        commlogs = first.counts("commlog")
        assert commlogs["created"] == len(records("opendental", source, "commlog"))
        assert len(records("orgapi", target, "commlog")) == commlogs["created"]
        failed = [r for r in first.report["records"] if r["outcome"] == "failed"]
        assert {r["resource"] for r in failed} == {"allergy", "problem"}
        assert all("requires its" in r["error"] for r in failed)
        assert first.report["not_moved"]["provider"].endswith("cannot hold it")
        assert "Smith" not in first.out + first.err + str(first.report)  # no patient data

        again = run_migrate(work, src, dst)
        assert again.total("created") == again.total("updated") == 0, again.report
        assert people("orgapi", target) == people("opendental", source)


def test_store_end_to_org_api_and_bad_input(tmp_path: Path) -> None:
    with source_and_target(tmp_path) as (source, target):
        src = f"store+sqlite:///{tmp_path / 'source.db'}"
        dst = spec("orgapi", target)
        work = tmp_path / "work.db"
        moved = run_migrate(work, src, dst, "--resources", "patient,commlog")
        assert moved.rc == 0, moved.err + moved.out
        assert people("orgapi", target) == people("opendental", source)
        assert set(moved.report["resources"]) == {"patient", "commlog"}

        bad = run_migrate(work, "mysql+x://h", dst)
        assert bad.rc == 2 and "--from" in bad.err and "Traceback" not in bad.err
        unknown = run_migrate(work, src, dst, "--resources", "patients")
        assert unknown.rc == 2 and "unknown resource patients" in unknown.err
        no_auth = run_migrate(work, src, dst, MIGRATE_TO_AUTH="")
        assert no_auth.rc == 2 and "MIGRATE_TO_AUTH" in no_auth.err


def _demo_database(path: Path) -> Path:
    import asyncio

    from gateway.backends.store import Store
    from gateway.demo import seed_demo

    store = Store(f"sqlite:///{path}")
    store.migrate()
    asyncio.run(seed_demo(store))
    store.close()
    return path


def test_store_to_store_and_an_unreachable_target_stops_resumably(tmp_path: Path) -> None:
    from tests.gateway.migrate.chains import target_practice
    from tests.serving import free_port

    src = f"store+sqlite:///{_demo_database(tmp_path / 'source.db')}"
    dst = f"store+sqlite:///{target_practice(tmp_path / 'target.db')}"
    work = tmp_path / "work.db"
    moved = run_migrate(work, src, dst)  # every resource: a store holds them all
    assert moved.rc == 0, [r for r in moved.report["records"] if r.get("error")]
    assert moved.counts("provider")["matched"] == moved.counts("provider")["read"]
    assert moved.counts("patient")["created"] == moved.counts("patient")["read"] > 0
    assert moved.counts("patient")["mismatched"] == 0
    assert (
        run_migrate(work, src, dst, "--resources", "provider,patient,commlog,task").total("created")
        == 0
    )

    closed = (
        f"orgapi+http://127.0.0.1:{free_port()}/orgapi/api/v1/5f0c8a4e-2d3b-4c6a-9e1f-7a8b9c0d1e2f"
    )
    stopped = run_migrate(work, src, closed, "--resources", "patient")
    assert stopped.rc == 4 and "resume with" in stopped.err, stopped.err
    assert "Traceback" not in stopped.err
