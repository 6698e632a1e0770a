"""The one "changed since" filter: inclusive at the watermark.

Every dialect's sync parameter is tested end to end at its boundary in
tests/dialects/test_since_boundaries.py; this is the helper itself.
"""

from __future__ import annotations

from datetime import UTC, datetime

from canonical import Cond, Query
from dialects.changes import changed_since


def test_changed_since_is_at_or_after_the_watermark() -> None:
    stamp = datetime(2040, 1, 1, tzinfo=UTC)
    query = changed_since(Query(), stamp)
    assert query.where == [Cond("updated_at", "ge", stamp)]


def test_no_watermark_leaves_the_query_alone() -> None:
    assert changed_since(Query(), None).where == []


def test_another_stamp_field() -> None:
    stamp = datetime(2040, 1, 1, tzinfo=UTC)
    assert changed_since(Query(), stamp, "created_at").where == [Cond("created_at", "ge", stamp)]
