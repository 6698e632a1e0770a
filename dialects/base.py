"""What a dialect is: an endpoint table, codecs, paging, error rendering and an
auth scheme, with no knowledge of storage or of the web framework.

The gateway turns each HTTP request into a :class:`Call` and each
:class:`Reply` back into a response; the same dialect can also be used as a
plain library (see :func:`dialects.translate`).
"""

from __future__ import annotations

import difflib
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, ClassVar, NamedTuple

from canonical import Backend, CanonicalError, Ref
from dialects.auth import AuthService
from dialects.codec import Codec, CodecContext

__all__ = [
    "DIALECTS",
    "AuthRequest",
    "Call",
    "Dialect",
    "Endpoint",
    "Reply",
    "Served",
    "dialect_for",
    "register_dialect",
    "served_by",
    "status_for",
]


class Call:
    """One request, framework-free.

    ``base_url`` and ``url`` may be given as values or, by the gateway, as one
    ``links`` function computed on first use: most handlers never read them,
    and building a URL from the request costs more than the rest of the call set-up.
    """

    __slots__ = (
        "_base_url",
        "_links",
        "_url",
        "backend",
        "body",
        "credential",
        "ctx",
        "headers",
        "method",
        "path",
        "path_params",
        "query",
        "request_id",
        "services",
    )

    def __init__(
        self,
        method: str,
        path: str,
        path_params: dict[str, str],
        query: list[tuple[str, str]],
        headers: Mapping[str, str],
        body: bytes,
        backend: Backend,
        ctx: CodecContext,
        base_url: str | None = None,
        url: str | None = None,
        credential: Any = None,
        request_id: str = "",
        services: AuthService | None = None,
        *,
        links: Callable[[], tuple[str, str]] | None = None,
    ) -> None:
        if links is None and (base_url is None or url is None):
            raise TypeError("Call needs base_url and url, or links")
        self.method = method
        self.path = path
        self.path_params = path_params
        self.query = query
        self.headers = headers
        self.body = body
        self.backend = backend
        self.ctx = ctx
        self._base_url = base_url
        self._url = url
        self._links = links
        self.credential = credential
        self.request_id = request_id
        # The gateway's auth service bound to this dialect (OAuth token issuance, rate limits).
        self.services = services

    def _resolve(self) -> None:
        assert self._links is not None
        base_url, url = self._links()
        if self._base_url is None:
            self._base_url = base_url
        if self._url is None:
            self._url = url

    @property
    def base_url(self) -> str:
        """Scheme, host and the dialect's mount prefix, for absolute URLs."""
        if self._base_url is None:
            self._resolve()
        assert self._base_url is not None
        return self._base_url

    @base_url.setter
    def base_url(self, value: str) -> None:
        self._base_url = value

    @property
    def url(self) -> str:
        """The full request URL as the client sent it."""
        if self._url is None:
            self._resolve()
        assert self._url is not None
        return self._url

    @url.setter
    def url(self, value: str) -> None:
        self._url = value

    def query_dict(self) -> dict[str, str]:
        return dict(self.query)

    def user(self) -> Ref | None:
        """The user behind the credential, when the credential names one
        (``user_num`` in its metadata); ``None`` otherwise."""
        meta = getattr(self.credential, "meta", None) or {}
        num = meta.get("user_num") if isinstance(meta, Mapping) else None
        return Ref(num=num) if isinstance(num, int) and num > 0 else None


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
    render_error: Callable[[CanonicalError], Reply] | None = None
    """Shape of the errors the gateway raises on this path before the handler runs
    (body over the limit, bad query, wrong method); ``None``: the dialect's."""


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
    query_label: ClassVar[str] = "{}"
    """How an error names a query parameter (a format of its name)."""
    scopes: ClassVar[tuple[str, ...]] = ()
    """Every scope a credential can be granted (the demo's credentials get all of them)."""
    rate_limit: ClassVar[int | None] = None
    """Calls per client application per clock hour before a 429 (``None``: no limit)."""

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


def status_for(
    error: CanonicalError, table: Sequence[tuple[type[CanonicalError], int]], default: int
) -> int:
    """The status a dialect's table gives ``error``: the first row whose class it is."""
    return next((code for cls, code in table if isinstance(error, cls)), default)


class Served(NamedTuple):
    """What a dialect's resource modules declare, assembled by :func:`served_by`."""

    endpoints: tuple[Endpoint, ...]
    codecs: dict[str, Codec]


def served_by(modules: Iterable[ModuleType]) -> Served:
    """The endpoints and codecs of a dialect's resource modules, in module order.

    The one convention every dialect package follows: each resource module
    declares ``ENDPOINTS`` (its :class:`Endpoint` rows) and, when it encodes
    canonical resources, ``CODECS`` (canonical resource name -> :class:`Codec`);
    the package lists its modules once and builds its :class:`Dialect` from
    this. Two endpoints with one method and path, two codecs for one resource,
    or a codec filed under another resource's name are declaration mistakes
    and raise, so the order of the list never decides what is served.
    """
    endpoints: list[Endpoint] = []
    codecs: dict[str, Codec] = {}
    owner: dict[tuple[str, str], str] = {}
    codec_owner: dict[str, str] = {}
    for module in modules:
        declared = getattr(module, "ENDPOINTS", None)
        if declared is None:
            raise TypeError(f"{module.__name__} declares no ENDPOINTS")
        for ep in declared:
            key = (ep.method, ep.path)
            if key in owner:
                raise ValueError(
                    f"{module.__name__} and {owner[key]} both declare {ep.method} {ep.path}"
                )
            owner[key] = module.__name__
            endpoints.append(ep)
        for resource, codec in getattr(module, "CODECS", {}).items():
            if resource in codec_owner:
                raise ValueError(
                    f"{module.__name__} and {codec_owner[resource]} both declare "
                    f"the {resource!r} codec"
                )
            if codec.model.resource != resource:
                raise ValueError(
                    f"{module.__name__} files the {codec.model.resource!r} codec under {resource!r}"
                )
            codec_owner[resource] = module.__name__
            codecs[resource] = codec
    return Served(tuple(endpoints), codecs)


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
