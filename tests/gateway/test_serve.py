"""``python -m gateway serve`` as a user runs it: a real uvicorn server on
loopback, an empty database, the demo tenant and its printed credentials."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.serving import serving


def test_serve_creates_the_demo_and_answers_the_documented_example(tmp_path: Path) -> None:
    with serving(tmp_path / "serve.db") as served:
        r = httpx.get(
            f"{served.base}/opendental/api/v1/commlogs/2",
            headers={"Authorization": "ODFHIR demo-developer/demo-customer"},
        )
        assert r.status_code == 200
        assert r.json()["Note"] == "Left msg on answering machine"
        assert r.headers["content-type"] == "application/json"
    out, port = served.output, served.port
    assert "ODFHIR demo-developer/demo-customer" in out
    assert f"127.0.0.1:{port}" in out
