"""Open Dental request bodies: one JSON object, only the keys the method takes
(the field map's ``accepts`` flags), every key it requires (``required``)."""

from __future__ import annotations

from typing import Any

import pytest

from canonical import Invalid
from dialects.opendental.bodies import check_keys
from dialects.opendental.commlogs import CODEC as COMMLOGS
from dialects.opendental.procedure_codec import CODEC as PROCEDURES


def _refusal(body: dict[str, Any], method: str, **kw: Any) -> str:
    with pytest.raises(Invalid) as caught:
        check_keys(body, COMMLOGS, method, **kw)
    return caught.value.message


def test_the_flags_are_the_input_model() -> None:
    assert COMMLOGS.required("POST") == ("PatNum", "Note")
    assert COMMLOGS.accepted("PUT") == ("Note",)
    assert "CommlogNum" not in COMMLOGS.accepted("POST")
    check_keys({"PatNum": 1, "Note": "n", "Mode_": "Email"}, COMMLOGS, "POST")
    check_keys({"Note": "n"}, COMMLOGS, "PUT")


def test_messages_name_what_the_method_does() -> None:
    assert _refusal({"PatNum": 1, "Note": "n", "X": 1}, "POST") == (
        "X cannot be set with this method."
    )
    assert _refusal({"Mode_": "Email"}, "PUT") == "Mode_ cannot be updated with this method."
    assert _refusal({"PatNum": None}, "POST") == "PatNum is required. Note is required."


def test_order_of_the_checks() -> None:
    body = {"X": 1}
    assert _refusal(body, "POST") == "X cannot be set with this method."
    assert _refusal(body, "POST", required_first=True) == "PatNum is required. Note is required."


def test_exclusive_pairs_come_between_unknown_and_missing_keys() -> None:
    pairs = (("Priority", "priority"),)
    with pytest.raises(Invalid, match="Only one of Priority or priority"):
        check_keys({"Priority": 1, "priority": "Low"}, PROCEDURES, "POST", exclusive_pairs=pairs)
    with pytest.raises(Invalid, match="cannot be set"):
        check_keys(
            {"Priority": 1, "priority": "Low", "X": 1}, PROCEDURES, "POST", exclusive_pairs=pairs
        )


def test_keys_the_path_gives_are_not_taken_from_the_body() -> None:
    with pytest.raises(Invalid, match="Note cannot be updated"):
        check_keys({"Note": "n"}, COMMLOGS, "PUT", without=("Note",))
