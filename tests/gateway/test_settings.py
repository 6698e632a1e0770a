"""Settings: defaults, a TOML file, environment variables on top."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.settings import Settings, load_settings


def test_defaults_bind_to_loopback() -> None:
    s = Settings()
    assert s.host == "127.0.0.1"
    assert s.database_url.startswith("sqlite:///")


def test_file_then_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "gateway.toml"
    cfg.write_text('port = 9100\nmax_body_bytes = 1024\ndatabase_url = "sqlite:///x.db"\n')
    monkeypatch.setenv("GATEWAY_PORT", "9200")
    s = load_settings(cfg)
    assert s.max_body_bytes == 1024  # from the file
    assert s.database_url == "sqlite:///x.db"
    assert s.port == 9200  # the environment wins over the file


def test_unknown_setting_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "gateway.toml"
    cfg.write_text("prot = 1\n")
    monkeypatch.setenv("GATEWAY_CONFIG", str(cfg))
    with pytest.raises(ValueError):
        Settings()


def test_a_config_file_applies_to_its_own_load_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GATEWAY_CONFIG", raising=False)
    cfg = tmp_path / "gateway.toml"
    cfg.write_text("max_body_bytes = 1024\n")
    assert load_settings(cfg).max_body_bytes == 1024
    assert Settings().max_body_bytes == 16_800_000
