"""The migration crosswalk: each source record's key beside its key on the target.

One row per (pair of ends, resource, source key), shared by every run
between the same two ends, so a later run updates what an earlier one moved
instead of making it again. The canonical record between the two is not
stored: it is the source record as read, in the source's id space, and the
target's id space is reached through these rows (``remap``).

Decisions:

- **state** is ``pending`` from just before a create is sent until the
  target's answer is recorded, then ``done``; ``matched`` for a reference
  record the target already had (found by code, name or NPI, never created).
  A ``pending`` row met again (the process was killed between sending and
  recording) is the unconfirmed create of the exactly-once rule: the record
  is looked up in the target before it is created again.
- **fingerprint** is a digest of the body last sent (or that would be sent)
  for the record, in the target's id space: the same body again is
  ``unchanged`` and nothing is written.
- Keys are stored as text (an integer of Open Dental or DrChrono, a UUID of
  the org API, a store's ``num``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import orjson
import sqlalchemy as sa

from gateway.backends.store.schema import metadata

__all__ = ["Crosswalk", "Link", "fingerprint", "pair_id"]

links = sa.Table(
    "migrate_crosswalk",
    metadata,
    sa.Column("pair", sa.String(64), primary_key=True),
    sa.Column("resource", sa.String(64), primary_key=True),
    sa.Column("source_key", sa.String(64), primary_key=True),
    sa.Column("target_key", sa.String(64), nullable=True),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("fingerprint", sa.String(64), nullable=True),
)
sa.Index("ix_migrate_crosswalk_target", links.c.pair, links.c.resource, links.c.target_key)


def pair_id(source: str, target: str) -> str:
    """The pair of ends as shown (no credentials), as a short stable id."""
    return hashlib.sha256(f"{source}\n{target}".encode()).hexdigest()[:32]


def fingerprint(body: Any) -> str:
    return hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()


@dataclass(frozen=True, slots=True)
class Link:
    source_key: str
    target_key: str | None
    state: str
    fingerprint: str | None


class Crosswalk:
    """The crosswalk of one pair of ends. Lookups of reference targets are cached
    per resource only for reference data (small by nature); a patient's links
    are read from the database each time, so memory stays bounded."""

    def __init__(self, engine: sa.Engine, pair: str) -> None:
        self.engine = engine
        self.pair = pair

    def get(self, resource: str, source_key: str) -> Link | None:
        with self.engine.connect() as conn:
            m = conn.execute(
                sa.select(links.c.target_key, links.c.state, links.c.fingerprint).where(
                    links.c.pair == self.pair,
                    links.c.resource == resource,
                    links.c.source_key == source_key,
                )
            ).first()
        return None if m is None else Link(source_key, m[0], m[1], m[2])

    def target_of(self, resource: str, source_key: str) -> str | None:
        """The target key of a record moved (or matched); ``None`` otherwise."""
        link = self.get(resource, source_key)
        if link is None or link.state == "pending":
            return None
        return link.target_key

    def put(
        self,
        resource: str,
        source_key: str,
        *,
        target_key: str | None,
        state: str,
        fingerprint: str | None,
    ) -> None:
        key = (
            (links.c.pair == self.pair)
            & (links.c.resource == resource)
            & (links.c.source_key == source_key)
        )
        values = {"target_key": target_key, "state": state, "fingerprint": fingerprint}
        with self.engine.begin() as conn:
            if conn.execute(links.update().where(key).values(values)).rowcount == 0:
                conn.execute(
                    links.insert().values(
                        pair=self.pair, resource=resource, source_key=source_key, **values
                    )
                )

    def claimed(self, resource: str, target_key: str, but: str | None = None) -> bool:
        """Whether some source record (other than ``but``) is linked to ``target_key``."""
        with self.engine.connect() as conn:
            return (
                conn.execute(
                    sa.select(links.c.source_key).where(
                        links.c.pair == self.pair,
                        links.c.resource == resource,
                        links.c.target_key == target_key,
                        links.c.source_key != (but or ""),
                    )
                ).first()
                is not None
            )

    def drop(self, resource: str, source_key: str) -> None:
        """Forget a pending create the target refused (it made nothing)."""
        with self.engine.begin() as conn:
            conn.execute(
                links.delete().where(
                    links.c.pair == self.pair,
                    links.c.resource == resource,
                    links.c.source_key == source_key,
                    links.c.state == "pending",
                )
            )

    def count(self, resource: str) -> int:
        with self.engine.connect() as conn:
            return int(
                conn.execute(
                    sa.select(sa.func.count())
                    .select_from(links)
                    .where(
                        links.c.pair == self.pair,
                        links.c.resource == resource,
                        links.c.state != "pending",
                    )
                ).scalar_one()
            )
