"""Wire a dialect's endpoint table into Starlette routes.

Per request: read the body under the size cap, authenticate with the
dialect's scheme, bind the tenant's backend, run the handler, and render the
reply or any canonical error in the dialect's own shape. A failure that is not
the client's becomes a 500 in that shape with the request id, never a trace.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo

import orjson
from starlette._utils import get_route_path  # the path a route inside a Mount matches
from starlette.datastructures import URL, Headers, URLPath
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Mount, NoMatchFound, Route
from starlette.types import Receive, Scope, Send

from canonical import CanonicalError, TooLarge, Unsupported, utcnow
from dialects.base import Call, Dialect, Endpoint, Reply
from dialects.codec import CodecContext
from dialects.limits import check_query
from gateway.auth import Authenticator
from gateway.backends.store import CredentialRow, Store
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


def _render(reply: Reply, request_id: str) -> Response:
    headers = {"X-Request-Id": request_id, **reply.headers}
    if reply.body is None:
        return Response(status_code=reply.status, headers=headers)
    if isinstance(reply.body, bytes | bytearray):
        content = bytes(reply.body)
    else:
        content = orjson.dumps(reply.body)
    return Response(content, reply.status, headers, media_type=reply.content_type)


def _raw_reply(reply: Reply, request_id: str) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """What :func:`_render`'s ``Response`` sends (status, raw headers, body), built directly."""
    raw = [(b"x-request-id", request_id.encode("latin-1"))]
    for k, v in reply.headers.items():
        if k == "X-Request-Id":  # replaces the id in place, as the dict merge does
            raw[0] = (b"x-request-id", v.encode("latin-1"))
        else:
            raw.append((k.lower().encode("latin-1"), v.encode("latin-1")))
    body = reply.body
    if body is None:
        content, media_type = b"", None
    elif isinstance(body, bytes | bytearray):
        content, media_type = bytes(body), reply.content_type
    else:
        content, media_type = orjson.dumps(body), reply.content_type
    keys = [h[0] for h in raw]
    status = reply.status
    if b"content-length" not in keys and not (status < 200 or status in (204, 304)):
        raw.append((b"content-length", str(len(content)).encode("latin-1")))
    if media_type is not None and b"content-type" not in keys:
        if media_type.startswith("text/") and "charset=" not in media_type.lower():
            media_type += "; charset=utf-8"
        raw.append((b"content-type", media_type.encode("latin-1")))
    return status, raw, content


# nginx's "client closed request": the access log's status for a client that left.
CLIENT_CLOSED = 499

# Methods whose requests carry no body unless the client declares one.
_BODYLESS = frozenset({"GET", "HEAD"})


async def _read_body(headers: Headers, method: str, receive: Receive, cap: int) -> bytes:
    declared = headers.get("content-length")
    if declared is None and method in _BODYLESS and "transfer-encoding" not in headers:
        return b""  # HTTP/1.1: no length and no chunking means no body to read
    if declared is not None and declared.isdigit() and int(declared) > cap:
        raise TooLarge(f"The request body exceeds the limit of {cap} bytes.")
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > cap:
            raise TooLarge(f"The request body exceeds the limit of {cap} bytes.")
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _request_id(headers: Mapping[str, str]) -> str:
    given = headers.get("x-request-id", "")
    if 8 <= len(given) <= 64 and given.replace("-", "").isalnum():
        return given
    return os.urandom(16).hex()


def _url_path(scope: Scope) -> str:
    """``request.url.path`` without building the URL: the scope's path, unless it
    holds characters that URL parsing escapes or strips (then the URL decides)."""
    path: str = scope["path"]
    if path.isprintable() and not _URL_SPECIAL.search(path) and not path.startswith("//"):
        return path
    return URL(scope=scope).path


_URL_SPECIAL = re.compile(r"[?#\\]|\s$")


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
    """The ASGI app of one path of a dialect: every method of that path.

    It reads the raw ASGI scope rather than a Starlette ``Request``: the call
    needs the headers, path parameters, query and body, and nothing else.
    """

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
        status, headers, body = await self.respond(scope, receive)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def respond(
        self, scope: Scope, receive: Receive
    ) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        started = time.perf_counter()
        runtime, dialect = self.runtime, self.dialect
        headers = Headers(scope=scope)
        request_id = _request_id(headers)
        method: str = scope["method"]
        by_method = self.by_method
        ep = by_method.get(method) or (by_method.get("GET") if method == "HEAD" else None)
        path = _url_path(scope)
        status = 500
        try:
            if ep is None:
                raise Unsupported(f"{method} is not supported on {path}; use {self._unsupported}.")
            path_params = dict(scope.get("path_params", ()))
            cred: CredentialRow | None = None
            if not ep.public:
                auth = dialect.credentials(headers, path_params)
                cred = runtime.auth.verify(dialect.name, auth.secret)
            body = await _read_body(headers, method, receive, runtime.max_body)
            raw_query: bytes = scope.get("query_string", b"")
            query = (
                parse_qsl(raw_query.decode("latin-1"), keep_blank_values=True) if raw_query else []
            )
            if query:
                check_query(query, dialect.query_label)
            call = Call(
                method=method,
                path=path,
                path_params=path_params,
                query=query,
                headers=headers,
                body=body,
                backend=runtime.store.for_tenant(cred.tenant) if cred else cast(Any, _NoTenant()),
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
        response = _raw_reply(reply, request_id)
        if log.isEnabledFor(logging.INFO):
            elapsed = (time.perf_counter() - started) * 1000
            log.info("%s %s %s %.1fms %s", method, path, status, elapsed, request_id)
        return response


def _route_key(path: str) -> tuple[int, ...]:
    """Literal segments sort before parameters, so ``/x/Simple`` wins over ``/x/{id}``."""
    return tuple(1 if seg.startswith("{") else 0 for seg in path.strip("/").split("/"))


def dialect_mount(runtime: Runtime, dialect: Dialect) -> DialectMount:
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
    return DialectMount(dialect.prefix, RouteTable(routes))


class RouteTable(BaseRoute):
    """A dialect's routes, matched in table order against only those that can fit.

    Starlette tries each route's pattern in turn, so a late route of a long table
    (DrChrono has hundreds) costs hundreds of regex matches per request. A route
    whose parameters each fill one segment can only match a path with as many
    segments and its literal segments in place; routes are indexed by exactly that,
    and the candidates are matched by their own patterns in their original order,
    so the route that answers is the one Starlette's linear search would pick.
    A ``:path`` parameter may span segments: such routes are always candidates.
    """

    def __init__(self, routes: Sequence[Route]) -> None:
        self.routes = list(routes)
        self._by_endpoint = {r.endpoint: r for r in self.routes}
        self._wide: list[int] = []
        # segment count -> [(literal positions, {their texts: route positions})]
        self._shapes: dict[int, list[tuple[tuple[int, ...], dict[tuple[str, ...], list[int]]]]]
        self._shapes = defaultdict(list)
        for pos, route in enumerate(self.routes):
            segments = route.path.split("/")
            if any(":path}" in seg for seg in segments):
                self._wide.append(pos)
                continue
            literal = tuple(i for i, seg in enumerate(segments) if "{" not in seg)
            shapes = self._shapes[len(segments)]
            table = next((t for lit, t in shapes if lit == literal), None)
            if table is None:
                table = {}
                shapes.append((literal, table))
            table.setdefault(tuple(segments[i] for i in literal), []).append(pos)

    def candidates(self, path: str) -> list[Route]:
        segments = path.split("/")
        found = list(self._wide)
        for literal, table in self._shapes.get(len(segments), ()):
            found += table.get(tuple(segments[i] for i in literal), ())
        return [self.routes[i] for i in sorted(found)]

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        partial: tuple[Match, Scope] | None = None
        for route in self.candidates(get_route_path(scope)):
            match, child = route.matches(scope)
            if match is Match.FULL:
                return match, child
            if match is Match.PARTIAL and partial is None:
                partial = (match, child)
        return partial or (Match.NONE, {})

    def route_for(self, endpoint: Any) -> Route | None:
        return self._by_endpoint.get(endpoint)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        route = self._by_endpoint[scope["endpoint"]]
        scope["route"] = route
        await route.handle(scope, receive, send)

    def url_path_for(self, name: str, /, **path_params: Any) -> URLPath:
        for route in self.routes:
            try:
                return route.url_path_for(name, **path_params)
            except NoMatchFound:
                pass
        raise NoMatchFound(name, path_params)


class DialectMount(Mount):
    """A dialect's prefix mount that hands a request straight to its route.

    A plain ``Mount`` matches the prefix, then its inner router matches the
    table again and calls the route. Here the prefix is matched by the same
    pattern and the table is consulted once, in ``matches``; when no route of
    the table answers, the inner router takes over exactly as before (its
    redirect and not-found handling).
    """

    def __init__(self, prefix: str, table: RouteTable) -> None:
        super().__init__(prefix, routes=[table])
        self.table = table

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child = super().matches(scope)
        if match is not Match.FULL:
            return match, child
        found, route_child = self.table.matches({**scope, **child})
        if found is Match.NONE:
            return match, child
        child.update(route_child)
        return Match.FULL, child

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        route = self.table.route_for(scope["endpoint"])
        if route is None:  # the inner router (no route of the table matched)
            await super().handle(scope, receive, send)
            return
        scope["route"] = route
        await route.handle(scope, receive, send)


def unrouted(dialects: Sequence[Dialect]) -> Callable[[Request, Exception], Any]:
    """The app's 404 for a path no route matched. Route patterns do not match every
    path (Starlette's ``{rest:path}`` stops at a newline), so a path under a
    dialect's prefix still answers in that dialect's shape."""

    async def not_found(request: Request, exc: Exception) -> Response:
        path = request.url.path
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
