"""Upstream mode's settings: refused with a plain message when they cannot work."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.cli import main


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"GATEWAY_UPSTREAM": "opendental+https://od.example/api/v1"}, "upstream_auth"),
        (
            {"GATEWAY_UPSTREAM": "soap+https://x", "GATEWAY_UPSTREAM_AUTH": "k"},
            "opendental+URL",
        ),
    ],
)
def test_serve_refuses_an_upstream_that_cannot_work(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    env: dict[str, str],
    says: str,
) -> None:
    monkeypatch.setenv("GATEWAY_DATABASE_URL", f"sqlite:///{tmp_path / 'a.db'}")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert main(["serve"]) == 2
    assert says in capsys.readouterr().err


def test_status_of_a_database_never_synced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'none.db'}"
    assert main(["upstream", "status", "--database-url", url]) == 1
    assert "no upstream tenant" in capsys.readouterr().err
