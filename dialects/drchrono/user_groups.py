"""DrChrono ``/api/user_groups`` (seed 004): named groups of the practice
group's users, read-only (GET list, GET one).

Decisions where the documents are silent: archived groups are listed too
(``archived`` says which; the seed documents no ``show_archived`` here), and
``members`` lists the ids of members that still exist.
"""

from __future__ import annotations

from typing import Any

from canonical import Ref, UserGroup
from dialects.codec import Codec, CodecContext, Field
from dialects.drchrono.formats import Bool, Int, Text, Timestamp
from dialects.drchrono.practice import PracticeGroupId, PracticeResource


class Members:
    """A list of references as their integer ids."""

    def to_wire(self, value: list[Ref] | None, ctx: CodecContext) -> Any:
        return [r.num for r in value or [] if r.num is not None]

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        if not isinstance(raw, list):
            raise ValueError("Expected a list of items.")
        return [Ref(num=Int().from_wire(v, ctx)) for v in raw]


CODEC = Codec(
    "drchrono",
    UserGroup,
    [
        Field("archived", "is_archived", Bool(), read_only=True),
        Field("created_at", "created_at", Timestamp(), read_only=True),
        Field("id", "num", Int(), read_only=True),
        Field("members", "members", Members(), read_only=True),
        Field("name", "name", Text(), read_only=True),
        Field("practice_group", None, PracticeGroupId(), read_only=True),
        Field("updated_at", "updated_at", Timestamp(), read_only=True),
    ],
)

RESOURCE = PracticeResource("/api/user_groups", CODEC, scope="", operations=("list", "read"))
"""No scope is required (seed: "Required scopes: None required")."""
ENDPOINTS = RESOURCE.endpoints()
CODECS = {"user_group": CODEC}
