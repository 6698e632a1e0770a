"""``practice-gateway tenant create``: a new tenant whose credentials work at once."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from gateway import Settings, create_app
from gateway.backends.store import Store
from gateway.cli import main


async def test_tenant_create_prints_working_credentials(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    import asyncio

    await asyncio.to_thread(main, ["tenant", "create", "Smile Dental", "--database-url", url])
    out = capsys.readouterr().out
    match = re.search(r"ODFHIR (\S+/\S+)", out)
    assert match, out
    store = Store(url)
    app = create_app(Settings(database_url=url, demo=False), store=store)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        r = await c.get(
            "/opendental/api/v1/commlogs", headers={"Authorization": f"ODFHIR {match.group(1)}"}
        )
    assert r.status_code == 200 and r.json() == []
