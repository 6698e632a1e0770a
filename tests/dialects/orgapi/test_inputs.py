"""Input models derived from the codecs, and the one converter from pydantic's
``ValidationError`` to the org API's 422 body (dialects/orgapi/inputs.py)."""

from __future__ import annotations

from typing import Any

import pydantic
import pytest

from dialects.codec import CodecContext
from dialects.orgapi import allergies, medications, patient_codec
from dialects.orgapi.dialect import ValidationFailed
from dialects.orgapi.inputs import (
    BaseVersion,
    check,
    closed_model,
    codec_model,
    decode,
    failed,
    known,
    one_of,
)


def _errors(model: type[pydantic.BaseModel], data: Any) -> list[dict[str, Any]]:
    with pytest.raises(ValidationFailed) as caught:
        check(model, data)
    return caught.value.errors


def test_the_converter_keeps_pydantics_message_and_type_behind_the_prefix() -> None:
    with pytest.raises(pydantic.ValidationError) as caught:
        pydantic.TypeAdapter(list[int]).validate_python([1, "x"])
    (raw,) = caught.value.errors(include_url=False)
    assert failed(caught.value, ("body", "rows")).errors == [
        {"loc": ["body", "rows", 1], "msg": raw["msg"], "type": "int_parsing"}
    ]
    assert failed(caught.value, ("body", "rows")).fields == {"body.rows.1": raw["msg"]}


def test_a_known_error_is_worded_by_pydantic() -> None:
    assert known("missing", ["query", "base_version"]).errors == [
        {"loc": ["query", "base_version"], "msg": "Field required", "type": "missing"}
    ]


def test_the_input_models_follow_the_field_flags() -> None:
    post = codec_model(medications.CODEC, "POST")
    patch = codec_model(medications.CODEC, "PATCH", versioned=True)
    # status and discontinuation_reason are PATCH-only; base_version only versions a PATCH.
    assert [e["loc"] for e in _errors(post, {"status": "active"})] == [["body", "status"]]
    assert _errors(patch, {"status": "active"}) == [
        {"loc": ["body", "base_version"], "msg": "Field required", "type": "missing"}
    ]
    assert check(patch, {"base_version": 2, "status": "active"}) == {
        "base_version": 2,
        "status": "active",
    }


def test_missing_and_unknown_keys_are_reported_together() -> None:
    model = codec_model(allergies.CODEC, "POST")
    assert _errors(model, {"reaction": "hives", "nickname": "x"}) == [
        {"loc": ["body", "allergy_definition_uuid"], "msg": "Field required", "type": "missing"},
        {
            "loc": ["body", "nickname"],
            "msg": "Extra inputs are not permitted",
            "type": "extra_forbidden",
        },
    ]


@pytest.mark.parametrize(
    ("value", "kind"),
    [(None, "int_type"), ("1", "int_type"), (True, "int_type"), (0, "greater_than_equal")],
)
def test_base_version_is_a_json_integer_from_one(value: Any, kind: str) -> None:
    model = closed_model("Versioned", {"base_version": BaseVersion}, ("base_version",))
    assert [(e["loc"], e["type"]) for e in _errors(model, {"base_version": value})] == [
        (["body", "base_version"], kind)
    ]


def test_any_key_is_safe_in_a_model() -> None:
    model = closed_model("Odd", {"copy": Any, "model_config": Any, "json": Any}, ("copy",))
    assert check(model, {"copy": 1, "json": None}) == {"copy": 1, "json": None}


def test_one_of_is_pydantics_enum() -> None:
    with pytest.raises(pydantic.ValidationError) as caught:
        pydantic.TypeAdapter(one_of(("asc", "desc"))).validate_python("up")
    (error,) = caught.value.errors(include_url=False)
    assert (error["type"], error["msg"]) == ("enum", "Input should be 'asc' or 'desc'")


def test_decode_names_each_bad_value_at_its_key() -> None:
    with pytest.raises(ValidationFailed) as caught:
        decode(patient_codec.CODEC, {"gender": "robot", "email": "nope"}, CodecContext())
    assert sorted((e["loc"][1], e["type"]) for e in caught.value.errors) == [
        ("email", "value_error"),
        ("gender", "value_error"),
    ]
