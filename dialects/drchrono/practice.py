"""The practice group: DrChrono's name for the practice that owns every doctor,
user, office and user group. In the gateway a tenant is one practice group.

DrChrono identifies a practice group by an integer; a tenant has a UUID
(its org id). The integer is derived from it (its first 31 bits), so it is
stable forever and differs between tenants.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from canonical import Record, Tenant
from dialects.base import Call
from dialects.codec import CodecContext
from dialects.drchrono.resource import DrChronoResource
from dialects.params import Params

__all__ = ["PracticeGroupId", "PracticeGroupName", "PracticeResource", "practice_group_id"]

TENANT = "tenant"
"""Key of the request's tenant in ``CodecContext.options`` (set when rendering)."""


def practice_group_id(org_id: UUID) -> int:
    return org_id.int >> 97 or 1


def _tenant(ctx: CodecContext) -> Tenant | None:
    return ctx.options.get(TENANT)


class PracticeGroupId:
    """Read-only: the tenant's practice group id."""

    def to_wire(self, value: Any, ctx: CodecContext) -> Any:
        tenant = _tenant(ctx)
        return None if tenant is None else practice_group_id(tenant.org_id)

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        return raw


class PracticeGroupName:
    """Read-only: the tenant's name."""

    def to_wire(self, value: Any, ctx: CodecContext) -> Any:
        tenant = _tenant(ctx)
        return "" if tenant is None else tenant.name

    def from_wire(self, raw: Any, ctx: CodecContext) -> Any:
        return raw


@dataclass(frozen=True)
class PracticeResource(DrChronoResource):
    """A resource whose records show the practice group (the request's tenant)."""

    async def present(
        self, call: Call, records: list[Record], params: Params, hidden: Iterable[str]
    ) -> list[dict[str, Any]]:
        call.ctx.options[TENANT] = call.backend.tenant
        return await super().present(call, records, params, hidden)
