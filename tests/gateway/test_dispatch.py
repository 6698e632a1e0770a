"""Paths no route pattern matches still answer in the dialect's own shape."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import DRC_AUTH, OD_AUTH, ORG_AUTH


@pytest.mark.parametrize(
    ("path", "headers", "check"),
    [
        ("/opendental/api/v1/tasks/%0A0", OD_AUTH, lambda b: isinstance(b, str)),
        ("/orgapi/api/v1/x%0Ay", ORG_AUTH, lambda b: b == {"detail": "Not Found"}),
        ("/drchrono/api/%0A", DRC_AUTH, lambda b: isinstance(b["detail"], str)),
    ],
)
async def test_a_newline_in_the_path_is_a_404_in_the_dialects_shape(
    client: httpx.AsyncClient, path: str, headers: dict[str, str], check: object
) -> None:
    r = await client.get(path, headers=headers)
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/json")
    assert check(r.json())  # type: ignore[operator]


async def test_a_path_outside_every_dialect_is_a_json_404(client: httpx.AsyncClient) -> None:
    r = await client.get("/nowhere%0A")
    assert r.status_code == 404
    assert r.json() == {"detail": "Not Found"}
