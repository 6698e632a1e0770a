"""DrChrono's rotated refresh tokens survive a restart; a new setting wins."""

from __future__ import annotations

from pathlib import Path

from dialects.drchrono.oauth_client import Tokens
from gateway.backends.store import Store
from gateway.backends.upstream.tokens import TokenKeeper
from gateway.demo import DEMO_TENANT_ID, seed_demo


async def test_a_rotation_is_kept_and_resumed(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'a.db'}")
    store.migrate()
    await seed_demo(store, data=False)
    setting = "app:secret:first-refresh"
    keeper = TokenKeeper(store, DEMO_TENANT_ID, setting)
    assert keeper.auth().refresh_token == "first-refresh"
    await keeper.save(Tokens("access-1", "second-refresh", 3600))
    again = TokenKeeper(store, DEMO_TENANT_ID, setting).auth()  # a restart
    assert again.refresh_token == "second-refresh" and again.can_refresh
    # the operator sets a new refresh token: it is used, not the stored one
    fresh = TokenKeeper(store, DEMO_TENANT_ID, "app:secret:operator-refresh").auth()
    assert fresh.refresh_token == "operator-refresh"
    # an access token alone needs nothing kept
    assert TokenKeeper(store, DEMO_TENANT_ID, "just-a-token").auth().refresh_token is None
    store.close()
