"""The resource engine: endpoints derived from a declaration and its
dialect's conventions. Each dialect's behaviour is tested through its own
endpoints (tests/dialects/<dialect>/test_resource.py and the resource tests)."""

from __future__ import annotations

from canonical import Commlog
from dialects.base import Reply
from dialects.drchrono.comm_logs import CODEC
from dialects.drchrono.resource import DrChronoResource


def test_endpoints_follow_the_declared_operations() -> None:
    resource = DrChronoResource("/api/x", CODEC, scope="calendar", operations=("list", "update"))
    assert [(e.method, e.path) for e in resource.endpoints()] == [
        ("GET", "/api/x"),
        ("GET", "/api/x/"),
        ("PATCH", "/api/x/{id}"),
        ("PATCH", "/api/x/{id}/"),
    ]
    assert {e.resource for e in resource.endpoints()} == {Commlog.resource}
    assert {e.scope for e in resource.endpoints()} == {"calendar"}


def test_every_operation_has_one_route() -> None:
    resource = DrChronoResource(
        "/api/x",
        CODEC,
        operations=("list", "read", "create", "replace", "update", "delete", "archive"),
    )
    assert [(m, p) for m, p, _ in resource.routes()] == [
        ("GET", "/api/x"),
        ("GET", "/api/x/{id}"),
        ("POST", "/api/x"),
        ("PUT", "/api/x/{id}"),
        ("PATCH", "/api/x/{id}"),
        ("DELETE", "/api/x/{id}"),
        ("POST", "/api/x/{id}/archive"),
    ]


def test_silent_operations_answer_without_a_body() -> None:
    resource = DrChronoResource("/api/x", CODEC)
    assert resource.reply(None, "update", {"id": 1}, None) == Reply(204, None)  # type: ignore[arg-type]
    assert resource.reply(None, "create", {"id": 1}, None) == Reply(201, {"id": 1})  # type: ignore[arg-type]


def test_a_declaration_tells_a_client_what_each_method_accepts() -> None:
    resource = DrChronoResource("/api/x", CODEC)
    assert resource.codec.required("POST") == ("doctor", "patient")
    assert "id" not in resource.codec.accepted("POST")
    assert "doctor" in resource.codec.accepted("PATCH")
