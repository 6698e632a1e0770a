"""Hostile input at every endpoint of every dialect, with valid credentials.

The bar: bad input gets a clear error in the dialect's own shape and changes
nothing; never a 500 for a client's mistake, never a trace. The endpoints come
from the dialects' own tables, so an endpoint is covered as soon as it is
registered. Per request:

- status below 500 (501 is allowed: DrChrono's catalogue answers it for a
  documented endpoint the gateway does not serve, a limit of the server that
  the client cannot fix, never a failure);
- an error answer is JSON in the dialect's error shape and shows no internals;
- an error answer left the tenant's data as it was (change sequence and row
  counts of every table).

Hypothesis draws, per endpoint group (dialect x resource): an endpoint, path
parameters (real ids, ids of the other kind, junk, huge, negative, zero),
query parameters (the endpoint's real names with wrong values, impossible
dates, unknown enum values, random names), headers and a body (malformed JSON,
JSON of the wrong type, objects with random or real keys holding wrong types,
deep nesting, long and unicode strings, a real record with fields replaced).
"""

from __future__ import annotations

import importlib
import inspect
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.gateway.hostile import (
    DEMO_ORG,
    Harness,
    Target,
    check_error_shape,
    check_no_trace,
    demo_auth,
    endpoint_table,
    fill,
    iter_groups,
)

TARGETS = endpoint_table()
EXAMPLES = int(os.environ.get("ROBUSTNESS_EXAMPLES", "30"))
"""Hypothesis examples per endpoint group; raise it locally for a longer hunt."""
GROUPS = dict(iter_groups(TARGETS))
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
RAW_QUERY = ["a=%ff", "%zz=1", "b=%", "&&", "=1", ";", "c=%00", "%E2%82=1", "d[]=1", "e=1&e=2"]
"""Query text sent as is: bad escapes, invalid UTF-8, empty names."""

HOSTILE_IDS = [
    "abc",
    "1.5",
    "1e3",
    "-1",
    "0",
    "00",
    "+1",
    " 1",
    "0x10",
    "\u0661\u0662",  # Arabic-Indic digits: Python's int() accepts them
    "\uff11",  # fullwidth 1
    "9" * 30,
    str(2**63),
    str(-(2**63) - 1),
    "null",
    "true",
    "%",
    "..",
    "{id}",
    "1;DROP TABLE x",
    "'",
    "\U0001f4a5",
    "00000000-0000-0000-0000-000000000000",
    "5f0c8a4e-2d3b-4c6a-9e1f-7a8b9c0d1e2",  # one digit short
]

HOSTILE_VALUES = [
    "2021-02-30",
    "2021-13-01",
    "2021-00-10",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "2021-02-30 10:00:00",
    "2021-02-28T25:61:61",
    "2021-02-28T10:00:00+25:00",
    "20210230",
    "02/30/2021",
    "2021-01-01/",
    "/2021-01-01",
    "2021-02-30/2021-03-01",
    "-1",
    "0",
    "-0",
    "1e309",
    "NaN",
    "inf",
    "-inf",
    "9" * 40,
    str(2**63),
    "1.5",
    "true",
    "false",
    "maybe",
    "NotAValue",
    "UNKNOWN_ENUM",
    "",
    " ",
    "null",
    "[]",
    "{}",
    "1,2,x",
    ",,,",
    "\u0661",
    "\x00",
    "\U0001f4a5" * 3,
    "x" * 3000,
    "%00",
    "../../etc/passwd",
    # format strings (OD DateFormatString/DateTimeFormatString)
    "{0}",
    "%Y-%m-%d",
    "yyyy-MM-dd'T'HH:mm",
    "'unterminated",
    "\\",
    "fffffffffffff",
    "zzzzK",
    "dddddddd",
]

MALFORMED = [
    b"{",
    b'{"a":',
    b"[1,2",
    b"\xff\xfe\x00",
    b"{'a': 1}",
    b'{"a": NaN}',
    b'{"a": Infinity}',
    b"nul",
    b'{"a":1}{"b":2}',
    b'{"a":1,}',
    b"[" * 3000 + b"]" * 3000,
    b'{"a":' * 1500 + b"1" + b"}" * 1500,
    b"\x00",
    b'"\\ud800"',
    b'{"\\ud800": 1}',
    b"1e400",
    b"123456789012345678901234567890",
    b" ",
    b"<xml/>",
]


# -- the names an endpoint really takes ------------------------------------------

_IDENT = re.compile(r"""["']([A-Za-z_][A-Za-z0-9_]{1,40})["']""")
_names_cache: dict[str, list[str]] = {}


def _module_names(module: str) -> list[str]:
    if module not in _names_cache:
        try:
            source = inspect.getsource(importlib.import_module(module))
        except (ImportError, OSError, TypeError):
            source = ""
        _names_cache[module] = sorted(set(_IDENT.findall(source)))
    return _names_cache[module]


def real_names(target: Target) -> list[str]:
    """Query/body names the endpoint may take: its codec's wire names and the
    identifiers quoted in its handler's module and its dialect's common module."""
    names: set[str] = set()
    codec = target.dialect.codecs.get(target.endpoint.resource or "")
    if codec is not None:
        names.update(f.wire for f in codec.fields)
    module = getattr(target.endpoint.handler, "__module__", "") or ""
    names.update(_module_names(module))
    for cls in type(target.dialect).__mro__[:-1]:  # the dialect's options (OD date formats)
        names.update(_module_names(cls.__module__))
    package = type(target.dialect).__module__.rsplit(".", 1)[0]
    names.update(_module_names(f"{package}.common"))
    return sorted(names) or ["id"]


# -- strategies ------------------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(HOSTILE_VALUES),
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def _deep(depth: int, leaf: Any) -> Any:
    for i in range(depth):
        leaf = [leaf] if i % 2 else {"a": leaf}
    return leaf


hostile_json = st.one_of(
    json_values,
    # Depths around the limits of common JSON libraries (orjson dumps 255, parses 1024).
    st.sampled_from([30, 100, 254, 255, 256, 300, 600]).map(lambda d: _deep(d, 1)),
    st.sampled_from(["x" * 100_000, "\U0001f4a5" * 5000, "\u202e\u0000\ufeff"]),
)


def _id_text(
    target: Target, param: str, ids: dict[str, list[tuple[int, str]]]
) -> st.SearchStrategy[str]:
    if param == "org_id":
        return st.one_of(
            st.just(DEMO_ORG),
            st.just(DEMO_ORG),
            st.just(DEMO_ORG),
            st.uuids().map(str),
            st.sampled_from(HOSTILE_IDS),
        )
    resource = _param_resource(target, param)
    known = ids.get(resource or "", [])
    wants_uuid = "uuid" in param.lower() or target.dialect.name == "orgapi"
    real = [u if wants_uuid else str(n) for n, u in known]
    other = [str(n) if wants_uuid else u for n, u in known]
    options = [
        st.sampled_from(HOSTILE_IDS),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.uuids().map(str),
        st.text(min_size=1, max_size=20),
    ]
    if real:
        options += [st.sampled_from(real)] * 3 + [st.sampled_from(other)]
    return st.one_of(options)


def _param_resource(target: Target, param: str) -> str | None:
    params = target.params
    if params and param == params[-1]:
        return target.endpoint.resource
    if param.lower().startswith(("patient", "patnum")):
        return "patient"
    return target.endpoint.resource


def _pct(text: str) -> str:
    """Percent-encoded, dots too: a client never resolves ``..`` inside an id."""
    return quote(text, safe="").replace(".", "%2E")


@st.composite
def _mutated(draw: st.DrawFn, template: dict[str, Any], names: list[str]) -> dict[str, Any]:
    """A real record with one to three keys set to hostile values (or removed)."""
    obj = dict(template)
    keys = draw(st.lists(st.sampled_from(sorted({*obj, *names})), min_size=1, max_size=3))
    for key in keys:
        if draw(st.integers(0, 5)) == 0:
            obj.pop(key, None)
        else:
            obj[key] = draw(hostile_json)
    return obj


@st.composite
def hostile_request(
    draw: st.DrawFn,
    target: Target,
    ids: dict[str, list[tuple[int, str]]],
    templates: dict[str, dict[str, Any]],
) -> tuple[str, str, dict[str, str], bytes | None]:
    ep = target.endpoint
    # Mostly the endpoint's own method; sometimes another one on the same path.
    method = draw(st.one_of(st.just(ep.method), st.just(ep.method), st.sampled_from(METHODS)))
    names = real_names(target)
    values = {p: draw(_id_text(target, p, ids)) for p in target.params}
    path = fill(ep.path, {k: _pct(v) for k, v in values.items()})
    name = st.one_of(
        st.sampled_from(names), st.sampled_from(names), st.text(min_size=1, max_size=12)
    )
    value = st.one_of(
        st.sampled_from(HOSTILE_VALUES),
        st.text(max_size=40),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
    )
    query = draw(st.lists(st.tuples(name, value), max_size=4))
    url = target.dialect.prefix + path
    raw = draw(st.lists(st.sampled_from(RAW_QUERY), max_size=2))
    if query or raw:
        url += "?" + "&".join([f"{_pct(k)}={_pct(v)}" for k, v in query] + raw)

    headers = dict(demo_auth(target.dialect.name)) if not ep.public else {}
    if draw(st.integers(0, 2)) == 0:
        printable = st.text(st.characters(min_codepoint=33, max_codepoint=126), max_size=300)
        headers["Idempotency-Key"] = draw(printable)
    if method not in WRITES:
        return method, url, headers, None

    template = templates.get(ep.resource or "")
    kind = draw(
        st.sampled_from(
            ["malformed", "wrong_type", "object", "template", "template", "batch", "form"]
        )
    )
    headers["Content-Type"] = "application/json"
    if kind == "malformed":
        body = draw(st.one_of(st.sampled_from(MALFORMED), st.binary(max_size=64)))
    elif kind == "wrong_type":
        value_ = draw(
            st.one_of(
                st.lists(json_values, max_size=3),
                st.text(max_size=20),
                st.integers(),
                st.floats(allow_nan=False, allow_infinity=False),
                st.none(),
                st.booleans(),
            )
        )
        body = json.dumps(value_).encode()
    elif kind == "object" or template is None:
        obj = draw(st.dictionaries(name, hostile_json, max_size=5))
        body = json.dumps(obj).encode()
    elif kind == "template":
        body = json.dumps(draw(_mutated(template, names))).encode()
    elif kind == "batch":
        # A good record, then a bad one: a list POST (or a bulk body's list) must
        # create both or neither.
        batch = [dict(template), draw(_mutated(template, names))]
        wrapped = draw(st.one_of(st.none(), st.sampled_from(names)))
        body = json.dumps(batch if wrapped is None else {wrapped: batch}).encode()
    else:
        form = draw(st.lists(st.tuples(name, value), max_size=5))
        ctype = draw(
            st.sampled_from(
                [
                    "application/x-www-form-urlencoded",
                    "multipart/form-data; boundary=xyz",
                    "multipart/form-data",
                    "text/plain",
                    "application/xml",
                    "",
                ]
            )
        )
        headers["Content-Type"] = ctype
        body = _multipart(form) if ctype.endswith("boundary=xyz") else urlencode(form).encode()
    return method, url, headers, body


def _multipart(form: list[tuple[str, str]]) -> bytes:
    """A well-formed multipart body (boundary ``xyz``), the last part as a file."""
    parts = []
    for i, (k, v) in enumerate(form):
        name = k.replace('"', "").replace("\r", "").replace("\n", "")
        disposition = f'form-data; name="{name}"'
        if i == len(form) - 1:
            disposition += '; filename="x.bin"'
        parts.append(
            f"--xyz\r\nContent-Disposition: {disposition}\r\n\r\n".encode()
            + v.encode("utf-8", "surrogatepass")
            + b"\r\n"
        )
    return b"".join(parts) + b"--xyz--\r\n"


# -- judging one answer -------------------------------------------------------------


def judge(
    h: Harness, target: Target, method: str, url: str, headers: dict[str, str], body: bytes | None
) -> httpx.Response:
    before = h.fingerprint()
    r = h.request(method, url, headers, body)
    where = f"{method} {url} body={(body or b'')[:300]!r} -> {r.status_code} {r.text[:300]!r}"
    assert r.status_code < 500 or r.status_code == 501, f"server error: {where}"
    if r.status_code >= 400 and method != "HEAD":  # HEAD: the GET's headers, no body
        assert r.headers.get("content-type", "").startswith("application/json"), where
        check_no_trace(r.text, where)
        try:
            parsed = r.json()
        except ValueError:
            raise AssertionError(f"error body is not JSON: {where}") from None
        check_error_shape(target, r.status_code, parsed, where)
    if r.status_code >= 400:
        assert h.fingerprint() == before, f"a rejected request changed the data: {where}"
    elif method not in WRITES:
        assert h.fingerprint() == before, f"a read changed the data: {where}"
    return r


# -- set-up per group ------------------------------------------------------------------


def _first_record(body: Any) -> dict[str, Any] | None:
    if isinstance(body, dict):
        for key in ("items", "data", "results"):
            if isinstance(body.get(key), list):
                body = body[key]
                break
        else:
            return body
    if isinstance(body, list) and body and isinstance(body[0], dict):
        return body[0]
    return None


def known_ids(h: Harness, targets: list[Target]) -> dict[str, list[tuple[int, str]]]:
    wanted = {"patient"} | {t.endpoint.resource for t in targets if t.endpoint.resource}
    ids = {r: h.real_ids(r) for r in wanted}
    # The patients owning the group's records come first, so nested paths
    # (/patients/{patient}/allergies/{allergy}) can name a real pair.
    owners = [o for r in sorted(wanted) for o in h.owners(r)]
    ids["patient"] = list(dict.fromkeys(owners + ids["patient"]))
    return ids


def templates_for(
    h: Harness, targets: list[Target], ids: dict[str, list[tuple[int, str]]]
) -> dict[str, dict[str, Any]]:
    """A real record of each resource as the dialect writes it, fetched with GET:
    mutated one field at a time, it takes a request past the first check."""
    found: dict[str, dict[str, Any]] = {}
    for t in targets:
        resource = t.endpoint.resource
        if t.endpoint.method != "GET" or not resource or resource in found:
            continue
        path = real_path(h, t, ids)
        if path is None:
            continue
        r = h.request("GET", path, demo_auth(t.dialect.name))
        if r.status_code == 200 and "json" in r.headers.get("content-type", ""):
            record = _first_record(r.json())
            if record:
                found[resource] = record
    return found


def real_path(h: Harness, t: Target, ids: dict[str, list[tuple[int, str]]]) -> str | None:
    """The endpoint's URL with its parameters naming a real record (and its real
    owner), or ``None`` when the tenant has no such record."""
    resource = t.endpoint.resource or ""
    values: dict[str, str] = {}
    for p in t.params:
        if p == "org_id":
            values[p] = DEMO_ORG
            continue
        is_last = p == t.params[-1]
        known = ids.get(_param_resource(t, p) or "", []) if is_last else []
        if not is_last:  # the owner of the record the last parameter names
            last = ids.get(resource, [])
            owners = h.owners(resource, 1) if last else []
            known = owners or ids.get(_param_resource(t, p) or "", [])
        if not known:
            return None
        num, uid = known[0]
        values[p] = uid if ("uuid" in p.lower() or t.dialect.name == "orgapi") else str(num)
    return t.dialect.prefix + fill(t.endpoint.path, values)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("robustness")


@pytest.fixture(scope="module")
def harnesses(demo_db: Path, workdir: Path) -> Iterator[dict[str, Harness]]:
    """One app per dialect, shared by its groups: a rejected request changes
    nothing and an accepted one only adds data, so the groups do not interfere."""
    made: dict[str, Harness] = {}
    yield made
    for h in made.values():
        h.close()


def _harness(
    harnesses: dict[str, Harness], target: Target, demo_db: Path, workdir: Path
) -> Harness:
    name = target.dialect.name
    if name not in harnesses:
        h = harnesses[name] = Harness(demo_db, workdir / name)
        h.replay_examples(target.dialect)
    return harnesses[name]


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_hostile_requests(
    group: str, demo_db: Path, workdir: Path, harnesses: dict[str, Harness]
) -> None:
    targets = GROUPS[group]
    h = _harness(harnesses, targets[0], demo_db, workdir)
    ids = known_ids(h, targets)
    templates = templates_for(h, targets, ids)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        # CI replays the same examples every run, so a red build is never chance;
        # a local run explores new ones (ROBUSTNESS_EXAMPLES for a longer hunt).
        derandomize=bool(os.environ.get("CI")),
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        target = data.draw(st.sampled_from(targets), label="endpoint")
        method, url, headers, body = data.draw(
            hostile_request(target, ids, templates), label="request"
        )
        judge(h, target, method, url, headers, body)

    run()


# -- every endpoint, once each, with the plainest mistakes --------------------------------


def _junk_path(target: Target) -> str:
    values = {p: (DEMO_ORG if p == "org_id" else "not-an-id") for p in target.params}
    return target.dialect.prefix + fill(target.endpoint.path, values)


BODIES = (
    b"{",
    b"[]",
    b'"text"',
    b"null",
    b'{"\\ud800": [[[[1]]]]}',
    b'{"a":' * 300 + b"1" + b"}" * 300,  # valid JSON deeper than orjson will write back
)


def test_every_endpoint_refuses_junk(demo_db: Path, workdir: Path) -> None:
    """A junk id, and for writes a malformed body and a body of the wrong type, at
    every endpoint: a clear error in the dialect's shape that changes nothing.
    Every endpoint is tried before failing, so one run lists every offender."""
    h = Harness(demo_db, workdir / "every")
    failures: list[str] = []
    try:
        for target in TARGETS:
            ep = target.endpoint
            headers = dict(demo_auth(target.dialect.name)) if not ep.public else {}
            url = _junk_path(target)
            if ep.method not in WRITES:
                attempts = [(url + "?Limit=x&page=x&page_size=-1", None)]
            else:
                headers["Content-Type"] = "application/json"
                headers["Idempotency-Key"] = "sweep-1"
                # An endpoint with no resource (a catalogue entry, OAuth) gets the first two.
                attempts = [(url, body) for body in (BODIES if ep.resource else BODIES[:2])]
            for full, body in attempts:
                try:
                    r = judge(h, target, ep.method, full, headers, body)
                    if body is not None and target.params:
                        assert r.status_code >= 400, f"{target.id} accepted {body[:40]!r}"
                except AssertionError as exc:
                    failures.append(f"{target.id}: {str(exc).splitlines()[0][:400]}")
    finally:
        h.close()
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures[:40])
