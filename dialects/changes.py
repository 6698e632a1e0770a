"""The "changed since" filter every dialect's sync parameter means.

``DateTStamp`` (Open Dental), ``since`` (DrChrono) and ``updated_since`` (org
API) all ask for the records changed at or after a watermark. The boundary
is inclusive: a record stamped exactly at the watermark is returned again, so
a client that syncs from the last stamp it saw never misses a record written
in the same instant (it may see that one record twice, which a sync by id
absorbs).
"""

from __future__ import annotations

from datetime import datetime

from canonical import Cond, Query

__all__ = ["changed_since", "changed_since_cond"]

STAMP = "updated_at"
"""The canonical field every write stamps."""


def changed_since_cond(stamp: datetime, field: str = STAMP) -> Cond:
    """The condition "changed at or after ``stamp``"."""
    return Cond(field, "ge", stamp)


def changed_since(query: Query, stamp: datetime | None, field: str = STAMP) -> Query:
    """``query`` narrowed to records changed at or after ``stamp`` (none: unchanged)."""
    if stamp is not None:
        query.where.append(changed_since_cond(stamp, field))
    return query
