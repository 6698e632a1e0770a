"""DrChrono ``/api/doctors`` (seed 004): the doctors of the practice group,
read-only (GET list, GET one). A doctor is a canonical provider.

Decisions where the documents are silent:

- Every provider is listed (hygienists included); the seed documents no filter.
- ``timezone`` is the provider's own zone, else the tenant's.
- ``practice_group``/``practice_group_name`` are the tenant (see
  :mod:`dialects.drchrono.practice`).
"""

from __future__ import annotations

from typing import Any

from canonical import Provider
from dialects.codec import Codec, CodecContext, Field
from dialects.drchrono.formats import Bool, Int, Text
from dialects.drchrono.practice import PracticeGroupId, PracticeGroupName, PracticeResource


class ZoneName:
    """The provider's IANA zone; empty means the tenant's."""

    def to_wire(self, value: Any, ctx: CodecContext) -> Any:
        return value or str(ctx.tz)

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        return Text().from_wire(raw, ctx)

    def exact(self, value: Any, ctx: CodecContext) -> bool:
        """No zone of its own is shown as the tenant's: sent back, it stays none."""
        return bool(value)


CODEC = Codec(
    "drchrono",
    Provider,
    [
        Field("country", "country", Text()),
        Field("first_name", "first_name", Text()),
        Field("id", "num", Int(), read_only=True),
        Field("last_name", "last_name", Text()),
        Field("specialty", "specialty", Text()),
        Field("cell_phone", "cell_phone", Text()),
        Field("email", "email", Text()),
        Field("group_npi_number", "group_npi", Text()),
        Field("home_phone", "home_phone", Text()),
        Field("job_title", "job_title", Text()),
        Field("npi_number", "npi", Text()),
        Field("office_phone", "office_phone", Text()),
        Field("practice_group", None, PracticeGroupId(), read_only=True),
        Field("practice_group_name", None, PracticeGroupName(), read_only=True),
        Field("profile_picture", "profile_picture", Text()),
        Field("suffix", "suffix", Text()),
        Field("timezone", "time_zone", ZoneName()),
        Field("website", "website", Text()),
        Field("is_account_suspended", "is_suspended", Bool()),
    ],
)

RESOURCE = PracticeResource("/api/doctors", CODEC, scope="user", operations=("list", "read"))
ENDPOINTS = RESOURCE.endpoints()
CODECS = {"provider": CODEC}
