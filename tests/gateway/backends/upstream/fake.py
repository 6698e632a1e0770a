"""A small Open Dental server in memory (httpx.MockTransport) for the upstream
backend's unit tests: its records are encoded by the dialect's own codecs, and
each test can make it refuse, fail or change a record behind the gateway's back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import orjson

from canonical import Commlog, Patient, Record
from dialects.codec import CodecContext
from dialects.opendental.client import OpenDentalClient
from dialects.transport import Policy
from gateway.backends.store import Store
from gateway.backends.upstream.backend import UpstreamBackend
from gateway.demo import DEMO_TENANT_ID, DEMO_TIME_ZONE, seed_demo

TZ = ZoneInfo(DEMO_TIME_ZONE)
QUICK = Policy(rate=0, retries=1, backoff=0.001, max_backoff=0.002, timeout=2)
STAMP = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
RESOURCES: dict[str, type[Record]] = {"patients": Patient, "commlogs": Commlog}


@dataclass
class FakeOpenDental:
    records: dict[str, dict[int, Record]] = field(
        default_factory=lambda: {"patients": {}, "commlogs": {}}
    )
    fault: Callable[[httpx.Request], httpx.Response] | None = None
    """When set, every request is answered (or raised) by it."""
    seen: list[str] = field(default_factory=list)
    next_num: int = 100

    def wire(self, record: Record) -> dict[str, Any]:
        codec = OpenDentalClient.resources[record.resource].codec
        return codec.encode(record, CodecContext(tz=TZ))

    def add(self, collection: str, record: Record) -> Record:
        assert record.num is not None
        stamped = record.model_copy(update={"updated_at": record.updated_at or STAMP})
        self.records[collection][record.num] = stamped
        return stamped

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(f"{request.method} {request.url.path}")
        if self.fault is not None:
            return self.fault(request)
        parts = request.url.path.strip("/").split("/")
        collection = parts[0]
        if collection not in self.records:
            return httpx.Response(404, json="Not found.")
        held = self.records[collection]
        if request.method == "GET" and (len(parts) == 1 or parts[1] == "Simple"):
            offset = int(request.url.params.get("Offset", 0))
            items = [self.wire(r) for r in sorted(held.values(), key=lambda r: r.num or 0)]
            return httpx.Response(200, json=items[offset : offset + 100])
        if request.method == "GET":
            found = held.get(int(parts[1]))
            return (
                httpx.Response(200, json=self.wire(found))
                if found
                else httpx.Response(404, json="Not found.")
            )
        body = orjson.loads(request.content)
        model = RESOURCES[collection]
        codec = OpenDentalClient.resources[model.resource].codec
        patch = codec.decode(body, CodecContext(tz=TZ), allow_unknown=True)
        if request.method == "POST":
            self.next_num += 1
            made = model.model_validate({**patch, "num": self.next_num})
            return httpx.Response(201, json=self.wire(self.add(collection, made)))
        current = held[int(parts[1])]
        changed = current.model_copy(update={**patch, "updated_at": datetime.now(UTC)})
        return httpx.Response(200, json=self.wire(self.add(collection, changed)))


async def upstream_backend(
    tmp: Path, fake: FakeOpenDental
) -> tuple[UpstreamBackend, httpx.AsyncClient]:
    store = Store(f"sqlite:///{tmp / 'a.db'}")
    store.migrate()
    await seed_demo(store, data=False)
    tenant = store.get_tenant(DEMO_TENANT_ID)
    assert tenant is not None
    http = httpx.AsyncClient(transport=httpx.MockTransport(fake.handler), base_url="http://od.test")
    client = OpenDentalClient(http, "ODFHIR a/b", policy=QUICK, tz=TZ)
    return UpstreamBackend(store.for_tenant(tenant), client), http
