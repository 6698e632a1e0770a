"""The interface every backend (embedded store, upstream server) offers to
dialects. Bound to one tenant: a backend never sees another tenant's data."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Any, Protocol, TypeVar
from uuid import UUID

from canonical.base import Record
from canonical.query import Page, Query

__all__ = ["Backend", "Tenant"]

R = TypeVar("R", bound=Record)


class Tenant(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def org_id(self) -> UUID: ...
    @property
    def name(self) -> str: ...
    @property
    def time_zone(self) -> str: ...


class Backend(Protocol):
    @property
    def tenant(self) -> Tenant: ...

    async def get(
        self,
        model: type[R],
        *,
        num: int | None = None,
        uuid: UUID | None = None,
        include_deleted: bool = False,
    ) -> R:
        """The record, or :class:`~canonical.errors.NotFound`."""
        ...

    async def find(self, model: type[R], query: Query) -> Page[R]: ...

    async def count(self, model: type[Record], query: Query) -> int:
        """How many records match ``query`` (its order and paging are ignored)."""
        ...

    async def get_many(self, model: type[R], nums: Iterable[int]) -> dict[int, R]:
        """Records by num (deleted ones included); missing nums are absent."""
        ...

    async def create(self, record: R) -> R:
        """Store a new record; assigns uuid/num (unless given), version 1, stamps."""
        ...

    async def update(self, record: R, *, base_version: int | None = None) -> R:
        """Replace a stored record; :class:`Conflict` when ``base_version`` is stale."""
        ...

    async def delete(self, model: type[R], num: int, *, hard: bool = False) -> R: ...

    def atomic(self) -> AbstractAsyncContextManager[None]:
        """Everything inside commits together or not at all."""
        ...

    async def resolve(
        self,
        model: type[Record],
        patch: Mapping[str, Any],
        labels: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        """Complete every reference in ``patch`` (both identities) or raise NotFound.

        ``labels`` names each reference field as the client knows it, for messages.
        """
        ...

    def now(self) -> datetime:
        """The backend's clock (aware UTC)."""
        ...

    async def remember(
        self, key: str, fingerprint: str, compute: Callable[[], Awaitable[Any]]
    ) -> tuple[Any, bool]:
        """Idempotent execution: the first call with ``key`` runs ``compute`` and
        stores its JSON-able result together with whatever it wrote (one
        transaction); a later call with the same key and ``fingerprint`` returns
        ``(stored result, True)`` without running it, with another fingerprint
        raises :class:`~canonical.errors.Conflict`. Keys are per tenant."""
        ...
