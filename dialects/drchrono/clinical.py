"""What DrChrono's patient clinical records (allergies, medications, problems;
seed 004) share: the ``patient`` filter (and the OpenAPI's ``doctor``), the
``clinical`` scope, and their two required references, which may not be
cleared by a PATCH either."""

from __future__ import annotations

from typing import Any

from canonical import Cond, Invalid, Query, Record
from dialects.base import Call
from dialects.codec import Codec
from dialects.drchrono.params import Params
from dialects.drchrono.resource import DrChronoResource

__all__ = ["NOT_NULL", "clinical_resource", "filter_patient_doctor", "not_null"]

NOT_NULL = "This field may not be null."
SCOPE = "clinical"
REQUIRED = ("doctor", "patient")


async def filter_patient_doctor(call: Call, params: Params, query: Query) -> None:
    for key, field in (("patient", "patient"), ("doctor", "provider")):
        num = params.int_(key)
        if num is not None:
            query.where.append(Cond(field, "eq", num))


def not_null(codec: Codec, wires: tuple[str, ...]) -> Any:
    """A ``prepare`` hook: the given keys, when sent, may not be null."""
    canon = {codec.by_wire[w].canonical: w for w in wires}

    async def prepare(call: Call, patch: dict[str, Any], record: Record | None) -> dict[str, Any]:
        bad = {canon[k]: NOT_NULL for k, v in patch.items() if k in canon and v is None}
        if bad:
            raise Invalid(" ".join(f"{k}: {m}" for k, m in bad.items()), bad)
        return patch

    return prepare


def clinical_resource(path: str, codec: Codec, **kw: Any) -> DrChronoResource:
    return DrChronoResource(
        path,
        codec,
        scope=SCOPE,
        operations=("list", "read", "create", "replace", "update"),
        filters=filter_patient_doctor,
        prepare=kw.pop("prepare", None) or not_null(codec, REQUIRED),
        **kw,
    )
