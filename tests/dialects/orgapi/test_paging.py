"""Org API list pages (dialects/orgapi/paging.py): the page window, and
cursors that round-trip and refuse what they were not made for. Walking real
lists is tested with the patient lists (test_patient_lists.py)."""

from __future__ import annotations

from datetime import date

import pytest

from canonical import Patient
from dialects.orgapi.dialect import ValidationFailed
from dialects.orgapi.paging import PAGES, CursorPaging, PagePaging, Sort, encode_cursor
from dialects.orgapi.params import Params

CURSOR = CursorPaging(("last_name", "date_of_birth"), "last_name", frozenset({"date_of_birth"}))


def test_page_window_defaults_and_bounds() -> None:
    assert PAGES.window(Params([])) == (1, 50)
    assert PagePaging(100).window(Params([("page", "2")])) == (2, 100)
    for bad, kind in (
        (("page", "0"), "greater_than_equal"),
        (("page_size", "201"), "less_than_equal"),
    ):
        with pytest.raises(ValidationFailed) as caught:
            PAGES.window(Params([bad]))
        assert [(e["loc"], e["type"]) for e in caught.value.errors] == [(["query", bad[0]], kind)]


@pytest.mark.parametrize(
    ("sort", "record", "position"),
    [
        (Sort("last_name"), Patient(num=7, first_name="A", last_name="Zed"), (0, ("Zed", 7))),
        (
            Sort("date_of_birth", nullable=True),
            Patient(num=8, first_name="A", last_name="B", date_of_birth=date(1990, 1, 2)),
            (0, (date(1990, 1, 2), 8)),
        ),
        (
            Sort("date_of_birth", nullable=True),
            Patient(num=9, first_name="A", last_name="B"),
            (1, (9,)),
        ),
    ],
)
def test_a_cursor_round_trips(sort: Sort, record: Patient, position: tuple[object, ...]) -> None:
    query = [("after", encode_cursor(sort, record)), ("sort_by", sort.field)]
    first, read, _after, found = CURSOR.window(Patient, Params(query))
    assert (first, read.field, found) == (50, sort.field, position)


def test_a_cursor_of_another_order_is_refused() -> None:
    cursor = encode_cursor(Sort("last_name"), Patient(num=7, first_name="A", last_name="Zed"))
    for query in ([("sort_dir", "desc")], [("sort_by", "date_of_birth")]):
        with pytest.raises(ValidationFailed) as caught:
            CURSOR.window(Patient, Params([("after", cursor), *query]))
        assert caught.value.errors[0]["loc"] == ["query", "after"]
