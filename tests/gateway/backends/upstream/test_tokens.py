"""DrChrono's rotated refresh tokens survive a restart; a new setting wins."""

from __future__ import annotations

from pathlib import Path

from dialects.drchrono.oauth_client import DrChronoAuth, Tokens
from gateway.backends.store import Store
from gateway.backends.upstream.tokens import TokenKeeper
from gateway.demo import DEMO_TENANT_ID, seed_demo


async def test_a_rotation_is_kept_and_resumed(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'a.db'}")
    store.migrate()
    await seed_demo(store, data=False)
    setting = "app:secret:first-refresh"
    keeper = TokenKeeper(store, DEMO_TENANT_ID, setting)
    assert keeper.setting() == setting
    await keeper.save(Tokens("access-1", "second-refresh", 3600))
    again = TokenKeeper(store, DEMO_TENANT_ID, setting)  # a restart
    assert again.setting() == "app:secret:second-refresh"
    auth = DrChronoAuth.from_setting(again.setting(), on_tokens=again.save)
    assert auth.refresh_token == "second-refresh" and auth.can_refresh
    # the operator sets a new refresh token: it is used, not the stored one
    fresh = TokenKeeper(store, DEMO_TENANT_ID, "app:secret:operator-refresh")
    assert fresh.setting() == "app:secret:operator-refresh"
    # an access token alone needs nothing kept
    assert TokenKeeper(store, DEMO_TENANT_ID, "just-a-token").setting() == "just-a-token"
    store.close()
