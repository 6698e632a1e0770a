"""The embedded store backend (SQLite by default; any SQLAlchemy database URL)."""

from gateway.backends.store.store import CredentialRow, Store, TenantRow, TenantStore, hash_secret

__all__ = ["CredentialRow", "Store", "TenantRow", "TenantStore", "hash_secret"]
