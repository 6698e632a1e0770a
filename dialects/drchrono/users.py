"""DrChrono ``/api/users`` (seed 004): the users of the practice group,
read-only (GET list, GET one), and ``/api/users/current``, which redirects
(302) to ``/api/users/:id`` of the user the access token acts for.

Decisions where the documents are silent:

- ``doctor`` is the user's provider: for a doctor the provider the user is,
  for staff their primary physician (``null`` when none is set).
- ``is_doctor`` is the canonical ``is_provider``; ``is_staff`` its negation
  (the two are documented as mutually exclusive).
- ``permissions`` is the canonical permission map as stored.
- ``/api/users/current`` is the user named by the token (``meta["user"]``);
  a token naming none (the gateway's OAuth has no login page, so registering
  the application is the practice's consent) acts for the practice's first
  doctor user (lowest id), else its first user.
"""

from __future__ import annotations

from typing import Any

from canonical import Cond, NotFound, Query, User
from dialects.base import Call, Endpoint, Reply
from dialects.codec import Codec, CodecContext, Field
from dialects.drchrono.formats import Bool, Int, RefId, Text
from dialects.drchrono.practice import PracticeGroupId, PracticeResource
from dialects.drchrono.resource import slashed


class Negated:
    def to_wire(self, value: Any, ctx: CodecContext) -> Any:
        return not value

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        return not Bool().from_wire(raw, ctx)


class Permissions:
    def to_wire(self, value: Any, ctx: CodecContext) -> Any:
        return dict(value or {})

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        if not isinstance(raw, dict):
            raise ValueError("Expected an object.")
        return raw


CODEC = Codec(
    "drchrono",
    User,
    [
        Field("doctor", "provider", RefId(), read_only=True),
        Field("id", "num", Int(), read_only=True),
        Field("plan_type", "plan_type", Text(), read_only=True),
        Field("is_doctor", "is_provider", Bool(), read_only=True),
        Field("is_staff", "is_provider", Negated(), read_only=True),
        Field("username", "username", Text(), read_only=True),
        Field("practice_group", None, PracticeGroupId(), read_only=True),
        Field("permissions", "permissions", Permissions(), read_only=True),
    ],
)

RESOURCE = PracticeResource("/api/users", CODEC, scope="", operations=("list", "read"))
"""No scope is required (seed: "Required scopes: None required")."""

CURRENT_USER = "user"
"""Key of the user a token acts for (its num) in the credential's ``meta``."""


async def current(call: Call) -> Reply:
    """302 to ``/api/users/:id`` of the token's user."""
    meta = getattr(call.credential, "meta", None) or {}
    num = meta.get(CURRENT_USER)
    if isinstance(num, int):
        try:
            await call.backend.get(User, num=num)
        except NotFound:
            raise NotFound("The user this access token acts for no longer exists.") from None
    else:
        num = await _practice_owner(call)
    return Reply(302, None, {"Location": f"{call.base_url}/api/users/{num}"})


async def _practice_owner(call: Call) -> int:
    """The user a token linked to no user acts for: the first doctor user, else the first user."""
    for where in ([Cond("is_provider", "eq", True)], []):
        found = await call.backend.find(User, Query(where=list(where), limit=1))
        if found.items and found.items[0].num is not None:
            return found.items[0].num
    raise NotFound("The practice group has no users.")


ACTIONS = [Endpoint("GET", path, current, "user") for path in slashed("/api/users/current")]
ENDPOINTS = [*RESOURCE.endpoints(), *ACTIONS]
CODECS = {"user": CODEC}
