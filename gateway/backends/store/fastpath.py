"""Prepared reads for the hot path (the store's one fast path).

A single-record GET is the gateway's most frequent request. Building a
SQLAlchemy statement and checking a connection out of the pool costs far more
than SQLite's primary-key lookup itself, so the few hot reads are compiled
once per table (SQL text, parameter order and bind processors all come from
SQLAlchemy, so names and types stay single-sourced) and, on a SQLite file,
run on one dedicated autocommit driver connection. Reads run synchronously on
the event loop thread, never interleaved, so one connection is enough; in WAL
mode it always sees the last committed write.

Measured on the Open Dental single-record GET (bench/README.md), SQLAlchemy's
own execution on a pooled connection instead costs about three times the
server CPU per request; the plain path is what every read inside a
transaction, and every database other than a SQLite file, uses, and
tests/gateway/backends/store/test_fastpath.py holds both to the same answers.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa


class Prepared:
    """One statement compiled for one engine: SQL text and how to bind its params."""

    __slots__ = ("names", "processors", "sql", "stmt")

    def __init__(self, engine: sa.Engine, stmt: sa.Select[Any]) -> None:
        compiled = stmt.compile(dialect=engine.dialect)
        self.stmt = stmt
        self.sql = str(compiled)
        self.names: Sequence[str] = tuple(compiled.positiontup or ())
        procs: list[Callable[[Any], Any] | None] = []
        for name in self.names:
            bind = compiled.binds[name]
            # The type as this dialect stores it, and how it converts a value.
            impl = bind.type.dialect_impl(engine.dialect)
            procs.append(impl.bind_processor(engine.dialect))
        self.processors = tuple(procs)

    def params(self, values: dict[str, Any]) -> tuple[Any, ...]:
        out = []
        for name, proc in zip(self.names, self.processors, strict=True):
            v = values[name]
            out.append(proc(v) if proc is not None and v is not None else v)
        return tuple(out)


class FastReader:
    """Runs prepared single-column reads; ``None`` when the engine has no fast path."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self._cache: dict[tuple[str, str], Prepared] = {}
        self._conn: sqlite3.Connection | None = None
        database = engine.url.database
        if engine.dialect.name == "sqlite" and database and database != ":memory:":
            conn = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA query_only=ON")
            conn.execute("PRAGMA busy_timeout=5000")
            self._conn = conn

    @property
    def available(self) -> bool:
        return self._conn is not None

    def prepare(self, key: tuple[str, str], build: Callable[[], sa.Select[Any]]) -> Prepared:
        prepared = self._cache.get(key)
        if prepared is None:
            prepared = self._cache[key] = Prepared(self.engine, build())
        return prepared

    def scalars(self, prepared: Prepared, values: dict[str, Any]) -> list[Any]:
        assert self._conn is not None
        return [row[0] for row in self._conn.execute(prepared.sql, prepared.params(values))]

    def data_version(self) -> int:
        """Changes whenever another connection (any process) commits: this one never writes."""
        assert self._conn is not None
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
