"""Tenants and credentials: secrets kept only as digests, found per dialect, revoked."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from gateway.backends.store import Store, hash_secret
from gateway.backends.store.schema import credentials


@pytest.fixture
def empty(tmp_path: Path) -> Store:
    s = Store(f"sqlite:///{tmp_path / 'tenants.db'}")
    s.migrate()
    return s


async def test_a_tenant_is_created_and_read_back(empty: Store) -> None:
    assert empty.is_empty()
    tenant = await empty.create_tenant("Clinic", time_zone="America/Chicago")
    assert not empty.is_empty()
    assert empty.get_tenant(tenant.id) == tenant
    assert empty.get_tenant("nobody") is None


async def test_a_secret_is_stored_only_as_its_digest(empty: Store) -> None:
    tenant = await empty.create_tenant("Clinic")
    expires = datetime(2030, 1, 1, tzinfo=UTC)
    await empty.add_credential(
        tenant,
        "drchrono",
        "s3cret-token",
        kind="bearer",
        scopes=["b", "a"],
        expires_at=expires,
        meta={"client": 7},
    )
    with empty.engine.connect() as conn:
        rows = conn.execute(sa.select(credentials)).mappings().all()
    assert [r["secret_hash"] for r in rows] == [hash_secret("s3cret-token")]
    assert all("s3cret-token" not in str(v) for v in rows[0].values())
    cred = empty.find_credential("drchrono", "s3cret-token")
    assert cred is not None
    assert (cred.tenant, cred.kind, cred.scopes, cred.meta) == (
        tenant,
        "bearer",
        frozenset({"a", "b"}),
        {"client": 7},
    )
    assert cred.expires_at is not None and cred.expires_at.replace(tzinfo=UTC) == expires
    # A credential answers only for its own dialect, and only to its own secret.
    assert empty.find_credential("opendental", "s3cret-token") is None
    assert empty.find_credential("drchrono", "s3cret-tokeN") is None


async def test_revoking_marks_the_credential_once(empty: Store) -> None:
    tenant = await empty.create_tenant("Clinic")
    await empty.add_credential(tenant, "orgapi", "one")
    await empty.add_credential(tenant, "orgapi", "two")
    assert await empty.revoke_credential("one")
    assert not await empty.revoke_credential("one")
    assert await empty.revoke_credential_digest(hash_secret("two"))
    assert not await empty.revoke_credential_digest(hash_secret("two"))
    for secret in ("one", "two"):
        cred = empty.find_credential("orgapi", secret)
        assert cred is not None and cred.revoked_at is not None
