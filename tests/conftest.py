"""Shared fixtures: a migrated store seeded with the demo tenant, the app over it,
and one HTTP client per dialect speaking with the demo credentials.

The demo database is built once per session and copied for each test, so
every test starts from the same data and can write freely.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from gateway import Settings, create_app
from gateway.backends.store import Store
from gateway.demo import seed_demo

OD_AUTH = {"Authorization": "ODFHIR demo-developer/demo-customer"}
DRC_AUTH = {"Authorization": "Bearer demo-drchrono-token"}
ORG_AUTH = {"Authorization": "Bearer demo-org-token"}
ORG_ID = "5f0c8a4e-2d3b-4c6a-9e1f-7a8b9c0d1e2f"


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "demo.db"
    store = Store(f"sqlite:///{path}")
    store.migrate()
    asyncio.run(seed_demo(store))
    store.close()
    return path


@pytest.fixture
def store(demo_db: Path, tmp_path: Path) -> Store:
    path = tmp_path / "gateway.db"
    shutil.copy(demo_db, path)
    s = Store(f"sqlite:///{path}")
    s.migrate()
    return s


@pytest.fixture
def app(store: Store):  # type: ignore[no-untyped-def]
    return create_app(Settings(database_url=store.url, demo=False), store=store)


@contextlib.asynccontextmanager
async def _dialect_client(
    app: Any, path: str = "", headers: dict[str, str] | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url=f"http://testserver{path}", headers=headers
    ) as c:
        yield c


@pytest.fixture
async def client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with _dialect_client(app) as c:
        yield c


@pytest.fixture
async def od(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the Open Dental dialect with the demo tenant's credentials."""
    async with _dialect_client(app, "/opendental/api/v1", OD_AUTH) as c:
        yield c


@pytest.fixture
async def org(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the org API dialect, rooted at the demo org, with its bearer token."""
    async with _dialect_client(app, f"/orgapi/api/v1/{ORG_ID}", ORG_AUTH) as c:
        yield c


@pytest.fixture
async def drc(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the DrChrono dialect with the demo tenant's pre-issued access token."""
    async with _dialect_client(app, "/drchrono", DRC_AUTH) as c:
        yield c
