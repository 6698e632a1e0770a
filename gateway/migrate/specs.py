"""``--from`` / ``--to`` specs, their credentials, and the ends they open.

A dialect server is named as the upstream setting names it
(:func:`gateway.backends.upstream.target.parse_target`):
``opendental+URL``, ``drchrono+URL``, ``orgapi+URL`` (ending with the org id).
A local database is ``store+`` and its SQLAlchemy URL
(``store+sqlite:///practice.db``, ``store+postgresql://host/db``).

Credentials are never on the command line: ``MIGRATE_FROM_AUTH`` and
``MIGRATE_TO_AUTH`` hold them in the forms of ``GATEWAY_UPSTREAM_AUTH`` (the
Open Dental ``Authorization`` value or ``dev/customer``; a DrChrono access
token or ``client_id:client_secret:refresh_token``; the org API bearer
token), or a ``--credentials`` TOML file holds them in ``[from]`` and
``[to]`` tables::

    [from]
    auth = "ODFHIR dev-key/customer-key"
    time_zone = "America/Chicago"   # the practice's zone: Open Dental, DrChrono times
    requests_per_second = 2         # optional: the client's own default otherwise

    [to]
    auth = "org-api-token"

The file wins over the environment. ``time_zone`` (also
``MIGRATE_FROM_TIME_ZONE`` / ``MIGRATE_TO_TIME_ZONE``) is the practice's
zone, in which Open Dental and DrChrono write zone-less times; it defaults
to UTC. ``requests_per_second`` (``MIGRATE_FROM_REQUESTS_PER_SECOND``, ...)
overrides the client's default rate (Open Dental 2, DrChrono 5, org API
10; 0: no limit, for a server on loopback). For a store end, ``auth`` is
the tenant id, needed only when the database holds more than one tenant;
its zone is the tenant's own.

``default_provider`` of ``[to]`` (``MIGRATE_TO_DEFAULT_PROVIDER``) is the id,
on the target, of the provider given to records the target requires one for
and the source has none (a DrChrono target's ``doctor``, from an org API
source, which has no providers).

A DrChrono refresh token that the server rotates during the run is used for
the rest of the run only: give the migration an access token, or the
refresh token of an application used for nothing else.
"""

from __future__ import annotations

import contextlib
import os
import tomllib
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx
import sqlalchemy as sa

from gateway.backends.upstream.target import Target, make_client, parse_target
from gateway.migrate.ends import ClientEnd, End, StoreEnd

__all__ = ["EndSpec", "SpecError", "credentials_for", "open_end", "parse_end"]


class SpecError(ValueError):
    """Bad input: a spec, a credential, a file. Its message is shown as is."""


@dataclass(frozen=True, slots=True)
class EndSpec:
    kind: str
    """``store`` or a dialect."""
    target: Target | None = None
    database_url: str | None = None

    @property
    def shown(self) -> str:
        if self.target is not None:
            return self.target.shown
        url = sa.engine.make_url(self.database_url or "")
        return f"store+{url.render_as_string(hide_password=True)}"


@dataclass(frozen=True, slots=True)
class Credentials:
    auth: str | None
    time_zone: str | None
    rate: float | None
    default_provider: str | None = None


def parse_end(value: str, flag: str) -> EndSpec:
    if value.startswith("store+"):
        url = value.removeprefix("store+")
        try:
            parsed = sa.engine.make_url(url)
        except sa.exc.ArgumentError:
            raise SpecError(f"{flag}: {url!r} is not a database URL") from None
        if parsed.password:
            raise SpecError(f"{flag}: the database URL must not carry a password")
        return EndSpec("store", database_url=url)
    try:
        target = parse_target(value)
    except ValueError as exc:
        raise SpecError(f"{flag}: {exc} (or store+DATABASE_URL)") from None
    return EndSpec(target.dialect, target=target)


def _file(path: str | None) -> Mapping[str, Any]:
    if path is None:
        return {}
    try:
        data = tomllib.loads(Path(path).read_text())
    except OSError as exc:
        raise SpecError(f"--credentials: cannot read {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(f"--credentials: {path} is not TOML: {exc}") from None
    return data


def credentials_for(side: str, path: str | None) -> Credentials:
    """``side``: ``from`` or ``to``."""
    table = _file(path).get(side, {})
    if not isinstance(table, Mapping):
        raise SpecError(f"--credentials: [{side}] must be a table")
    env = f"MIGRATE_{side.upper()}_"
    auth = table.get("auth", os.environ.get(env + "AUTH"))
    zone = table.get("time_zone", os.environ.get(env + "TIME_ZONE"))
    rate = table.get("requests_per_second", os.environ.get(env + "REQUESTS_PER_SECOND"))
    if auth is not None and not isinstance(auth, str):
        raise SpecError(f"[{side}] auth must be text")
    if zone is not None:
        try:
            ZoneInfo(str(zone))
        except (ZoneInfoNotFoundError, ValueError):
            raise SpecError(f"{side} time zone {zone!r} is not an IANA zone") from None
    if rate is not None:
        try:
            rate = float(rate)
        except (TypeError, ValueError):
            raise SpecError(f"{side} requests_per_second must be a number") from None
        if rate < 0:
            raise SpecError(f"{side} requests_per_second must be 0 or more")
    default = table.get("default_provider", os.environ.get(env + "DEFAULT_PROVIDER"))
    return Credentials(
        auth or None,
        None if zone is None else str(zone),
        rate,
        None if default in (None, "") else str(default),
    )


@contextlib.asynccontextmanager
async def open_end(spec: EndSpec, creds: Credentials, side: str) -> AsyncIterator[End]:
    if spec.kind == "store":
        async with _store_end(spec, creds, side) as end:
            yield end
        return
    assert spec.target is not None
    if not creds.auth:
        raise SpecError(
            f"the {side} end needs credentials: MIGRATE_{side.upper()}_AUTH or "
            f"[{side}] auth in --credentials"
        )
    tz = ZoneInfo(creds.time_zone or "UTC")
    async with httpx.AsyncClient(base_url=spec.target.base_url, timeout=60) as http:
        client = make_client(spec.target, http, creds.auth, tz=tz, rate=creds.rate)
        yield ClientEnd(client, spec.shown)


@contextlib.asynccontextmanager
async def _store_end(spec: EndSpec, creds: Credentials, side: str) -> AsyncIterator[End]:
    from gateway.backends.store import Store
    from gateway.backends.store.schema import tenants

    assert spec.database_url is not None
    try:
        store = Store(spec.database_url)
        store.migrate()
    except (sa.exc.SQLAlchemyError, OSError, ValueError) as exc:
        raise SpecError(f"the {side} store cannot be opened: {type(exc).__name__}") from None
    try:
        with store.engine.connect() as conn:
            ids = list(conn.execute(sa.select(tenants.c.id).order_by(tenants.c.id)).scalars())
        wanted = creds.auth
        if wanted is None:
            if len(ids) != 1:
                raise SpecError(
                    f"the {side} store holds {len(ids)} tenants: name one in "
                    f"MIGRATE_{side.upper()}_AUTH"
                )
            wanted = ids[0]
        tenant = store.get_tenant(wanted)
        if tenant is None:
            raise SpecError(f"the {side} store has no tenant {wanted!r}")
        yield StoreEnd(store.for_tenant(tenant), spec.shown, ZoneInfo(tenant.time_zone))
    finally:
        store.close()
