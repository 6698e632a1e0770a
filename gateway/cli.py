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
    settings = load_settings(args.config, **overrides)
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(levelname)s %(name)s %(message)s"
    )
    app = create_app(settings)
    base = f"http://{settings.host}:{settings.port}"
    print(f"Practice gateway on {base} (database {settings.database_url})")
    if settings.demo:
        # Before uvicorn starts: the demo app must redirect to where this serve
        # is reached, also on a database seeded on another port.
        uris = demo_redirect_uris(settings.host, settings.port, settings.public_url)
        asyncio.run(prepare_demo(app.state.store, uris))
        print(describe_credentials(base, uris))
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="practice-gateway")
    parser.add_argument("--config", help="TOML settings file")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the gateway")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--database-url")
    serve.set_defaults(func=_serve)
    tenant = sub.add_parser("tenant", help="tenant administration")
    tsub = tenant.add_subparsers(dest="action", required=True)
    create = tsub.add_parser("create", help="create a tenant and print its credentials once")
    create.add_argument("name")
    create.add_argument("--time-zone", default="UTC")
    create.add_argument("--database-url")
    create.set_defaults(func=_tenant_create)
    args = parser.parse_args(argv)
    return int(args.func(args))
