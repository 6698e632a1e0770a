"""Create and migrate the schema at start.

Tables are derived from the canonical models, so a migration is additive:
new tables are created, new projected columns are added and back-filled from
each row's JSON document, new indexes are created. Nothing is dropped.

A fingerprint of the derived schema is kept in the database; when it matches,
start-up skips the inspection entirely.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

import orjson
import sqlalchemy as sa

from canonical import RESOURCES
from gateway.backends.store.schema import ensure_all_tables, metadata, projection_map, table_for

log = logging.getLogger(__name__)


schema_meta = sa.Table(
    "schema_meta",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("fingerprint", sa.String(64), nullable=False),
)


_fingerprints: dict[str, str] = {}


def fingerprint(engine: sa.Engine) -> str:
    """A digest of every table, column, type and index the models derive."""
    ensure_all_tables()
    key = f"{engine.dialect.name}:{len(metadata.tables)}"
    if key not in _fingerprints:
        _fingerprints[key] = _digest(engine)
    return _fingerprints[key]


def _digest(engine: sa.Engine) -> str:
    parts: list[str] = []
    for table in sorted(metadata.tables.values(), key=lambda t: t.name):
        parts.append(str(sa.schema.CreateTable(table).compile(dialect=engine.dialect)))
        parts.extend(sorted(f"{i.name}:{[c.name for c in i.columns]}" for i in table.indexes))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def migrate(engine: sa.Engine) -> None:
    wanted = fingerprint(engine)
    if _stored_fingerprint(engine) == wanted:
        return
    _migrate(engine)
    with engine.begin() as conn:
        conn.execute(schema_meta.delete())
        conn.execute(schema_meta.insert().values(id=1, fingerprint=wanted))


def _stored_fingerprint(engine: sa.Engine) -> str | None:
    try:
        with engine.connect() as conn:
            return conn.execute(sa.select(schema_meta.c.fingerprint)).scalar_one_or_none()
    except sa.exc.OperationalError:  # a new database: no table yet
        return None
    except sa.exc.ProgrammingError:
        return None


def _migrate(engine: sa.Engine) -> None:
    metadata.create_all(engine)
    inspector = sa.inspect(engine)
    for model in RESOURCES.values():
        table = table_for(model)
        existing = {c["name"] for c in inspector.get_columns(table.name)}
        missing = [c for c in table.columns if c.name not in existing]
        if missing:
            with engine.begin() as conn:
                for col in missing:
                    ddl = sa.schema.CreateColumn(col).compile(dialect=engine.dialect)
                    conn.execute(sa.text(f"ALTER TABLE {table.name} ADD COLUMN {ddl}"))
                    log.info("added column %s.%s", table.name, col.name)
                _backfill(conn, model, {c.name for c in missing})
        # A model's new ``indexes`` reach existing tables too, not only new columns.
        have = {i["name"] for i in inspector.get_indexes(table.name)}
        for index in table.indexes:
            if index.name not in have:
                index.create(engine, checkfirst=True)


def _backfill(conn: sa.Connection, model: Any, columns: set[str]) -> None:
    table = table_for(model)
    projs = [p for p in projection_map(model).values() if p.column in columns]
    if not projs:
        return
    from gateway.backends.store.rows import projected_values

    for row in conn.execute(sa.select(table.c.tenant_id, table.c.num, table.c.doc)):
        record = model.model_validate(orjson.loads(row.doc))
        values = projected_values(model, record)
        conn.execute(
            table.update()
            .where(table.c.tenant_id == row.tenant_id, table.c.num == row.num)
            .values({p.column: values[p.column] for p in projs})
        )
