"""Every endpoint seed 004 documents, so one the gateway does not serve answers
plainly that it is not served.

A request to a documented DrChrono v4 path that has no implementation here
answers 501 Not Implemented in DrChrono's error shape, naming the path, after
the usual authentication. Never an empty 200 (a client would believe there is
no data) and never a bare 404 (a client would believe the record is gone).
The list is the seed's ("Supported requests" of each path); paths served by a
resource module are left out when the dialect is assembled, so the catalogue
shrinks as the dialect grows.
"""

from __future__ import annotations

from collections.abc import Iterable

from dialects.base import Call, Endpoint, Handler, Reply
from dialects.drchrono.resource import slashed

__all__ = ["DOCUMENTED", "unserved"]

DOCUMENTED: tuple[tuple[str, str], ...] = (
    ("/api/appointments", "GET, POST, PUT, PATCH, DELETE"),
    ("/api/custom_vitals", "GET"),
    ("/api/appointment_profiles", "GET, POST, PUT, PATCH, DELETE"),
    ("/api/appointment_templates", "GET, POST, PUT, PATCH, DELETE"),
    ("/api/billing_profiles", "GET"),
    ("/api/doctors", "GET"),
    ("/api/documents", "GET, POST, PUT, PATCH, DELETE"),
    ("/api/offices", "GET, PATCH"),
    ("/api/offices/{id}/add_exam_room", "POST"),
    ("/api/insurances", "GET"),
    ("/api/consent_forms", "GET, POST, PUT, PATCH"),
    ("/api/consent_forms/{id}/apply_to_appointment", "POST"),
    ("/api/consent_forms/{id}/unapply_from_appointment", "POST"),
    ("/api/custom_insurance_plan_names", "GET"),
    ("/api/custom_appointment_fields", "GET, POST, PUT, PATCH"),
    ("/api/custom_demographics", "GET, POST, PUT, PATCH"),
    ("/api/patients", "GET, POST, PUT, PATCH, DELETE"),
    ("/api/patients/{id}/ccda", "GET"),
    ("/api/patients/{id}/qrda1", "GET"),
    ("/api/patients/{id}/onpatient_access", "GET, POST, DELETE"),
    ("/api/patient_flag_types", "GET, POST, PUT, PATCH"),
    ("/api/patient_messages", "GET, POST, PUT, PATCH"),
    ("/api/patients_summary", "GET, POST, PUT, PATCH, DELETE"),
    ("/api/patient_payments", "GET, POST"),
    ("/api/patient_payment_log", "GET"),
    ("/api/reminder_profiles", "GET, POST, PUT, PATCH, DELETE"),
    ("/api/users", "GET"),
    ("/api/user_groups", "GET"),
    ("/api/line_items", "GET, POST"),
    ("/api/transactions", "GET"),
    ("/api/allergies", "GET, POST, PUT, PATCH"),
    ("/api/medications", "GET, POST, PUT, PATCH"),
    ("/api/medications/{id}/append_to_pharmacy_note", "PATCH"),
    ("/api/problems", "GET, POST, PUT, PATCH"),
    ("/api/procedures", "GET"),
    ("/api/amendments", "GET, POST, PUT, PATCH, DELETE"),
    ("/api/clinical_note_templates", "GET"),
    ("/api/clinical_notes", "GET"),
    ("/api/clinical_note_field_types", "GET"),
    ("/api/clinical_note_field_values", "GET, POST, PUT, PATCH"),
    ("/api/messages", "GET, POST, PUT, PATCH, DELETE"),
    ("/api/prescription_messages", "GET"),
    ("/api/fee_schedules", "GET"),
    ("/api/comm_logs", "GET, POST, PUT, PATCH"),
    ("/api/inventory_categories", "GET"),
    ("/api/inventory_vaccines", "GET, POST"),
    ("/api/patient_vaccine_records", "GET, POST, PUT, PATCH"),
    ("/api/sublabs", "GET, POST, PUT, PATCH"),
    ("/api/lab_orders", "GET, POST, PUT, PATCH"),
    ("/api/lab_orders_summary", "GET"),
    ("/api/lab_documents", "GET, POST, PUT, PATCH, DELETE"),
    ("/api/lab_tests", "GET, POST, PUT, PATCH, DELETE"),
    ("/api/lab_results", "GET, POST, PUT, PATCH, DELETE"),
    ("/api/care_plans", "GET"),
    ("/api/eligibility_checks", "GET"),
    ("/api/tasks", "GET, POST, PUT, PATCH"),
    ("/api/task_categories", "GET, POST, PUT, PATCH"),
    ("/api/task_notes", "GET, POST, PUT, PATCH"),
    ("/api/task_statuses", "GET, POST, PUT, PATCH"),
    ("/api/task_templates", "GET, POST, PUT, PATCH"),
    ("/api/patient_interventions", "GET, POST, PUT, PATCH"),
    ("/api/patient_physical_exams", "GET, POST, PUT, PATCH"),
    ("/api/patient_risk_assessments", "GET, POST, PUT, PATCH"),
    ("/api/patient_communications", "GET, POST, PUT, PATCH"),
    ("/api/implantable_devices", "GET"),
    ("/api/mu_2015_report", "GET"),
    ("/api/iframe_integration", "POST, DELETE"),
)
"""(path, supported methods) exactly as seed 004 lists them."""

NOT_SERVED = 501


def _handler(path: str) -> Handler:
    async def not_served(call: Call) -> Reply:
        return Reply(
            NOT_SERVED,
            {
                "detail": f"{path} is a DrChrono v4 endpoint this gateway does not serve; "
                "no data was read or changed."
            },
        )

    return not_served


def unserved(served: Iterable[Endpoint]) -> list[Endpoint]:
    """Catalogue endpoints for every documented path no served endpoint covers."""
    taken = {ep.path.rstrip("/") for ep in served}
    out: list[Endpoint] = []
    for path, methods in DOCUMENTED:
        names = [m.strip() for m in methods.split(",")]
        # A plain collection also has its ":id" detail path; an action path is itself.
        paths = [path] if "{id}" in path else [path, f"{path}/{{id}}"]
        for p in paths:
            if p in taken:
                continue
            handler = _handler(path)
            out += [Endpoint(m, variant, handler) for m in names for variant in slashed(p)]
    return out
