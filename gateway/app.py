"""The Starlette application: every registered dialect mounted under its prefix."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Sequence

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from dialects import DIALECTS, Dialect, dialect_for
from gateway.auth import Authenticator
from gateway.backends.store import Store
from gateway.backends.upstream.service import UpstreamService
from gateway.demo import seed_demo
from gateway.dispatch import Runtime, mounts, unrouted
from gateway.settings import Settings

log = logging.getLogger("gateway")


def all_dialects() -> list[Dialect]:
    dialect_for("opendental")  # loads the built-in dialect packages
    return [cls() for cls in DIALECTS.values()]


def rate_limits(settings: Settings, dialects: Sequence[Dialect]) -> dict[str, int]:
    """The hourly call limit of each dialect that has one: what it declares
    (:attr:`Dialect.rate_limit`), unless a setting overrides it."""
    limits = {d.name: settings.rate_limit(d.name, d.rate_limit) for d in dialects}
    return {name: limit for name, limit in limits.items() if limit is not None}


def create_app(
    settings: Settings | None = None,
    *,
    store: Store | None = None,
    dialects: Sequence[Dialect] | None = None,
) -> Starlette:
    settings = settings or Settings()
    store = store or Store(settings.database_url)
    store.migrate()
    runtime = Runtime(
        store,
        Authenticator(store, settings.auth_cache_seconds),
        settings.max_body_bytes,
        settings.public_url,
    )
    chosen = list(dialects) if dialects is not None else all_dialects()
    runtime.rate_limits.update(rate_limits(settings, chosen))

    upstream = upstream_service(settings, store)

    async def health(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok", "dialects": {d.name: d.prefix for d in chosen}})

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if settings.demo and store.is_empty():
            await seed_demo(store, data=upstream is None)
            log.info("created the demo tenant")
        if upstream is not None:
            await upstream.start()
            runtime.backend_for = upstream.backend_for
        try:
            yield
        finally:
            if upstream is not None:
                await upstream.stop()

    routes: list[BaseRoute] = [Route("/health", health), *mounts(runtime, chosen)]
    if upstream is not None:
        routes.insert(1, Route("/upstream/status", upstream.endpoint(runtime.auth, chosen)))
    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers={404: unrouted(chosen)})
    app.state.runtime = runtime
    app.state.store = store
    app.state.settings = settings
    app.state.upstream = upstream
    return app


def upstream_service(settings: Settings, store: Store) -> UpstreamService | None:
    """Upstream mode's service when the ``upstream`` setting names a server."""
    if not settings.upstream:
        return None
    if not settings.upstream_auth:
        raise ValueError("upstream mode needs the upstream_auth setting (GATEWAY_UPSTREAM_AUTH)")
    return UpstreamService(
        store,
        settings.upstream,
        settings.upstream_auth,
        interval=settings.sync_interval_seconds,
        rate=settings.upstream_requests_per_second,
    )
