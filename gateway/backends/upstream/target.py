"""Which upstream, and its client: the ``upstream`` and ``upstream_auth`` settings.

``upstream`` is the dialect, a ``+``, and the API's base URL:

- ``opendental+https://host/api/v1``: ``upstream_auth`` is the whole
  ``Authorization`` value (``ODFHIR dev/customer``; the ``ODFHIR`` scheme is
  added when only ``dev/customer`` is given);
- ``drchrono+https://host``: an access token, or
  ``client_id:client_secret:refresh_token`` for OAuth with refresh;
- ``orgapi+https://host/api/v1/{org_id}``: the org's bearer token.

A gateway in store mode is also such a server: ``opendental+http://127.0.0.1:8000/opendental/api/v1``,
``drchrono+http://127.0.0.1:8000/drchrono``, ``orgapi+http://127.0.0.1:8000/orgapi/api/v1/{org_id}``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

import httpx

from dialects.client import DialectClient
from dialects.transport import Policy

__all__ = ["DIALECTS", "Target", "make_client", "parse_target"]

DIALECTS = ("opendental", "drchrono", "orgapi")


@dataclass(frozen=True, slots=True)
class Target:
    dialect: str
    base_url: str
    """Where the dialect's paths start (``/patients`` is appended to it)."""
    org_id: UUID | None = None

    @property
    def shown(self) -> str:
        """The upstream as status and logs name it: no credentials, no query."""
        parts = urlsplit(self.base_url + (f"/{self.org_id}" if self.org_id else ""))
        return (
            f"{self.dialect}+{parts.scheme}://{parts.hostname or ''}"
            + (f":{parts.port}" if parts.port else "")
            + parts.path
        )


def parse_target(value: str) -> Target:
    """The upstream a setting names; ``ValueError`` saying what is wrong."""
    dialect, plus, url = value.partition("+")
    if not plus or dialect not in DIALECTS:
        raise ValueError(
            "upstream must be opendental+URL, drchrono+URL or orgapi+URL "
            f"(got {dialect!r} before the '+')"
        )
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("upstream's URL must be http:// or https:// with a host")
    if parts.username or parts.password:
        raise ValueError("upstream's URL must not carry credentials: use upstream_auth")
    base = url.rstrip("/")
    org_id = None
    if dialect == "orgapi":  # its client fills the org id into every path itself
        base, _, last = base.rpartition("/")
        try:
            org_id = UUID(last)
        except ValueError:
            raise ValueError("an orgapi upstream's URL ends with its org id") from None
    return Target(dialect, base, org_id)


def make_client(
    target: Target,
    http: httpx.AsyncClient,
    auth: str,
    *,
    tz: tzinfo,
    rate: float | None = None,
    on_tokens: Any = None,
) -> DialectClient:
    """The dialect's client over ``http`` (whose base URL is ``target.base_url``);
    ``on_tokens``: what DrChrono's client calls with each rotation (see :mod:`.tokens`).

    The client is found by convention, ``dialects/<name>/client.py``, not imported:
    the gateway reaches dialect packages by name only."""
    module = importlib.import_module(f"dialects.{target.dialect}.client")
    kw: dict[str, Any] = {"tz": tz}
    cls: Any
    if target.dialect == "opendental":
        cls = module.OpenDentalClient
        scheme, _, rest = auth.partition(" ")
        args: tuple[Any, ...] = (auth if scheme == "ODFHIR" and rest else f"ODFHIR {auth}",)
    elif target.dialect == "drchrono":
        cls = module.DrChronoClient
        args = (auth,)
        kw["on_tokens"] = on_tokens
    else:
        cls = module.OrgApiClient
        args = (auth, target.org_id)
    if rate is not None:
        default: Policy = cls.default_policy
        kw["policy"] = Policy(
            rate=rate,
            retries=default.retries,
            backoff=default.backoff,
            max_backoff=default.max_backoff,
            timeout=default.timeout,
            max_wait=default.max_wait,
        )
    client: DialectClient = cls(http, *args, **kw)
    return client
