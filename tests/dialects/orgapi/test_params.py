"""The org API's query parameters (dialects/orgapi/params.py): the shared
parser with pydantic's 422s at ``["query", name]``."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from dialects.orgapi.dialect import ValidationFailed
from dialects.orgapi.params import Params


def _error(read: Any) -> dict[str, Any]:
    with pytest.raises(ValidationFailed) as caught:
        read()
    (error,) = caught.value.errors
    return error


def test_integers_with_bounds_and_defaults() -> None:
    params = Params([("page", "3"), ("size", "0"), ("x", "1.5"), ("blank", "")])
    assert params.int_("page", 1, ge=1) == 3
    assert params.int_("absent", 7) == 7
    assert _error(lambda: params.int_("size", ge=1)) == {
        "loc": ["query", "size"],
        "msg": "Input should be greater than or equal to 1",
        "type": "greater_than_equal",
    }
    assert _error(lambda: params.int_("x"))["type"] == "int_parsing"
    assert _error(lambda: params.int_("blank"))["type"] == "int_parsing"  # ?blank= is a value
    assert _error(lambda: params.int_("absent", required=True)) == {
        "loc": ["query", "absent"],
        "msg": "Field required",
        "type": "missing",
    }


def test_the_last_occurrence_counts() -> None:
    assert Params([("page", "2"), ("page", "5")]).int_("page") == 5


def test_booleans() -> None:
    params = Params([("a", " true "), ("b", "off"), ("c", "maybe")])
    assert (params.bool_("a"), params.bool_("b"), params.bool_("z", False)) == (True, False, False)
    assert _error(lambda: params.bool_("c"))["type"] == "bool_parsing"


def test_choices_are_pydantics_enum() -> None:
    params = Params([("sort_dir", "up"), ("sort_by", "name")])
    assert _error(lambda: params.sort(("name",), "name")) == {
        "loc": ["query", "sort_dir"],
        "msg": "Input should be 'asc' or 'desc'",
        "type": "enum",
    }
    assert Params([("sort_by", "name")]).sort(("name", "id"), "id") == ("name", False)
    assert Params([]).choice("mode", ("a",)) is None


def test_dates_are_strict_and_empty_is_absent() -> None:
    params = Params([("d", "2024-02-29"), ("bad", "2023-02-30"), ("us", "02/03/2001"), ("e", "")])
    assert params.date_("d") == date(2024, 2, 29)
    assert params.date_("e") is None
    assert _error(lambda: params.date_("bad"))["type"] == "date_parsing"
    assert _error(lambda: params.date_("us"))["type"] == "date_parsing"


def test_timestamps_read_as_bodies_do() -> None:
    params = Params([("t", "2025-01-20T09:00:00+02:00"), ("day", "2025-01-20"), ("bad", "soon")])
    assert params.timestamp("t") == datetime(2025, 1, 20, 7, tzinfo=UTC)
    assert params.timestamp("day") == datetime(2025, 1, 20, tzinfo=UTC)
    assert _error(lambda: params.timestamp("bad"))["type"] == "datetime_parsing"
