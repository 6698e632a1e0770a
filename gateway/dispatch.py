"""Wire a dialect's endpoint table into Starlette routes.

Per request: read the body under the size cap, authenticate with the
dialect's scheme, bind the tenant's backend, run the handler, and render the
reply or any canonical error in the dialect's own shape. A failure that is not
the client's becomes a 500 in that shape with the request id, never a trace.
"""

from __future__ import annotations

import logging
import os
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast
from zoneinfo import ZoneInfo

import orjson
from starlette.datastructures import URL
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.types import Receive, Scope, Send

from canonical import CanonicalError, TooLarge, Unsupported, utcnow
from dialects.base import Call, Dialect, Endpoint, Reply
from dialects.codec import CodecContext
from dialects.limits import check_query
from gateway.auth import Authenticator
from gateway.backends.store import CredentialRow, Store
from gateway.routing import mount
from gateway.services import DialectAuthService, HourlyLimiter

log = logging.getLogger("gateway.access")
errlog = logging.getLogger("gateway.error")

_zones: dict[str, ZoneInfo] = {}


def _zone(name: str) -> ZoneInfo:
    zone = _zones.get(name)
    if zone is None:
        zone = _zones[name] = ZoneInfo(name)
    return zone


class Runtime:
    """What every request needs: the store, the authenticator and the limits."""

    def __init__(self, store: Store, auth: Authenticator, max_body: int, public_url: str | None):
        self.store = store
        self.auth = auth
        self.max_body = max_body
        self.public_url = public_url.rstrip("/") if public_url else None
        self.hooks: dict[str, Any] = {}
        """Per-dialect shared state (rate limiters, idempotency), keyed by dialect name."""
        self.rate_limits: dict[str, int] = {}
        """Hourly request limit per application key, by dialect name (0 or absent: none)."""
        self.backend_for: Callable[[Any], Any] = store.for_tenant
        """The backend of a tenant's requests: its store, or in upstream mode the
        upstream backend over it (``gateway/backends/upstream/``)."""


def _render(reply: Reply, request_id: str) -> Response:
    headers = {"X-Request-Id": request_id, **reply.headers}
    if reply.body is None:
        return Response(status_code=reply.status, headers=headers)
    if isinstance(reply.body, bytes | bytearray):
        content = bytes(reply.body)
    else:
        content = orjson.dumps(reply.body)
    return Response(content, reply.status, headers, media_type=reply.content_type)


# nginx's "client closed request": the access log's status for a client that left.
CLIENT_CLOSED = 499


async def _read_body(request: Request, cap: int) -> bytes:
    """The body, refused past ``cap`` bytes before it is all read (a declared
    length over the cap is refused before any of it is)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > cap:
        raise TooLarge(f"The request body exceeds the limit of {cap} bytes.")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            raise TooLarge(f"The request body exceeds the limit of {cap} bytes.")
        chunks.append(chunk)
    return b"".join(chunks)


def _request_id(headers: Mapping[str, str]) -> str:
    given = headers.get("x-request-id", "")
    if 8 <= len(given) <= 64 and given.replace("-", "").isalnum():
        return given
    return os.urandom(16).hex()


def _links(runtime: Runtime, dialect: Dialect, scope: Scope) -> Callable[[], tuple[str, str]]:
    """The request's base URL and full URL, built only if a handler asks."""

    def build() -> tuple[str, str]:
        url = URL(scope=scope)
        root = runtime.public_url or f"{url.scheme}://{url.netloc}"
        return f"{root}{dialect.prefix}", str(url)

    return build


class _NoTenant:
    """The backend of a public call (OAuth token endpoints): there is no tenant yet."""

    def __getattr__(self, name: str) -> Any:
        raise RuntimeError("a public endpoint has no tenant backend")


class DialectEndpoint:
    """The ASGI app of one path of a dialect: every method of that path."""

    def __init__(
        self,
        runtime: Runtime,
        dialect: Dialect,
        by_method: dict[str, Endpoint],
        services: DialectAuthService | None = None,
    ) -> None:
        self.runtime = runtime
        self.dialect = dialect
        self.by_method = by_method
        self.services = services
        self._unsupported = ", ".join(sorted(by_method))
        # Every method of one path answers its errors in one shape.
        self.render_error = next(
            (ep.render_error for ep in by_method.values() if ep.render_error),
            dialect.render_error,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self.respond(Request(scope, receive))
        await response(scope, receive, send)

    async def respond(self, request: Request) -> Response:
        started = time.perf_counter()
        runtime, dialect = self.runtime, self.dialect
        scope = request.scope
        headers = request.headers
        request_id = _request_id(headers)
        method: str = scope["method"]
        by_method = self.by_method
        ep = by_method.get(method) or (by_method.get("GET") if method == "HEAD" else None)
        # The decoded request path as the server gave it (ASGI's ``path``): what
        # errors, the access log and idempotency fingerprints name. Building
        # ``request.url`` to read it back costs more than the rest of dispatch.
        path: str = scope["path"]
        status = 500
        try:
            if ep is None:
                raise Unsupported(f"{method} is not supported on {path}; use {self._unsupported}.")
            path_params = dict(scope.get("path_params", ()))
            cred: CredentialRow | None = None
            if not ep.public:
                auth = dialect.credentials(headers, path_params)
                cred = runtime.auth.verify(dialect.name, auth.secret)
            body = await _read_body(request, runtime.max_body)
            query = request.query_params.multi_items()
            if query:
                check_query(query, dialect.query_label)
            call = Call(
                method=method,
                path=path,
                path_params=path_params,
                query=query,
                headers=headers,
                body=body,
                backend=runtime.backend_for(cred.tenant) if cred else cast(Any, _NoTenant()),
                ctx=CodecContext(
                    tz=_zone(cred.tenant.time_zone if cred else "UTC"),
                    now=utcnow(),
                    options=dialect.context_options(query),
                    # Taken before the handler reads: see Store.watermark().
                    watermark=runtime.store.watermark(),
                ),
                links=_links(runtime, dialect, scope),
                credential=cred,
                request_id=request_id,
                services=self.services,
            )
            if cred is not None:
                dialect.authorize(call, cred, ep)
            reply = await ep.handler(call)
        except CanonicalError as exc:
            reply = self.render_error(exc)
        except ClientDisconnect:
            # The client went away mid-body: its doing, not a fault here. Nothing
            # was read into a handler, so nothing changed; nobody reads the reply.
            errlog.info("request %s: client disconnected before its body arrived", request_id)
            reply = self.render_error(CanonicalError("The client disconnected."))
            reply.status = CLIENT_CLOSED
        except Exception as exc:  # never a trace to the client, never data in the log
            tb = exc.__traceback__
            while tb is not None and tb.tb_next is not None:
                tb = tb.tb_next
            where = f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}" if tb else "?"
            errlog.error("request %s failed: %s at %s", request_id, type(exc).__name__, where)
            reply = self.render_error(CanonicalError(f"Internal error (request id {request_id})."))
            reply.status = 500
        status = reply.status
        response = _render(reply, request_id)
        if log.isEnabledFor(logging.INFO):
            elapsed = (time.perf_counter() - started) * 1000
            log.info("%s %s %s %.1fms %s", method, path, status, elapsed, request_id)
        return response


def _route_key(path: str) -> tuple[int, ...]:
    """Literal segments sort before parameters, so ``/x/Simple`` wins over ``/x/{id}``."""
    return tuple(1 if seg.startswith("{") else 0 for seg in path.strip("/").split("/"))


def dialect_mount(runtime: Runtime, dialect: Dialect) -> Mount:
    grouped: dict[str, dict[str, Endpoint]] = defaultdict(dict)
    for ep in dialect.endpoints:
        grouped[ep.path][ep.method] = ep
    routes: list[Route] = []
    limit = runtime.rate_limits.get(dialect.name, 0)
    services = DialectAuthService(
        dialect.name, runtime.store, runtime.auth, HourlyLimiter(limit) if limit > 0 else None
    )
    # Every method reaches the handler, which answers an unserved one in the
    # dialect's own error shape rather than Starlette's plain-text 405.
    all_methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
    for path in sorted(grouped, key=lambda p: (_route_key(p), p)):
        endpoint = DialectEndpoint(runtime, dialect, grouped[path], services)
        routes.append(Route(path, endpoint, methods=all_methods))

    async def unknown(request: Request) -> Response:
        reply = dialect.not_found_route(request.method, request.url.path)
        return _render(reply, _request_id(request.headers))

    routes.append(Route("/{rest:path}", unknown, methods=all_methods))
    return mount(dialect.prefix, routes)


def unrouted(dialects: Sequence[Dialect]) -> Callable[[Request, Exception], Any]:
    """The app's 404 for a path no route matched. Route patterns do not match every
    path (Starlette's ``{rest:path}`` stops at a newline), so a path under a
    dialect's prefix still answers in that dialect's shape."""

    async def not_found(request: Request, exc: Exception) -> Response:
        path: str = request.scope["path"]
        for dialect in dialects:
            if path == dialect.prefix or path.startswith(dialect.prefix + "/"):
                reply = dialect.not_found_route(request.method, path)
                return _render(reply, _request_id(request.headers))
        return Response(orjson.dumps({"detail": "Not Found"}), 404, media_type="application/json")

    return not_found


def mounts(runtime: Runtime, dialects: Sequence[Dialect]) -> list[BaseRoute]:
    return [dialect_mount(runtime, d) for d in dialects]


def credential_scopes(cred: CredentialRow) -> frozenset[str]:
    return cred.scopes
