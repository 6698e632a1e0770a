"""Tables derived from the canonical models.

Each resource is one table: system columns (tenant, num, uuid, version, change
sequence, stamps), the record itself as a JSON document (read back with one
``model_validate_json``), and one projected column per filterable scalar field
so filters, sorting and paging run in the database. A reference field is
projected as ``<field>_num``. Adding a field to a canonical model adds its
column at the next start (see :mod:`.migrate`).
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

from canonical import RESOURCES, Record, Ref, RefTo

metadata = sa.MetaData()

SYSTEM_FIELDS = ("uuid", "num", "version", "seq", "created_at", "updated_at", "deleted_at")


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """Aware UTC datetimes stored naive-UTC, so both SQLite and PostgreSQL compare them."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Projection:
    """How one canonical field is projected onto a column."""

    field: str
    column: str
    is_ref: bool
    is_enum: bool
    target: RefTo | None


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The non-None member of an optional annotation, and whether None was allowed."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return annotation, False


def _column_type(tp: Any) -> sa.types.TypeEngine[Any] | None:
    if isinstance(tp, type):
        if issubclass(tp, bool):
            return sa.Boolean()
        if issubclass(tp, Enum):
            return sa.String(64)
        if issubclass(tp, int):
            # 64 bits on every database (SQLite's INTEGER already is), as the codecs bound them.
            return sa.BigInteger().with_variant(sa.Integer(), "sqlite")
        if issubclass(tp, str):
            return sa.Text()
        if issubclass(tp, datetime):
            return UTCDateTime()
        if issubclass(tp, date):
            return sa.Date()
        if issubclass(tp, UUID):
            return sa.Uuid()
    return None


def projections(model: type[Record]) -> list[Projection]:
    out: list[Projection] = []
    for name, info in model.model_fields.items():
        if name in SYSTEM_FIELDS or name == "extensions":
            continue
        tp, _ = _unwrap(info.annotation)
        target = next((m for m in info.metadata if isinstance(m, RefTo)), None)
        if tp is Ref:
            out.append(Projection(name, f"{name}_num", True, False, target))
        elif _column_type(tp) is not None:
            out.append(
                Projection(name, name, False, isinstance(tp, type) and issubclass(tp, Enum), None)
            )
    return out


def _build_table(model: type[Record]) -> sa.Table:
    cols: list[sa.Column[Any]] = [
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("num", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
        sa.Column("uuid", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("deleted_at", UTCDateTime(), nullable=True),
        sa.Column("doc", sa.Text(), nullable=False),
    ]
    for p in projections(model):
        info = model.model_fields[p.field]
        if p.is_ref:
            cols.append(sa.Column(p.column, sa.BigInteger(), nullable=True))
        else:
            ctype = _column_type(_unwrap(info.annotation)[0])
            assert ctype is not None
            cols.append(sa.Column(p.column, ctype, nullable=True))
    name = f"rec_{model.resource}"
    table = sa.Table(name, metadata, *cols)
    sa.Index(f"ix_{name}_uuid", table.c.tenant_id, table.c.uuid, unique=True)
    sa.Index(f"ix_{name}_seq", table.c.tenant_id, table.c.seq)
    sa.Index(f"ix_{name}_updated", table.c.tenant_id, table.c.updated_at)
    for p in projections(model):
        if p.is_ref:
            sa.Index(f"ix_{name}_{p.column}", table.c.tenant_id, table.c[p.column])
    for extra in getattr(model, "indexes", ()):
        sa.Index(f"ix_{name}_{'_'.join(extra)}", table.c.tenant_id, *(table.c[c] for c in extra))
    return table


tenants = sa.Table(
    "tenants",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("org_id", sa.Uuid(), nullable=False, unique=True),
    sa.Column("name", sa.Text(), nullable=False),
    sa.Column("time_zone", sa.String(64), nullable=False),
    sa.Column("seq", sa.BigInteger(), nullable=False, default=0),
    sa.Column("settings", sa.Text(), nullable=False, default="{}"),
    sa.Column("created_at", UTCDateTime(), nullable=False),
)

credentials = sa.Table(
    "credentials",
    metadata,
    sa.Column("secret_hash", sa.String(64), primary_key=True),
    sa.Column("tenant_id", sa.String(64), sa.ForeignKey("tenants.id"), nullable=False),
    sa.Column("dialect", sa.String(32), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("label", sa.Text(), nullable=False, default=""),
    sa.Column("scopes", sa.Text(), nullable=False, default=""),
    sa.Column("expires_at", UTCDateTime(), nullable=True),
    sa.Column("revoked_at", UTCDateTime(), nullable=True),
    sa.Column("meta", sa.Text(), nullable=False, default="{}"),
    sa.Column("created_at", UTCDateTime(), nullable=False),
)

counters = sa.Table(
    "counters",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("resource", sa.String(64), primary_key=True),
    sa.Column("last_num", sa.BigInteger(), nullable=False),
)

_tables: dict[str, sa.Table] = {}
_projections: dict[str, dict[str, Projection]] = {}


def table_for(model: type[Record]) -> sa.Table:
    try:
        return _tables[model.resource]
    except KeyError:
        table = _tables[model.resource] = _build_table(model)
        _projections[model.resource] = {p.field: p for p in projections(model)}
        return table


def projection_map(model: type[Record]) -> dict[str, Projection]:
    table_for(model)
    return _projections[model.resource]


def ensure_all_tables() -> None:
    """Build a table for every registered canonical resource."""
    for model in RESOURCES.values():
        table_for(model)


# -- upstream mode (gateway/backends/upstream/) --------------------------------------
# Always part of the schema, so a database moves between store and upstream mode
# without a migration; in store mode they stay empty.

crosswalk = sa.Table(
    "upstream_crosswalk",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("resource", sa.String(64), primary_key=True),
    sa.Column("num", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
    sa.Column("uuid", sa.Uuid(), nullable=False),
    sa.Column("upstream_key", sa.String(64), nullable=False),
    # The upstream's change stamp of the record as last mirrored (its version or its
    # last-changed time): how a write notices the upstream changed it since.
    sa.Column("stamp", sa.String(64), nullable=True),
    # A record stands in the mirror; else the entry is only reserved (referenced by a
    # mirrored record, not pulled yet, or of a resource the upstream does not list).
    sa.Column("mirrored", sa.Boolean(), nullable=False, default=False),
)
sa.Index(
    "ix_upstream_crosswalk_key",
    crosswalk.c.tenant_id,
    crosswalk.c.resource,
    crosswalk.c.upstream_key,
    unique=True,
)
sa.Index(
    "ix_upstream_crosswalk_uuid",
    crosswalk.c.tenant_id,
    crosswalk.c.resource,
    crosswalk.c.uuid,
    unique=True,
)

sync_state = sa.Table(
    "upstream_sync",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    sa.Column("resource", sa.String(64), primary_key=True),
    # JSON: where the next changed-since pull starts (the upstream's own clock or cursor).
    sa.Column("watermark", sa.Text(), nullable=True),
    sa.Column("last_pull_at", UTCDateTime(), nullable=True),
    sa.Column("last_attempt_at", UTCDateTime(), nullable=True),
    sa.Column("last_error", sa.Text(), nullable=True),
)

upstream_tokens = sa.Table(
    "upstream_tokens",
    metadata,
    sa.Column("tenant_id", sa.String(64), primary_key=True),
    # JSON: the upstream's OAuth tokens as last rotated (DrChrono), and a digest of
    # the refresh token of the setting they were rotated from.
    sa.Column("data", sa.Text(), nullable=False),
    sa.Column("updated_at", UTCDateTime(), nullable=False),
)
