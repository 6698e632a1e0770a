"""What a dialect is: an endpoint table, codecs, paging, error rendering and an
auth scheme, with no knowledge of storage or of the web framework.

The gateway turns each HTTP request into a :class:`Call` and each
:class:`Reply` back into a response; the same dialect can also be used as a
plain library (see :func:`dialects.translate`).
"""

from __future__ import annotations

import difflib
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from canonical import Backend, CanonicalError
from dialects.auth import AuthService
from dialects.codec import Codec, CodecContext

__all__ = [
    "DIALECTS",
    "AuthRequest",
    "Call",
    "Dialect",
    "Endpoint",
    "Reply",
    "dialect_for",
    "register_dialect",
]


@dataclass(slots=True)
class Call:
    """One request, framework-free."""

    method: str
    path: str
    path_params: dict[str, str]
    query: list[tuple[str, str]]
    headers: Mapping[str, str]
    body: bytes
    backend: Backend
    ctx: CodecContext
    base_url: str
    """Scheme, host and the dialect's mount prefix, for absolute URLs."""
    url: str
    """The full request URL as the client sent it."""
    credential: Any = None
    request_id: str = ""
    services: AuthService | None = None
    """The gateway's auth service bound to this dialect (OAuth token issuance, rate limits)."""

    def query_dict(self) -> dict[str, str]:
        return dict(self.query)


@dataclass(slots=True)
class Reply:
    status: int = 200
    body: Any = None
    """JSON-able value (rendered in insertion order), raw ``bytes``, or ``None`` for empty."""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"


Handler = Callable[[Call], Awaitable[Reply]]


@dataclass(frozen=True, slots=True)
class Endpoint:
    method: str
    path: str
    handler: Handler
    resource: str | None = None
    scope: str | None = None
    """Permission the credential must carry (DrChrono scopes); ``None`` for any."""
    public: bool = False
    """Served without a credential (OAuth token endpoints): the handler authenticates the
    client itself through ``call.services`` and gets no tenant backend."""


@dataclass(frozen=True, slots=True)
class AuthRequest:
    """What the gateway should look up: a secret for this dialect's credentials."""

    secret: str
    kind: str = "key"


class Dialect:
    """Base of every dialect. Subclasses are mostly declarations."""

    name: ClassVar[str]
    """Registry name (``opendental``, ``drchrono``, ``orgapi``)."""
    prefix: ClassVar[str]
    """Mount path in the gateway."""
    document: ClassVar[str] = ""
    """The reference document(s) implemented."""
    endpoints: ClassVar[Sequence[Endpoint]] = ()
    codecs: ClassVar[Mapping[str, Codec]] = {}
    """Canonical resource name -> codec."""

    def credentials(
        self, headers: Mapping[str, str], path_params: Mapping[str, str]
    ) -> AuthRequest:
        """The secret this request presents; raise ``Unauthorized`` when there is none."""
        raise NotImplementedError

    def render_error(self, error: CanonicalError) -> Reply:
        raise NotImplementedError

    def authorize(self, call: Call, credential: Any, endpoint: Endpoint) -> None:
        """Check the authenticated credential may make this call (tenant in the
        path, scopes); raise ``Forbidden`` or ``NotFound``. Default: any call."""

    def not_found_route(self, method: str, path: str) -> Reply:
        """Reply for a path under this dialect's prefix that no endpoint serves."""
        from canonical import NotFound

        return self.render_error(NotFound(f"No resource at {method} {path}."))

    def context_options(self, call_query: list[tuple[str, str]]) -> dict[str, Any]:
        """Per-request codec options taken from the query (OD date formats, ...)."""
        return {}


DIALECTS: dict[str, type[Dialect]] = {}


def register_dialect(cls: type[Dialect]) -> type[Dialect]:
    DIALECTS[cls.name] = cls
    return cls


def dialect_for(name: str) -> Dialect:
    """The dialect registered as ``name``; a typo raises with the closest match."""
    _load_builtin()
    try:
        return DIALECTS[name]()
    except KeyError:
        close = difflib.get_close_matches(name, DIALECTS, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise KeyError(f"unknown dialect {name!r}{hint}") from None


def _load_builtin() -> None:
    import importlib

    for mod in ("dialects.opendental", "dialects.orgapi", "dialects.drchrono"):
        try:
            importlib.import_module(mod)
        except ModuleNotFoundError as exc:
            if exc.name != mod:
                raise
