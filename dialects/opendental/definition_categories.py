"""Open Dental's definition categories (its DefCat enum, by number and by name)
as two code tables over the canonical :class:`~canonical.DefinitionCategory`.

A definition shows its category both ways (apidefinitions.md): ``Category``
the number (``1``), ``category`` the name (``"AdjTypes"``). Both tables are
built from the one list below, numbered as Open Dental numbers them (the
numbers the other pages name: 4 billing types, 16 diagnoses, 20 treatment
priorities, 27 commlog types, 33 task priorities, 35 provider specialties).
"""

from __future__ import annotations

from typing import Any

from canonical import DefinitionCategory as C
from dialects.codec import CodecContext, EnumMap
from dialects.opendental.formats import parse_int

__all__ = ["CATEGORIES", "NAMES", "NUMBERS", "CategoryNumber", "number_of"]

CATEGORIES: tuple[tuple[int, str, C], ...] = (
    (0, "AccountColors", C.account_color),
    (1, "AdjTypes", C.adjustment_type),
    (2, "ApptConfirmed", C.appointment_confirmed),
    (3, "ApptProcsQuickAdd", C.appointment_quick_add),
    (4, "BillingTypes", C.billing_type),
    (5, "ClaimFormats", C.claim_format),
    (6, "DunningMessages", C.dunning_message),
    (7, "FeeSchedNamesOld", C.fee_schedule_name_old),
    (8, "MedicalNotes", C.medical_note),
    (9, "OperatoriesOld", C.operatory_old),
    (10, "PaymentTypes", C.payment_type),
    (11, "ProcCodeCats", C.procedure_code_category),
    (12, "ProgNoteColors", C.progress_note_color),
    (13, "RecallUnschedStatus", C.recall_unscheduled_status),
    (14, "ServiceNotes", C.service_note),
    (15, "DiscountTypes", C.discount_type),
    (16, "Diagnosis", C.diagnosis),
    (17, "AppointmentColors", C.appointment_color),
    (18, "ImageCats", C.image_category),
    (19, "ApptPhoneNotes", C.appointment_phone_note),
    (20, "TxPriorities", C.treatment_priority),
    (21, "MiscColors", C.misc_color),
    (22, "ChartGraphicColors", C.chart_graphic_color),
    (23, "ContactCategories", C.contact_category),
    (24, "LetterMergeCats", C.letter_merge_category),
    (25, "BlockoutTypes", C.blockout_type),
    (26, "ProcButtonCats", C.procedure_button_category),
    (27, "CommLogTypes", C.commlog_type),
    (28, "SupplyCats", C.supply_category),
    (29, "PaySplitUnearnedType", C.paysplit_unearned_type),
    (30, "Prognosis", C.prognosis),
    (31, "ClaimCustomTracking", C.claim_custom_tracking),
    (32, "InsurancePaymentType", C.insurance_payment_type),
    (33, "TaskPriorities", C.task_priority),
    (34, "FeeColors", C.fee_color),
    (35, "ProviderSpecialties", C.provider_specialty),
    (36, "ClaimPaymentTracking", C.claim_payment_tracking),
    (37, "AccountQuickCharge", C.account_quick_charge),
    (38, "InsuranceVerificationStatus", C.insurance_verification_status),
    (39, "Regions", C.region),
    (40, "ClaimPaymentGroups", C.claim_payment_group),
    (41, "AutoNoteCats", C.auto_note_category),
    (42, "WebSchedNewPatApptTypes", C.web_sched_new_patient_appointment_type),
    (43, "ClaimErrorCode", C.claim_error_code),
    (44, "ClinicSpecialty", C.clinic_specialty),
    (45, "JobPriorities", C.job_priority),
    (46, "CarrierGroupNames", C.carrier_group_name),
    (47, "PayPlanCategories", C.pay_plan_category),
    (48, "AutoDeposit", C.auto_deposit),
    (49, "InsuranceFilingCodeGroup", C.insurance_filing_code_group),
    (50, "TimeCardAdjTypes", C.time_card_adjustment_type),
    (51, "WebSchedExistingApptTypes", C.web_sched_existing_appointment_type),
    (52, "CertificationCategories", C.certification_category),
)
"""(number, name, canonical category), in Open Dental's order."""

NAMES = EnumMap({name: c for _, name, c in CATEGORIES}, case_insensitive=True)
"""``category``: the category's name; a POST may give it in any case."""

NUMBERS = EnumMap({str(num): c for num, _, c in CATEGORIES})
"""``Category``: the category's number, as text (shown as an integer by :class:`CategoryNumber`)."""


def number_of(category: C) -> int:
    """The Open Dental number of a category (its place in the list)."""
    return int(NUMBERS.reverse[category])


class CategoryNumber:
    """``Category``: a category as its Open Dental number."""

    table = NUMBERS

    def to_wire(self, value: C | None, ctx: CodecContext) -> int | None:
        return None if value is None else number_of(value)

    def from_wire(self, raw: Any, ctx: CodecContext) -> C:
        try:
            return NUMBERS.from_wire(str(parse_int(raw)), ctx)
        except ValueError:
            last = len(CATEGORIES) - 1
            raise ValueError(f"must be a definition category number, 0 to {last}") from None
