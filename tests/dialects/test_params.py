"""The shared query-parameter parser and its dialect settings."""

from __future__ import annotations

from datetime import date

import pytest

from canonical import Invalid
from dialects.drchrono.params import Params as DrChronoParams
from dialects.params import Params


def test_the_last_occurrence_counts_by_default_and_the_first_for_drchrono() -> None:
    query = [("page", "2"), ("page", "5")]
    assert Params(query).int_("page") == 5
    assert DrChronoParams(query).int_("page") == 2


def test_an_empty_value_reads_as_absent() -> None:
    params = Params([("since", ""), ("verbose", "")])
    assert "since" in params
    assert params.text("since") is None
    assert params.timestamp("since") is None
    assert params.flag("verbose") is True  # a bare switch is on


@pytest.mark.parametrize(
    ("raw", "expected"), [("true", True), ("1", True), ("false", False), ("0", False)]
)
def test_flags(raw: str, expected: bool) -> None:
    assert Params([("verbose", raw)]).flag("verbose") is expected
    assert Params([]).flag("verbose") is False


def test_a_bad_value_is_the_dialects_error_naming_the_parameter() -> None:
    with pytest.raises(Invalid) as caught:
        DrChronoParams([("page_size", "ten")]).int_("page_size")
    assert caught.value.fields == {"page_size": "A valid integer is required."}


def test_dialect_formats_are_used() -> None:
    # DrChrono reads dates as Django does: one-digit months and days.
    assert DrChronoParams([("d", "2016-11-1")]).date_("d") == date(2016, 11, 1)
    with pytest.raises(Invalid):
        Params([("d", "2016-11-1")]).date_("d")
