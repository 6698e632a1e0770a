"""The embedded store backend (SQLite by default; any SQLAlchemy database URL)."""

from gateway.backends.store.store import Store, TenantStore
from gateway.backends.store.tenants import CredentialRow, TenantRow, hash_secret

__all__ = ["CredentialRow", "Store", "TenantRow", "TenantStore", "hash_secret"]
