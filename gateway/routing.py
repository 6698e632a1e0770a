"""Matching a request to one of a dialect's hundreds of routes, by an index.

Starlette tries each route's pattern in turn. A dialect's table is long (the
Open Dental and DrChrono catalogues answer every documented resource), so a
late route costs hundreds of regex matches per request: on the Open Dental
single-record GET, the plain ``Mount`` halves requests/s (bench/README.md).
:func:`mount` builds the indexed mount; ``mount(..., indexed=False)`` is the
plain Starlette one it must answer exactly as (tests/gateway/test_routing.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from starlette.datastructures import URLPath
from starlette.routing import BaseRoute, Match, Mount, NoMatchFound, Route
from starlette.types import Receive, Scope, Send


def mount(prefix: str, routes: Sequence[Route], *, indexed: bool = True) -> Mount:
    """The routes under ``prefix``: indexed, or Starlette's plain ``Mount``."""
    if not indexed:
        return Mount(prefix, routes=list(routes))
    return DialectMount(prefix, RouteTable(routes))


def _route_path(scope: Scope) -> str:
    """The path a route inside a mount matches: the request path after the mount's
    ``root_path`` (what every Starlette route matches against)."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    if root and path.startswith(root) and (len(path) == len(root) or path[len(root)] == "/"):
        return path[len(root) :]
    return path


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
        for route in self.candidates(_route_path(scope)):
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
