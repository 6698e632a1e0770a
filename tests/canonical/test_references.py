"""Canonical reference records: what Open Dental's providers, clinics and
definitions added keeps every record written before valid."""

from __future__ import annotations

from canonical import Clinic, Definition, DefinitionCategory, Provider, ProviderStatus


def test_a_provider_without_open_dental_fields_is_an_active_unrestricted_person() -> None:
    p = Provider.model_validate({"abbreviation": "DOC9", "first_name": "Ann"})
    assert p.status is ProviderStatus.active
    assert (p.clinics, p.specialty_definition, p.fee_schedule, p.birthdate) == (
        [],
        None,
        None,
        None,
    )
    assert not (p.is_not_person or p.using_tin or p.signature_on_file or p.is_hidden_on_reports)


def test_a_clinic_without_billing_or_pay_to_addresses() -> None:
    c = Clinic.model_validate({"abbreviation": "X"})
    assert c.billing_address_line1 == c.pay_to_postal_code == ""


def test_stored_definition_categories_keep_their_values() -> None:
    # Values already stored (commlog types, priorities, ...) are never renamed.
    for value in (
        "billing_type",
        "diagnosis",
        "treatment_priority",
        "commlog_type",
        "task_priority",
    ):
        assert DefinitionCategory(value).value == value
    assert len(DefinitionCategory) == 53  # Open Dental's DefCat, 0 to 52
    d = Definition(category=DefinitionCategory.provider_specialty, name="Endodontics")
    assert Definition.model_validate_json(d.model_dump_json()) == d
