"""``practice-gateway migrate``: the command's flags, and one run from start to report.

The run's state is kept in the gateway's own database (the ``database_url``
setting: ``--config``, ``GATEWAY_DATABASE_URL``, default ``./gateway.db``),
whichever the ends are. ``--resume RUN_ID`` continues a run with the ends,
resources, ``--since`` and dry-run flag it was started with (``--from`` and
``--to``, when given, must name the same ends); credentials are given
again, as they are never stored.

``--since`` is an ISO 8601 date or time (a time without a zone is UTC); without
it a run between two ends that have met before starts from the watermarks
of the last finished run between them, and a first run moves everything.

Exit status: 0 nothing failed; 3 some records failed and the rest moved; 4 the
run stopped (an end could not be reached: ``--resume`` it); 2 bad input.
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import sys
from datetime import UTC, date, datetime

from gateway.migrate.crosswalk import pair_id
from gateway.migrate.plan import plan
from gateway.migrate.progress import Bars
from gateway.migrate.report import EXIT, exit_status, print_summary, summary, write_json
from gateway.migrate.run import Migration, Stopped
from gateway.migrate.specs import SpecError, credentials_for, open_end, parse_end
from gateway.migrate.state import RunRow, State

__all__ = ["add_parser", "migrate"]


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "migrate",
        help="move a practice between servers of any two dialects (or a store)",
        description="Credentials: MIGRATE_FROM_AUTH / MIGRATE_TO_AUTH or --credentials FILE.",
    )
    p.add_argument(
        "--from", dest="source", help="opendental+URL, drchrono+URL, orgapi+URL, store+DB"
    )
    p.add_argument("--to", dest="target", help="opendental+URL, drchrono+URL, orgapi+URL, store+DB")
    p.add_argument("--credentials", help="TOML file with [from] and [to] auth")
    p.add_argument("--resources", help="comma-separated canonical resources (default: all)")
    p.add_argument("--since", help="move only what changed since this ISO 8601 date or time")
    p.add_argument("--dry-run", action="store_true", help="everything but the writes")
    p.add_argument("--resume", metavar="RUN_ID", help="continue a run that stopped")
    p.add_argument("--report", metavar="FILE", help="write the JSON report here")
    p.set_defaults(func=migrate)


def _since(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        try:
            parsed = datetime.combine(date.fromisoformat(value), datetime.min.time())
        except ValueError:
            raise SpecError(f"--since: {value!r} is not an ISO 8601 date or time") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def migrate(args: argparse.Namespace) -> int:
    try:
        return asyncio.run(_migrate(args))
    except SpecError as exc:
        print(f"migrate: {exc}", file=sys.stderr)
        return EXIT["bad_input"]
    except KeyboardInterrupt:
        print("migrate: interrupted; resume with --resume", file=sys.stderr)
        return EXIT["stopped"]


def _working_state(args: argparse.Namespace) -> State:
    from gateway.backends.store import Store
    from gateway.settings import load_settings

    try:
        settings = load_settings(getattr(args, "config", None))
    except Exception as exc:  # pydantic's validation error: name the setting, not a trace
        raise SpecError(f"the gateway settings are not valid: {type(exc).__name__}") from None
    store = Store(settings.database_url)
    store.migrate()
    return State(store.engine)


async def _migrate(args: argparse.Namespace) -> int:
    state = _working_state(args)
    if args.resume:
        run = state.run(args.resume)
        if run is None:
            raise SpecError(f"--resume: no run {args.resume!r} in this database")
        source, target = parse_end(run.source, "--from"), parse_end(run.target, "--to")
        for given, spec, flag in ((args.source, source, "--from"), (args.target, target, "--to")):
            if given and parse_end(given, flag).shown != spec.shown:
                raise SpecError(f"{flag} is not the run's ({spec.shown})")
        since = _since(run.since)
        wanted = run.resources
    else:
        if not args.source or not args.target:
            raise SpecError("--from and --to are required (or --resume RUN_ID)")
        source, target = parse_end(args.source, "--from"), parse_end(args.target, "--to")
        since = _since(args.since)
        wanted = (
            [r.strip() for r in args.resources.split(",") if r.strip()] if args.resources else []
        )
        run = None
    from_creds = credentials_for("from", args.credentials)
    to_creds = credentials_for("to", args.credentials)
    async with open_end(source, from_creds, "from") as src, open_end(target, to_creds, "to") as dst:
        try:
            steps = plan(src, dst, wanted or None)
        except ValueError as exc:
            raise SpecError(f"--resources: {exc}") from None
        if run is None:
            run = RunRow(
                run_id=f"m{datetime.now(UTC):%Y%m%d%H%M%S}-{secrets.token_hex(3)}",
                pair=pair_id(source.shown, target.shown),
                source=source.shown,
                target=target.shown,
                resources=steps.resources,
                since=None if since is None else since.isoformat(),
                dry_run=bool(args.dry_run),
                status="running",
            )
            state.start(run)
        else:
            state.finish(run.run_id, "running")
        print(f"migrate {run.run_id}: {run.source} -> {run.target}", flush=True)
        migration = Migration(
            source=src,
            target=dst,
            state=state,
            run=run,
            plan=steps,
            bars=Bars(),
            since=since,
            defaults={"provider": to_creds.default_provider} if to_creds.default_provider else None,
        )
        status = "done"
        stopped = None
        try:
            with migration.bars:
                await migration.execute()
        except Stopped as exc:
            status, stopped = "stopped", str(exc)
        state.finish(run.run_id, status)
    head = summary(state, run.run_id, steps.not_moved)
    if status == "done" and exit_status(head) == EXIT["partial"]:
        state.finish(run.run_id, "partial")
        head["status"] = "partial"
    print_summary(head)
    if args.report:
        write_json(state, head, args.report)
    if stopped is not None:
        print(f"stopped: {stopped}", file=sys.stderr)
        print(f"resume with: practice-gateway migrate --resume {run.run_id}", file=sys.stderr)
    return exit_status(head)
