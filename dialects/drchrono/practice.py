"""The practice group: DrChrono's name for the practice that owns every doctor,
user, office and user group. In the gateway a tenant is one practice group.

DrChrono identifies a practice group by an integer; a tenant has a UUID
(its org id). The integer is derived from it (its first 31 bits), so it is
stable forever and differs between tenants.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from canonical import Tenant
from dialects.base import Call, Reply
from dialects.codec import CodecContext
from dialects.drchrono.common import Resource

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
class PracticeResource(Resource):
    """A resource whose records show the practice group (the request's tenant)."""

    async def list_(self, call: Call) -> Reply:
        call.ctx.options[TENANT] = call.backend.tenant
        return await super().list_(call)

    async def get_one(self, call: Call) -> Reply:
        call.ctx.options[TENANT] = call.backend.tenant
        return await super().get_one(call)

    async def post(self, call: Call) -> Reply:
        call.ctx.options[TENANT] = call.backend.tenant
        return await super().post(call)
