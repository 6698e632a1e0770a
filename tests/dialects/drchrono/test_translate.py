"""DrChrono payloads through the library entry point (``dialects.translate``):
a full response reads into a canonical record and renders in another dialect."""

from __future__ import annotations

from dialects import translate
from tests.support import load


def test_patient_with_insurances_and_employer() -> None:
    body = load("drchrono/patients/post.json")["response"]["body"]
    record = translate(body, "patient", read="drchrono")
    assert record.insurances == {"primary": body["primary_insurance"]}
    assert record.employer.name == "Analytical Engines"
    assert (record.num, record.first_name, record.mobile_phone) == (
        body["id"],
        "Ada",
        "503-555-0100",
    )
    od = translate(body, "patient", read="drchrono", write="opendental")
    assert (od["FName"], od["LName"], od["Birthdate"]) == ("Ada", "Lovelace", "1990-12-10")


def test_comm_log_to_open_dental() -> None:
    body = load("drchrono/comm_logs/get_one.json")["response"]["body"]
    od = translate(body, "commlog", read="drchrono", write="opendental")
    assert (od["CommlogNum"], od["PatNum"], od["Note"], od["commType"]) == (
        body["id"],
        body["patient"],
        body["message"],
        body["type"],
    )
    assert od["CommDateTime"] == body["scheduled_time"].replace("T", " ")


def test_task() -> None:
    body = load("drchrono/tasks/get_one.json")["response"]["body"]
    record = translate(body, "task", read="drchrono")
    assert (record.num, record.description, record.task_list.num) == (
        body["id"],
        body["title"],
        body["category"],
    )
