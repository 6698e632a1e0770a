"""The field map itself: per-method input flags."""

from canonical import Commlog
from dialects.codec import Codec, Field
from dialects.opendental.formats import Int, RefNum, Text


def test_accepted_and_required_follow_the_flags_in_table_order() -> None:
    codec = Codec(
        "opendental",
        Commlog,
        [
            Field("CommlogNum", "num", Int(), read_only=True),
            Field("PatNum", "patient", RefNum(), accepts="POST", required="POST"),
            Field("Note", "note", Text(), required="POST PUT"),
            Field("ProgramNum", "program_num", Int(), accepts="PUT"),
        ],
    )
    assert codec.accepted("POST") == ("PatNum", "Note")
    assert codec.accepted("PUT") == ("Note", "ProgramNum")
    assert codec.accepted("PATCH") == ("Note",)
    assert codec.required("POST") == ("PatNum", "Note")
    assert codec.required("PUT") == ("Note",)
    assert codec.required("PATCH") == ()
