"""Records read by number, kept while the database is unchanged.

Display companions (a commlog's type name, a procedure's provider) read the
same few reference records on almost every request. They are kept here per
tenant, each filed under the database version it was read at: SQLite's
``PRAGMA data_version`` on the fast read connection, which changes whenever
any other connection, in this process or another, commits. A version
different from the one the entries were filed under empties the cache, so a
record is never served after any commit it has not seen. Any write through
this process's store also empties it, before its version is even looked at.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class RefCache:
    """(tenant, resource, num) -> record, valid for one database version."""

    def __init__(self, limit: int = 4096) -> None:
        self.limit = limit
        self._version: int | None = None
        self._records: dict[tuple[str, str, int], Any] = {}

    def clear(self) -> None:
        self._version = None
        self._records.clear()

    def get(
        self, version: int, tenant: str, resource: str, nums: Iterable[int]
    ) -> dict[int, Any] | None:
        """Every wanted record if all are kept for this version, else ``None``."""
        if version != self._version:
            self.clear()
            self._version = version
            return None
        out = {}
        records = self._records
        for num in nums:
            rec = records.get((tenant, resource, num))
            if rec is None:
                return None
            out[num] = rec
        return out

    def put(self, version: int, tenant: str, resource: str, records: dict[int, Any]) -> None:
        if version != self._version:
            self.clear()
            self._version = version
        if len(self._records) + len(records) > self.limit:
            self._records.clear()
        for num, rec in records.items():
            self._records[(tenant, resource, num)] = rec
