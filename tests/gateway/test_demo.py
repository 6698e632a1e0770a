"""gateway.demo: the demo credentials take their scopes from what each dialect declares."""

from __future__ import annotations

from dialects import dialect_for
from gateway.demo import DEMO_CREDENTIALS, demo_credentials


def test_scoped_demo_credentials_carry_every_scope_their_dialect_declares() -> None:
    scoped = [c for c in DEMO_CREDENTIALS if c.scopes]
    assert {c.dialect for c in scoped} == {"drchrono"}
    for cred in DEMO_CREDENTIALS:
        declared = dialect_for(cred.dialect).scopes
        assert cred.scopes == declared, cred.secret


def test_the_demo_token_lists_its_scopes_as_drchrono_declares_them() -> None:
    scopes = dialect_for("drchrono").scopes
    assert "patients:summary" in scopes and "tasks" in scopes
    token = next(c for c in demo_credentials() if c.kind == "access_token")
    assert token.how == (
        "Authorization: Bearer demo-drchrono-token (scopes: " + " ".join(scopes) + ")"
    )
