"""Run the org API clinical examples in fixtures/orgapi/<folder>: the document's
request bodies, each with the status and the JSON Schema of its answer.

An example may first make records (``setup``: requests whose answer's ``id``
is bound to a name used as ``{name}`` in later paths and bodies). ``{demo:<resource>:<num>}``
stands for a demo record's uuid; ``{patient_uuid}`` for demo patient
``patient_num`` (15 unless given).
"""

from __future__ import annotations

import re
from typing import Any

import httpx

from canonical import Record
from gateway.backends.store import Store
from gateway.demo import demo_uuid
from tests.dialects.orgapi.schemas import assert_schema
from tests.support import demo_backend, stored

_DEMO = re.compile(r"\{demo:([a-z_]+):(\d+)\}")
_NAME = re.compile(r"\{([a-z_]+)\}")


def fill(value: Any, binds: dict[str, str]) -> Any:
    if isinstance(value, str):
        value = _DEMO.sub(lambda m: str(demo_uuid(m[1], int(m[2]))), value)
        return _NAME.sub(lambda m: binds.get(m[1], m[0]), value)
    if isinstance(value, list):
        return [fill(v, binds) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, binds) for k, v in value.items()}
    return value


async def send(
    org: httpx.AsyncClient, step: dict[str, Any], binds: dict[str, str]
) -> httpx.Response:
    path = fill(step["path"], binds).lstrip("/")
    kwargs: dict[str, Any] = {"params": step.get("query")}
    if "body" in step:
        kwargs["json"] = fill(step["body"], binds)
    return await org.request(step["method"], path, **kwargs)


async def run_example(org: httpx.AsyncClient, example: dict[str, Any]) -> httpx.Response:
    req, expected = example["request"], example["response"]
    binds = {"patient_uuid": str(demo_uuid("patient", req.get("patient_num", 15)))}
    for step in example.get("setup", []):
        own = {**binds, "patient_uuid": str(demo_uuid("patient", step.get("patient_num", 15)))}
        r = await send(org, step, own if "patient_num" in step else binds)
        assert r.status_code in (200, 201), r.text
        if step["bind"] != "_":
            binds[step["bind"]] = r.json()["id"]
    r = await send(org, req, binds)
    assert r.status_code == expected["status"], r.text
    if expected["schema"] is None:
        assert r.content == b""
    else:
        assert_schema(r.json(), expected["schema"])
    if "error_locs" in expected:
        assert [e["loc"] for e in r.json()["detail"]] == expected["error_locs"]
    return r


backend = demo_backend


async def snapshot(store: Store, model: type[Record]) -> list[tuple[Any, ...]]:
    """Every record of ``model`` (archived too) with its version: equal snapshots
    mean a request changed nothing."""
    return [(r.num, r.version, r.deleted_at) for r in await stored(store, model)]


def demo(resource: str, num: int) -> str:
    return str(demo_uuid(resource, num))
