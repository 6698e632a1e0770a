"""Upstream mode as the app runs it: the upstream's client, the backend of the
tenant that stands for the upstream practice, the sync loop and its status.

The demo tenant (its credentials printed by ``serve``) is the upstream
practice; it is created without the demo data, which the upstream holds.
Any other tenant of the database is served from the store as usual.

The sync status is ``GET /upstream/status``, authenticated with any of the
upstream tenant's credentials in any dialect's scheme (``ODFHIR ...``, or a
DrChrono or org API bearer token): whoever may read the practice's records
may see how fresh they are. It answers JSON: the upstream (its URL without
credentials), whether the whole mirror is fresh, and per resource the last
successful pull, the watermark, the records mirrored, the last error and
whether it is within its freshness bound.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from starlette.requests import Request
from starlette.responses import JSONResponse

from canonical import CanonicalError, Unauthorized, Unavailable
from dialects import Dialect
from gateway.auth import Authenticator
from gateway.backends.store import Store, TenantRow
from gateway.backends.upstream.backend import UpstreamBackend
from gateway.backends.upstream.sync import Syncer
from gateway.backends.upstream.target import Target, make_client, parse_target
from gateway.backends.upstream.tokens import TokenKeeper
from gateway.demo import DEMO_TENANT_ID

__all__ = ["UpstreamService"]

log = logging.getLogger("gateway.upstream")
# httpx logs every request's URL at INFO, query string included: a search by name
# would put patient data in the log. The client's own errors say what failed.
logging.getLogger("httpx").setLevel(logging.WARNING)


class UpstreamService:
    def __init__(
        self,
        store: Store,
        upstream: str,
        auth: str,
        *,
        interval: float,
        rate: float | None = None,
        tenant_id: str = DEMO_TENANT_ID,
    ) -> None:
        self.store = store
        self.target: Target = parse_target(upstream)
        self.auth = auth
        self.interval = interval
        self.rate = rate
        self.tenant_id = tenant_id
        self.backend: UpstreamBackend | None = None
        self.syncer: Syncer | None = None
        self._http: httpx.AsyncClient | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self, *, sync: bool = True) -> None:
        """Open the upstream's client and start the sync loop (a full pull first)."""
        tenant = self.store.get_tenant(self.tenant_id)
        if tenant is None:
            raise RuntimeError(f"upstream mode needs the tenant {self.tenant_id!r}")
        self._http = httpx.AsyncClient(base_url=self.target.base_url)
        auth, on_tokens = self.auth, None
        if self.target.dialect == "drchrono":  # its refresh tokens rotate: keep the latest
            keeper = TokenKeeper(self.store, tenant.id, self.auth)
            auth, on_tokens = keeper.setting(), keeper.save
        client = make_client(
            self.target,
            self._http,
            auth,
            tz=ZoneInfo(tenant.time_zone),
            rate=self.rate,
            on_tokens=on_tokens,
        )
        self.backend = UpstreamBackend(self.store.for_tenant(tenant), client, woken=self._woken)
        self.syncer = Syncer(self.backend, self.interval)
        if sync:
            self._task = asyncio.create_task(self.syncer.run(), name="upstream-sync")
        log.info("upstream mode: %s", self.target.shown)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._http is not None:
            await self._http.aclose()

    def _woken(self) -> None:
        if self.syncer is not None:
            self.syncer.wake()

    def backend_for(self, tenant: TenantRow) -> Any:
        """The backend a request of ``tenant`` is served by."""
        if tenant.id != self.tenant_id:
            return self.store.for_tenant(tenant)
        if self.backend is None:
            raise Unavailable("The gateway's upstream connection is not started yet.")
        return self.backend

    def status(self) -> dict[str, Any]:
        resources = self.syncer.status() if self.syncer else []
        return {
            "upstream": self.target.shown,
            "sync_interval_seconds": self.interval,
            "fresh": bool(resources) and all(r.fresh for r in resources),
            "resources": [r.as_json() for r in resources],
        }

    def endpoint(self, auth: Authenticator, dialects: Sequence[Dialect]) -> Any:
        async def status(request: Request) -> JSONResponse:
            try:
                tenant = _tenant_of(request, auth, dialects)
            except CanonicalError as exc:
                return JSONResponse({"detail": exc.message}, 401)
            if tenant.id != self.tenant_id:
                return JSONResponse({"detail": "This tenant is not served from an upstream."}, 404)
            return JSONResponse(self.status())

        return status


def _tenant_of(request: Request, auth: Authenticator, dialects: Sequence[Dialect]) -> TenantRow:
    """The tenant of whichever dialect's credential the request presents."""
    for dialect in dialects:
        try:
            presented = dialect.credentials(request.headers, {})
            return auth.verify(dialect.name, presented.secret).tenant
        except CanonicalError:
            continue
    raise Unauthorized("Invalid credentials.")
