"""``python -m gateway serve`` / ``practice-gateway serve``, and tenant administration."""

from __future__ import annotations

import argparse
import asyncio
import logging
import secrets
import sys

from gateway.settings import load_settings


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from gateway.app import create_app
    from gateway.demo import demo_redirect_uris, describe_credentials, prepare_demo
    from gateway.http_guard import ConnectionLimits, guarded_protocol

    overrides = {}
    if args.host:
        overrides["host"] = args.host
    if args.port:
        overrides["port"] = args.port
    if args.database_url:
        overrides["database_url"] = args.database_url
    if args.upstream:
        overrides["upstream"] = args.upstream
    settings = load_settings(args.config, **overrides)
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(levelname)s %(name)s %(message)s"
    )
    try:
        app = create_app(settings)
    except ValueError as exc:  # a setting that cannot work (upstream's URL, its credentials)
        print(f"practice-gateway: {exc}", file=sys.stderr)
        return 2
    base = f"http://{settings.host}:{settings.port}"
    print(f"Practice gateway on {base} (database {settings.database_url})")
    if settings.demo:
        # Before uvicorn starts: the demo app must redirect to where this serve
        # is reached, also on a database seeded on another port.
        uris = demo_redirect_uris(settings.host, settings.port, settings.public_url)
        asyncio.run(prepare_demo(app.state.store, uris, data=not settings.upstream))
        print(describe_credentials(base, uris))
    if app.state.upstream is not None:
        print(f"Upstream mode: in front of {app.state.upstream.target.shown}")
    sys.stdout.flush()
    # uvicorn's access log prints query strings, which can carry patient names:
    # the gateway writes its own access log with the path only.
    limits = ConnectionLimits(
        max_head_bytes=settings.max_head_bytes,
        head_timeout=settings.head_timeout_seconds,
        body_timeout=settings.body_timeout_seconds,
    )
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        access_log=False,
        log_level=settings.log_level,
        http=guarded_protocol(limits),
    )
    return 0


def _tenant_create(args: argparse.Namespace) -> int:
    from gateway.backends.store import Store

    settings = load_settings(args.config)
    store = Store(args.database_url or settings.database_url)
    store.migrate()

    async def run() -> None:
        tenant = await store.create_tenant(args.name, time_zone=args.time_zone)
        dev, customer = secrets.token_urlsafe(12), secrets.token_urlsafe(18)
        await store.add_credential(tenant, "opendental", f"{dev}/{customer}", label="cli")
        print(f"tenant {tenant.id} org_id {tenant.org_id}")
        print(f"opendental  Authorization: ODFHIR {dev}/{customer}")

    asyncio.run(run())
    return 0


def _upstream_status(args: argparse.Namespace) -> int:
    """The sync status as stored in the database (the gateway may be running or not)."""
    from datetime import timedelta

    import orjson

    from gateway.backends.store import Store
    from gateway.backends.upstream.crosswalk import Crosswalk
    from gateway.backends.upstream.sync import read_status
    from gateway.demo import DEMO_TENANT_ID

    settings = load_settings(args.config)
    store = Store(args.database_url or settings.database_url)
    store.migrate()
    tenant = store.get_tenant(DEMO_TENANT_ID)
    if tenant is None:
        print("no upstream tenant in this database", file=sys.stderr)
        return 1
    xw = Crosswalk(store.for_tenant(tenant), uuid_keyed=False)
    bound = timedelta(seconds=3 * settings.sync_interval_seconds)
    with store._read() as conn:
        rows = read_status(conn, tenant.id, None, xw.count(conn), bound)
    if args.json:
        print(orjson.dumps([r.as_json() for r in rows]).decode())
        return 0 if rows and all(r.fresh for r in rows) else 2
    print(f"{'resource':<12} {'fresh':<5} {'records':>7}  {'last pull':<25} watermark / last error")
    for r in rows:
        pulled = r.last_pull_at.isoformat(timespec="seconds") if r.last_pull_at else "never"
        note = r.last_error or ("" if r.watermark is None else str(r.watermark))
        print(
            f"{r.resource:<12} {'yes' if r.fresh else 'NO':<5} {r.records:>7}  {pulled:<25} {note}"
        )
    return 0 if rows and all(r.fresh for r in rows) else 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="practice-gateway")
    parser.add_argument("--config", help="TOML settings file")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the gateway")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--database-url")
    serve.add_argument(
        "--upstream",
        help="front a real server: opendental+URL, drchrono+URL or orgapi+URL "
        "(credentials in GATEWAY_UPSTREAM_AUTH)",
    )
    serve.set_defaults(func=_serve)
    upstream = sub.add_parser("upstream", help="upstream mode")
    usub = upstream.add_subparsers(dest="action", required=True)
    status = usub.add_parser(
        "status", help="per resource: last pull, watermark, records, last error, fresh"
    )
    status.add_argument("--database-url")
    status.add_argument("--json", action="store_true")
    status.set_defaults(func=_upstream_status)
    from gateway.migrate.command import add_parser as add_migrate

    add_migrate(sub)
    tenant = sub.add_parser("tenant", help="tenant administration")
    tsub = tenant.add_subparsers(dest="action", required=True)
    create = tsub.add_parser("create", help="create a tenant and print its credentials once")
    create.add_argument("name")
    create.add_argument("--time-zone", default="UTC")
    create.add_argument("--database-url")
    create.set_defaults(func=_tenant_create)
    args = parser.parse_args(argv)
    return int(args.func(args))
