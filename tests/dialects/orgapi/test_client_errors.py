"""An org API server's refusals as the client reads them."""

from __future__ import annotations

import httpx
import pytest

from canonical import (
    BadUpstream,
    CanonicalError,
    Conflict,
    Invalid,
    NotFound,
    TooLarge,
    Unsupported,
)
from dialects.orgapi.client_errors import refusal

UPSTREAM = "The org API server"


def _read(status: int, body: object = None, content: bytes | None = None) -> CanonicalError:
    if content is not None:
        return refusal(httpx.Response(status, content=content), UPSTREAM)
    return refusal(httpx.Response(status, json=body), UPSTREAM)


def test_422_details_are_per_field_errors_keyed_by_the_wire_field() -> None:
    error = _read(
        422,
        {
            "detail": [
                {"loc": ["body", "email"], "msg": "must be a valid email", "type": "value_error"},
                {"loc": ["body", "fields", 0, "value"], "msg": "not a date", "type": "x"},
                {"loc": ["query", "page"], "msg": "must be >= 1", "type": "greater_than_equal"},
                {"loc": ["body", "email"], "msg": "second word", "type": "value_error"},
                {"loc": ["body"], "msg": "give exactly one source", "type": "value_error"},
            ]
        },
    )
    assert isinstance(error, Invalid)
    assert error.fields == {
        "email": "must be a valid email",
        "fields.0.value": "not a date",
        "query.page": "must be >= 1",
    }
    assert "give exactly one source" in error.message
    assert error.message.startswith("email: must be a valid email")


@pytest.mark.parametrize(
    "body",
    [{"detail": "Cursor is bad"}, {"detail": 5}, None, {"other": []}],
)
def test_a_422_of_another_shape_is_still_invalid(body: object) -> None:
    error = _read(422, body)
    assert isinstance(error, Invalid) and error.message


def test_404_and_409_carry_the_servers_detail() -> None:
    missing = _read(404, {"detail": "Patient not found."})
    assert isinstance(missing, NotFound) and missing.message == "Patient not found."
    stale = _read(409, {"detail": "Patient has changed (version 4, base_version 2)."})
    assert isinstance(stale, Conflict) and stale.current_version == 4
    given = _read(409, {"detail": {"message": "stale", "current_version": 7}})
    assert isinstance(given, Conflict) and (given.message, given.current_version) == ("stale", 7)
    top = _read(409, {"detail": "stale", "current_version": 9})
    assert isinstance(top, Conflict) and top.current_version == 9
    unique = _read(409, {"detail": "Chart number 'A1' is already in use."})
    assert isinstance(unique, Conflict) and unique.current_version is None


def test_credentials_refused_are_the_gateways_fault() -> None:
    for status in (401, 403):
        error = _read(status, {"detail": "Not authenticated"})
        assert isinstance(error, BadUpstream) and "upstream_auth" in error.message


def test_other_refusals() -> None:
    assert isinstance(_read(405, {"detail": "Method Not Allowed"}), Unsupported)
    assert isinstance(_read(413, {"detail": "Too large"}), TooLarge)
    teapot = _read(418, {"detail": "I'm a teapot"})
    assert isinstance(teapot, BadUpstream) and "418" in teapot.message
    assert isinstance(_read(404, content=b"<html>not found</html>"), NotFound)


def test_messages_are_cut() -> None:
    error = _read(404, {"detail": "x" * 5000})
    assert len(error.message) == 500
