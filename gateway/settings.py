"""Gateway settings: defaults, then a TOML file, then ``GATEWAY_*`` environment
variables (highest)."""

from __future__ import annotations

import os
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from pydantic import Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

__all__ = ["Settings", "load_settings"]

_CONFIG_ENV = "GATEWAY_CONFIG"
_config_file: ContextVar[str | None] = ContextVar("gateway_config_file", default=None)
"""The file :func:`load_settings` was given, while it builds the settings."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GATEWAY_", extra="forbid")

    database_url: str = "sqlite:///./gateway.db"
    """SQLAlchemy URL of the embedded store (``postgresql+psycopg://...`` also works)."""
    host: str = "127.0.0.1"
    port: int = 8000
    max_body_bytes: int = 16_800_000
    """Open Dental documents 16.8M characters as its body limit; applied to every dialect."""
    max_head_bytes: int = Field(65_536, ge=1024)
    """Largest request line plus headers; past it, 431 and the connection closes."""
    head_timeout_seconds: float = Field(10.0, gt=0)
    """Time from a request's first byte (or a new connection) to the end of its head; then 408."""
    body_timeout_seconds: float = Field(30.0, gt=0)
    """Longest pause between two reads of a request body; then 408."""
    demo: bool = True
    """On an empty database, create the demo tenant and its data."""
    auth_cache_seconds: float = 30.0
    """How long a verified credential is trusted without another lookup (revocation evicts)."""
    log_level: str = "info"
    public_url: str | None = None
    """Base URL clients reach the gateway at, for ``Location`` and paging links."""
    drchrono_rate_limit: int | None = None
    """DrChrono calls per OAuth application per clock hour, over which 429; unset: the
    dialect's own (500, DrChrono's default); 0: no limit."""
    upstream: str | None = None
    """Upstream mode: the real server the gateway fronts, ``opendental+https://host/api/v1``,
    ``drchrono+https://host`` or ``orgapi+https://host/api/v1/{org_id}`` (see
    ``gateway/backends/upstream/``); unset: the embedded store alone."""
    upstream_auth: str | None = None
    """The upstream's credentials: the Open Dental ``Authorization`` value, the org API
    bearer token, or for DrChrono an access token or ``client_id:client_secret:refresh_token``."""
    sync_interval_seconds: float = Field(60.0, gt=0)
    """Seconds between two pulls of the upstream's changes."""
    upstream_requests_per_second: float | None = Field(None, ge=0)
    """Requests per second to the upstream at most; unset: its client's default (Open
    Dental 2, its cloud throttles hard); 0: no limit."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        path = _config_file.get() or os.environ.get(_CONFIG_ENV)
        if path:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=Path(path)))
        return tuple(sources)

    def rate_limit(self, dialect: str, default: int | None) -> int | None:
        """``dialect``'s hourly call limit: its ``<dialect>_rate_limit`` setting when one
        is set, else ``default`` (what the dialect declares)."""
        value = getattr(self, f"{dialect}_rate_limit", None)
        return default if value is None else int(value)


def load_settings(config: str | os.PathLike[str] | None = None, **overrides: Any) -> Settings:
    """Settings from ``config`` (else ``$GATEWAY_CONFIG``), the environment and ``overrides``.

    The file is named for this one call: it is not left in the environment for
    every later ``Settings()`` of the process to read.
    """
    token = _config_file.set(str(config) if config is not None else None)
    try:
        return Settings(**overrides)
    finally:
        _config_file.reset(token)
