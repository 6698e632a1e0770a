"""What every endpoint of every dialect must do with a request it cannot serve,
read from the dialects' own endpoint tables so new endpoints are covered as
they are registered.

- :func:`endpoint_table`: every (dialect, endpoint) the gateway mounts.
- :func:`demo_auth`: the demo tenant's ``Authorization`` header per dialect,
  read from :data:`gateway.demo.DEMO_CREDENTIALS`.
- :func:`check_error_shape`: the dialect's error body, as its ``render_error``
  builds it.
- :func:`check_no_trace`: no traceback or Python exception name in a body.
- :class:`Harness`: a private copy of the demo database, the app over it, an
  event loop and a client, and a fingerprint of the demo tenant's data.
"""

from __future__ import annotations

import asyncio
import builtins
import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

from dialects.base import Dialect, Endpoint
from gateway import Settings, create_app
from gateway.app import all_dialects
from gateway.backends.store import Store
from gateway.backends.store.schema import metadata, tenants
from gateway.demo import DEMO_CREDENTIALS, DEMO_ORG_ID, DEMO_TENANT_ID, demo_uuid

DEMO_ORG = str(DEMO_ORG_ID)
PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")
_DEMO_REF = re.compile(r"\{demo:([a-z_]+):(\d+)\}")


@dataclass(frozen=True)
class Target:
    dialect: Dialect
    endpoint: Endpoint

    @property
    def id(self) -> str:
        return f"{self.dialect.name} {self.endpoint.method} {self.endpoint.path}"

    @property
    def params(self) -> list[str]:
        return PARAM.findall(self.endpoint.path)


def endpoint_table() -> list[Target]:
    return [Target(d, ep) for d in all_dialects() for ep in d.endpoints]


def demo_auth(dialect: str) -> dict[str, str]:
    """The demo credential a client sends as ``Authorization`` (its ``how`` text
    reads ``Authorization: <value>``, maybe followed by `` (scopes: ...)``)."""
    for cred in DEMO_CREDENTIALS:
        if cred.dialect == dialect and cred.how.startswith("Authorization: "):
            value = cred.how.removeprefix("Authorization: ").split(" (", 1)[0]
            return {"Authorization": value}
    raise LookupError(f"no demo Authorization credential for dialect {dialect!r}")


# -- bodies of failures ---------------------------------------------------------

_EXCEPTION_NAMES = sorted(
    {
        name
        for name, obj in vars(builtins).items()
        if isinstance(obj, type) and issubclass(obj, BaseException)
    }
    | {
        "JSONDecodeError",
        "ValidationError",
        "IntegrityError",
        "OperationalError",
        "ProgrammingError",
        "DataError",
        "StatementError",
        "InvalidOperation",
        "DecimalException",
        "ZoneInfoNotFoundError",
    }
)
TRACE = re.compile(
    r"Traceback \(most recent call last\)|File \"[^\"]+\", line \d+|errors\.pydantic\.dev|"
    r"sqlalchemy|sqlite3|\b(" + "|".join(_EXCEPTION_NAMES) + r")\b"
)


def check_no_trace(text: str, where: str) -> None:
    found = TRACE.search(text)
    assert found is None, f"{where}: the body shows internals ({found.group(0)!r}): {text[:500]}"


def _is_field_errors(body: Any) -> bool:
    """DRF's 400 body: ``{"field": ["message", ...]}``."""
    return (
        isinstance(body, dict)
        and bool(body)
        and all(
            isinstance(k, str)
            and isinstance(v, list)
            and v
            and all(isinstance(m, str | dict) for m in v)
            for k, v in body.items()
        )
    )


def check_error_shape(target: Target, status: int, body: Any, where: str) -> None:
    """The body of an error answer in the dialect's own shape (each ``render_error``)."""
    name = target.dialect.name
    if name == "opendental":
        # OpenDentalBase.render_error: the explanation string, JSON-encoded.
        assert isinstance(body, str) and body.strip(), f"{where}: OD error is not a string"
    elif name == "orgapi":
        # OrgApiBase.render_error: {"detail": [{"loc","msg","type"}]} on 422, else {"detail": str}.
        assert isinstance(body, dict) and set(body) == {"detail"}, f"{where}: not {{detail}}"
        detail = body["detail"]
        if status == 422:
            assert isinstance(detail, list) and detail, f"{where}: 422 detail is not a list"
            for item in detail:
                assert isinstance(item, dict), where
                assert isinstance(item.get("loc"), list) and item["loc"], where
                assert isinstance(item.get("msg"), str) and isinstance(item.get("type"), str), where
        else:
            assert isinstance(detail, str) and detail, f"{where}: detail is not a message"
    elif name == "drchrono":
        # DrChronoBase.render_error: {"detail": str}; a 400 names each field with a list
        # of messages (a list POST: one such object per item). The OAuth endpoints
        # (public) answer RFC 6749 errors {"error", "error_description"}.
        oauth = (
            target.endpoint.public
            and isinstance(body, dict)
            and isinstance(body.get("error"), str)
            and set(body) <= {"error", "error_description", "error_uri", "state"}
        )
        detail = isinstance(body, dict) and set(body) == {"detail"}
        if detail:
            assert isinstance(body["detail"], str) and body["detail"], where
        field_errors = status in (400, 415) and (
            _is_field_errors(body)
            or (
                isinstance(body, list)
                and bool(body)
                and all(b == {} or _is_field_errors(b) for b in body)
            )
        )
        assert oauth or detail or field_errors, f"{where}: not a DrChrono error body: {body!r}"
    else:
        raise AssertionError(f"{where}: add the error shape of dialect {name!r} to this check")


# -- the app under test ------------------------------------------------------------


class Harness:
    """A private copy of the demo database, the app over it and a client, driven
    synchronously (one event loop), so a hypothesis test can build it once."""

    def __init__(self, template: Path, workdir: Path) -> None:
        workdir.mkdir(parents=True, exist_ok=True)
        path = workdir / "gateway.db"
        shutil.copy(template, path)
        self.store = Store(f"sqlite:///{path}")
        self.store.migrate()
        # No hourly rate limit: thousands of requests in a row are the point here.
        settings = Settings(database_url=self.store.url, demo=False, drchrono_rate_limit=0)
        self.app = create_app(settings, store=self.store)
        self.loop = asyncio.new_event_loop()
        self._fingerprint: sa.Select[Any] | None = None
        self.client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app), base_url="http://testserver"
        )

    def close(self) -> None:
        self.loop.run_until_complete(self.client.aclose())
        self.loop.close()
        self.store.close()

    def request(
        self, method: str, url: str, headers: dict[str, str], body: bytes | None = None
    ) -> httpx.Response:
        return self.loop.run_until_complete(
            self.client.request(method, url, headers=headers, content=body)
        )

    def fingerprint(self, tenant_id: str = DEMO_TENANT_ID) -> tuple[Any, ...]:
        """The tenant's change sequence (every write bumps it) and its row count in
        every table, so a rejected request that left anything behind shows."""
        with self.store.engine.connect() as conn:
            if self._fingerprint is None:
                existing = set(sa.inspect(conn).get_table_names())
                tid = sa.bindparam("tid")
                self._fingerprint = sa.select(
                    sa.select(tenants.c.seq).where(tenants.c.id == tid).scalar_subquery(),
                    *(
                        sa.select(sa.func.count())
                        .select_from(t)
                        .where(t.c.tenant_id == tid)
                        .scalar_subquery()
                        for t in metadata.sorted_tables
                        if "tenant_id" in t.c and t.name in existing
                    ),
                )
            return tuple(conn.execute(self._fingerprint, {"tid": tenant_id}).one())

    def replay_examples(self, dialect: Dialect) -> int:
        """POST every documented create example of ``dialect`` (fixtures/<dialect>/) once,
        so resources the demo dataset has no record of get some to be attacked.
        Returns how many were created."""
        root = Path(str(resources.files("fixtures"))) / dialect.name
        created = 0
        for file in sorted(root.glob("**/*.json")):
            try:
                example = json.loads(file.read_text())
            except ValueError:
                continue
            req = example.get("request") if isinstance(example, dict) else None
            if not isinstance(req, dict) or req.get("method") != "POST":
                continue
            patient = str(demo_uuid("patient", int(req.get("patient_num", 15))))
            text = _DEMO_REF.sub(
                lambda m: str(demo_uuid(m.group(1), int(m.group(2)))),
                json.dumps({"path": req.get("path", ""), "body": req.get("body")}),
            ).replace("{patient_uuid}", patient)
            if PARAM.search(text):
                continue  # needs a record made by an earlier step
            filled = json.loads(text)
            base = dialect.prefix + (f"/{DEMO_ORG}" if dialect.name == "orgapi" else "")
            headers = {**demo_auth(dialect.name), "Content-Type": "application/json"}
            r = self.request(
                "POST", base + filled["path"], headers, json.dumps(filled["body"]).encode()
            )
            created += r.status_code in (200, 201)
        return created

    def real_ids(self, resource: str, limit: int = 3) -> list[tuple[int, str]]:
        """(num, uuid) of a few of the demo tenant's records of ``resource``."""
        table = next((t for t in metadata.sorted_tables if t.name == f"rec_{resource}"), None)
        if table is None or "num" not in table.c:
            return []
        with self.store.engine.connect() as conn:
            rows = conn.execute(
                sa.select(table.c.num, table.c.uuid)
                .where(table.c.tenant_id == DEMO_TENANT_ID)
                .order_by(table.c.num)
                .limit(limit)
            ).all()
        return [(int(n), str(u)) for n, u in rows]

    def owners(self, resource: str, limit: int = 3) -> list[tuple[int, str]]:
        """(num, uuid) of the patients the first records of ``resource`` belong to."""
        table = next((t for t in metadata.sorted_tables if t.name == f"rec_{resource}"), None)
        patients = next((t for t in metadata.sorted_tables if t.name == "rec_patient"), None)
        if table is None or patients is None or "patient_num" not in table.c:
            return []
        with self.store.engine.connect() as conn:
            rows = conn.execute(
                sa.select(patients.c.num, patients.c.uuid)
                .join(
                    table,
                    sa.and_(
                        table.c.tenant_id == patients.c.tenant_id,
                        table.c.patient_num == patients.c.num,
                    ),
                )
                .where(patients.c.tenant_id == DEMO_TENANT_ID)
                .order_by(table.c.num)
                .limit(limit)
            ).all()
        return [(int(n), str(u)) for n, u in rows]


def fill(path: str, values: dict[str, str]) -> str:
    return PARAM.sub(lambda m: values[m.group(1)], path)


def iter_groups(targets: list[Target]) -> Iterator[tuple[str, list[Target]]]:
    """Endpoints grouped by dialect and canonical resource (``other`` when none)."""
    groups: dict[str, list[Target]] = {}
    for t in targets:
        groups.setdefault(f"{t.dialect.name}:{t.endpoint.resource or 'other'}", []).append(t)
    yield from sorted(groups.items())
