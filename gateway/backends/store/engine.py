"""Engine construction: SQLite by default (WAL, foreign keys), any SQLAlchemy URL otherwise."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event

log = logging.getLogger("gateway.store")

# The database holds patient data: only the gateway's own user may read it.
PRIVATE = 0o600


def make_private(database: str) -> None:
    """Create the SQLite file (and tighten it and its WAL/SHM files) as 0600.

    SQLite gives ``-wal`` and ``-shm`` the mode of the database file, so a
    database created private keeps its journal private too.
    """
    path = Path(database)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE))
    for part in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            mode = stat.S_IMODE(part.stat().st_mode)
        except FileNotFoundError:
            continue
        if mode & 0o077:
            os.chmod(part, PRIVATE)
            log.warning("database file %s was mode %o; now %o", part, mode, PRIVATE)


def _sqlite_file(url: str) -> str | None:
    database = sa.engine.make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return database


def make_engine(url: str) -> sa.Engine:
    if url.startswith("sqlite"):
        database = _sqlite_file(url)
        if database is not None:
            make_private(database)
        engine = sa.create_engine(url, connect_args={"check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            if ":memory:" not in url and url.rstrip("/") != "sqlite:":
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=5000")
            cur.close()

        return engine
    return sa.create_engine(url, pool_pre_ping=True)
