"""Every resource of the Open Dental API, so one the gateway does not serve
answers plainly that it is not served.

A request to a documented Open Dental resource with no implementation here
answers 501 Not Implemented, after the usual authentication, with Open
Dental's error shape (a JSON string) naming the resource. Never a bare 404: a
client reads that as "record not found", and an integration's health check
(``GET /clinics?Limit=1``) as the server being down. The list is the
official API specification's (``apispecification.md``); a resource's URL is
its name in lower case (``AllergyDefs`` -> ``/allergydefs``). Resources with a
served endpoint are left out when the dialect is assembled, so the catalogue
shrinks as the dialect grows.
"""

from __future__ import annotations

from collections.abc import Iterable

from dialects.base import Call, Endpoint, Handler, Reply

__all__ = ["DOCUMENTED", "unserved"]

DOCUMENTED: tuple[str, ...] = (
    "AccountModules",
    "Adjustments",
    "Allergies",
    "AllergyDefs",
    "Appointments",
    "AppointmentTypes",
    "ApptFields",
    "ApptFieldDefs",
    "AsapComms",
    "AutoNoteControls",
    "AutoNotes",
    "Benefits",
    "Carriers",
    "ChartModules",
    "ClaimPayments",
    "ClaimProcs",
    "Claims",
    "ClaimTrackings",
    "Clinics",
    "ClockEvents",
    "CodeGroups",
    "Commlogs",
    "Computers",
    "CovCats",
    "CovSpans",
    "Definitions",
    "DiscountPlans",
    "DiscountPlanSubs",
    "DiseaseDefs",
    "Diseases",
    "Documents",
    "EhrPatients",
    "EobAttaches",
    "Employees",
    "Employers",
    "EtransMessageTexts",
    "Etranss",
    "FamilyModules",
    "Fees",
    "FeeScheds",
    "HistAppointments",
    "InsPlans",
    "InsSubs",
    "InsVerifies",
    "LabCases",
    "Laboratories",
    "LabTurnarounds",
    "MedicationPats",
    "Medications",
    "Operatories",
    "PatFieldDefs",
    "PatFields",
    "PatientNotes",
    "PatientRaces",
    "Patients",
    "PatPlans",
    "Payments",
    "PayPlanCharges",
    "PayPlanLinks",
    "PayPlans",
    "PaySplits",
    "PerioExams",
    "PerioMeasures",
    "Pharmacies",
    "Popups",
    "Preferences",
    "ProcedureCodes",
    "ProcedureLogs",
    "ProcNotes",
    "ProcTPs",
    "Providers",
    "Queries",
    "QuickPasteCats",
    "QuickPasteNotes",
    "Recalls",
    "RecallTypes",
    "RefAttaches",
    "Referrals",
    "Reports",
    "RxPats",
    "ScheduleOps",
    "Schedules",
    "SecurityLogs",
    "SecurityPerms",
    "Sheets",
    "SheetFields",
    "Signalods",
    "Statements",
    "Subscriptions",
    "SubstitutionLinks",
    "TaskLists",
    "TaskNotes",
    "Tasks",
    "ToothInitials",
    "TreatPlanAttaches",
    "TreatPlans",
    "UserGroupAttaches",
    "UserGroups",
    "Userods",
)
"""The resources the official API specification lists, as it spells them."""

NOT_SERVED = 501
METHODS = ("GET", "POST", "PUT", "DELETE")
"""The methods Open Dental's API uses."""
SHAPES = ("", "/{id}", "/{id}/{action}")
"""The paths below a resource: the collection, one record or a named list
(``/appointments/ASAP``), and an action on a record (``/appointments/{AptNum}/Break``)."""


def _handler(name: str) -> Handler:
    async def not_served(call: Call) -> Reply:
        return Reply(
            NOT_SERVED,
            f"{name} is an Open Dental API resource this gateway does not serve; "
            "no data was read or changed.",
        )

    return not_served


def unserved(served: Iterable[Endpoint]) -> list[Endpoint]:
    """Catalogue endpoints for every documented resource no served endpoint covers."""
    taken = {ep.path.strip("/").split("/", 1)[0].lower() for ep in served}
    out: list[Endpoint] = []
    for name in DOCUMENTED:
        base = f"/{name.lower()}"
        if base[1:] in taken:
            continue
        handler = _handler(name)
        out += [Endpoint(m, base + shape, handler) for shape in SHAPES for m in METHODS]
    return out
