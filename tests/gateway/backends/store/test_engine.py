"""The SQLite database holds patient data: its files are private to the gateway's user."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from gateway.backends.store.engine import make_engine


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _write(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE IF NOT EXISTS t (x INTEGER)"))
        conn.execute(sa.text("INSERT INTO t VALUES (1)"))


@pytest.mark.usefixtures("umask_022")
def test_a_new_database_and_its_wal_and_shm_are_0600(tmp_path: Path) -> None:
    db = tmp_path / "gateway.db"
    engine = make_engine(f"sqlite:///{db}")
    with engine.connect() as conn:  # WAL and SHM exist while a connection is open
        _write(engine)
        for part in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            assert part.exists(), part
            assert _mode(part) == 0o600, (part, oct(_mode(part)))
        conn.close()
    engine.dispose()


@pytest.mark.usefixtures("umask_022")
def test_an_existing_readable_database_is_tightened_once_and_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = tmp_path / "gateway.db"
    db.touch(mode=0o644)
    os.chmod(db, 0o644)
    with caplog.at_level(logging.WARNING, logger="gateway.store"):
        make_engine(f"sqlite:///{db}").dispose()
        make_engine(f"sqlite:///{db}").dispose()
    assert _mode(db) == 0o600
    assert len([r for r in caplog.records if "was mode 644" in r.getMessage()]) == 1


def test_an_in_memory_database_creates_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _write(make_engine("sqlite://"))
    _write(make_engine("sqlite:///:memory:"))
    assert list(tmp_path.iterdir()) == []
