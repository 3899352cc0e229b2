"""Writing schedules into instalments: the first one at disbursement, and new versions
(early repayment here, deferral and renewal from postloan) that keep the old ones as history."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dfsp.core.errors import Conflict, ValidationFailed
from dfsp.loans import errors, schedules
from dfsp.loans.models import Instalment, Loan, ScheduleVersion
from dfsp.loans.services._common import add_event, audit, institution_actor, locked_loan_of, notify_enterprise
from dfsp.loans.states import InstalmentStatus, LoanStatus, RepaymentMethod, ScheduleReason

ZERO = Decimal("0.00")


def months_between(start: date, end: date) -> int:
    return max(0, (end.year - start.year) * 12 + end.month - start.month)


def write_schedule(
    loan: Loan,
    *,
    principal: Decimal,
    annual_rate: Decimal,
    term_months: int,
    start_date: date,
    repayment_day: int,
    method: str,
    reason: str,
    created_by=None,
    comment: str = "",
    first_number: int = 1,
    interest_credit: Decimal = ZERO,
) -> ScheduleVersion:
    """Generate and store a schedule version; ``interest_credit`` is interest already paid for the
    first period (it lowers the first new instalment's interest)."""
    rows = schedules.generate(
        principal=principal,
        annual_rate=annual_rate,
        term_months=term_months,
        start_date=start_date,
        repayment_day=repayment_day,
        method=method,
    )
    number = (loan.schedule_versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    loan.schedule_versions.filter(is_current=True).update(is_current=False)
    version = ScheduleVersion.objects.create(
        loan=loan,
        number=number,
        reason=reason,
        comment=comment,
        principal=principal,
        annual_rate=annual_rate,
        term_months=term_months,
        start_date=start_date,
        repayment_day=repayment_day,
        method=method,
        created_by=created_by,
    )
    instalments = []
    for index, row in enumerate(rows):
        interest = row.interest
        if index == 0 and interest_credit > 0:
            interest = max(ZERO, interest - interest_credit)
        instalments.append(
            Instalment(
                loan=loan,
                schedule=version,
                number=first_number + index,
                due_date=row.due_date,
                principal_due=row.principal,
                interest_due=interest,
            )
        )
    Instalment.objects.bulk_create(instalments)
    loan.schedule_version = number
    loan.maturity_date = rows[-1].due_date
    return version


def current_period_start(loan: Loan, on: date) -> date:
    """The start of the period ``on`` falls in: the last live due date on or before it."""
    last = (
        loan.instalments.filter(superseded=False, due_date__lte=on)
        .order_by("-due_date")
        .values_list("due_date", flat=True)
        .first()
    )
    return last or loan.start_date


def has_arrears(loan: Loan, on: date) -> bool:
    return (
        loan.instalments.filter(superseded=False, due_date__lte=on)
        .exclude(status=InstalmentStatus.PAID)
        .exists()
    )


def reschedule_remaining(
    loan: Loan,
    *,
    on: date,
    reason: str,
    created_by=None,
    comment: str = "",
    term_months: int | None = None,
    annual_rate: Decimal | None = None,
    method: str | None = None,
    repayment_day: int | None = None,
) -> ScheduleVersion | None:
    """Replace the instalments not yet due by a new version for the outstanding principal, running
    from the start of the current period. Instalments with payments are closed at what was paid
    (their paid interest is credited to the first new instalment); unpaid ones are superseded."""
    period_start = current_period_start(loan, on)
    upcoming = list(loan.instalments.filter(superseded=False, due_date__gt=period_start).order_by("due_date"))
    credit = ZERO
    for instalment in upcoming:
        if instalment.status == InstalmentStatus.PAID:
            continue
        if instalment.principal_paid or instalment.interest_paid:
            credit += instalment.interest_paid
            instalment.principal_due = instalment.principal_paid
            instalment.interest_due = instalment.interest_paid
            instalment.status = InstalmentStatus.PAID
            instalment.paid_on = on
            instalment.save(update_fields=["principal_due", "interest_due", "status", "paid_on"])
        else:
            instalment.superseded = True
            instalment.save(update_fields=["superseded"])
    if loan.outstanding_principal <= 0:
        loan.schedule_versions.filter(is_current=True).update(is_current=False)
        return None
    term = term_months or months_between(period_start, loan.maturity_date) or 1
    kept = (
        loan.instalments.filter(superseded=False).order_by("-number").values_list("number", flat=True).first()
    )
    return write_schedule(
        loan,
        principal=loan.outstanding_principal,
        annual_rate=annual_rate if annual_rate is not None else loan.annual_rate,
        term_months=term,
        start_date=period_start,
        repayment_day=repayment_day or loan.repayment_day,
        method=method or loan.method,
        reason=reason,
        created_by=created_by,
        comment=comment,
        first_number=(kept or 0) + 1,
        interest_credit=credit,
    )


def regenerate_schedule(
    *,
    actor,
    loan_id,
    reason: str,
    term_months: int | None = None,
    annual_rate=None,
    method: str | None = None,
    repayment_day: int | None = None,
    comment: str = "",
    on: date | None = None,
) -> ScheduleVersion:
    """A new schedule for the outstanding principal (deferral 展期, renewal, adjustment).

    ``term_months`` counts instalments from the start of the current period (default: up to the
    current maturity). Refused on a settled loan and while anything due is unpaid.
    """
    who = institution_actor(actor)
    on = on or timezone.localdate()
    field_errors = {}
    if reason not in ScheduleReason.values:
        field_errors["reason"] = _("Choose why the schedule changes.")
    if term_months is not None and not (isinstance(term_months, int) and 1 <= term_months <= 360):
        field_errors["term_months"] = _("Enter a term between 1 and 360 months.")
    if annual_rate is not None:
        try:
            annual_rate = Decimal(str(annual_rate))
            if not Decimal("0") <= annual_rate <= Decimal("36"):
                raise ValueError
        except (ArithmeticError, ValueError):
            field_errors["annual_rate"] = _("Enter an annual rate between 0% and 36%.")
    if method is not None and method not in RepaymentMethod.values:
        field_errors["method"] = _("Choose a repayment method.")
    if repayment_day is not None and not (isinstance(repayment_day, int) and 1 <= repayment_day <= 31):
        field_errors["repayment_day"] = _("Enter a repayment day between 1 and 31.")
    if field_errors:
        raise ValidationFailed(code=errors.INVALID_TERMS, field_errors=field_errors)
    with transaction.atomic():
        loan = locked_loan_of(who, loan_id)
        if loan.status == LoanStatus.SETTLED:
            raise Conflict(_("The loan is settled."), code=errors.LOAN_SETTLED)
        if has_arrears(loan, on):
            raise Conflict(_("Amounts already due must be repaid first."), code=errors.LOAN_HAS_ARREARS)
        version = reschedule_remaining(
            loan,
            on=on,
            reason=reason,
            created_by=who.user,
            comment=comment,
            term_months=term_months,
            annual_rate=annual_rate,
            method=method,
            repayment_day=repayment_day,
        )
        updates = ["schedule_version", "maturity_date"]
        if annual_rate is not None:
            loan.annual_rate = annual_rate
            updates.append("annual_rate")
        if method:
            loan.method = method
            updates.append("method")
        if repayment_day:
            loan.repayment_day = repayment_day
            updates.append("repayment_day")
        loan.save(update_fields=updates)
        details = {"version": version.number, "reason": reason, "maturity": loan.maturity_date.isoformat()}
        add_event(loan, "schedule_regenerated", who, comment=comment, details=details)
        audit("loans.schedule.regenerated", who, loan, details)
        notify_enterprise(
            loan,
            _("The repayment schedule of loan %(contract)s has changed") % {"contract": loan.contract_number},
            _("New maturity date: %(date)s.") % {"date": loan.maturity_date.isoformat()},
        )
    return version
