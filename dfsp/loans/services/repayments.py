"""Repayments: allocation (penalty → overdue interest → interest → principal, oldest first),
paying the next instalment in advance, early repayment with a new schedule, full settlement."""

import math
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dfsp.core.errors import Conflict, ValidationFailed
from dfsp.loans import errors, schedules
from dfsp.loans.models import Instalment, Repayment, RepaymentAllocation
from dfsp.loans.services._common import (
    add_event,
    audit,
    institution_actor,
    locked_loan_of,
    move,
    notify_enterprise,
)
from dfsp.loans.services.disbursement import _decimal
from dfsp.loans.services.schedule_store import current_period_start, months_between, reschedule_remaining
from dfsp.loans.states import (
    Bucket,
    Channel,
    Component,
    EarlyRepaymentOption,
    InstalmentStatus,
    LoanStatus,
    RepaymentMethod,
    ScheduleReason,
)

ZERO = Decimal("0.00")
# (component, accrued field, paid field) in allocation order
COMPONENTS = (
    (Component.PENALTY, "penalty_interest", "penalty_interest_paid"),
    (Component.OVERDUE_INTEREST, "overdue_interest", "overdue_interest_paid"),
    (Component.INTEREST, "interest_due", "interest_paid"),
    (Component.PRINCIPAL, "principal_due", "principal_paid"),
)
INSTALMENT_FIELDS = [
    "principal_paid",
    "interest_paid",
    "overdue_interest_paid",
    "penalty_interest_paid",
    "interest_due",
    "status",
    "paid_on",
    "days_past_due",
    "bucket",
]


def _owed(instalment, due_field, paid_field) -> Decimal:
    return getattr(instalment, due_field) - getattr(instalment, paid_field)


def _allocate(instalments, remaining: Decimal, plan: list, components=COMPONENTS) -> Decimal:
    """Component by component, oldest instalment first; returns what is left of the money."""
    for component, due_field, paid_field in components:
        for instalment in instalments:
            take = min(_owed(instalment, due_field, paid_field), remaining)
            if take > 0:
                setattr(instalment, paid_field, getattr(instalment, paid_field) + take)
                plan.append((instalment, component, take))
                remaining -= take
    return remaining


def _parse_date(value):
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except (ValueError, TypeError):
        return None


def _shorter_term(loan, principal: Decimal, period_start: date) -> int:
    """Instalments needed when the instalment amount is kept (never beyond the current maturity)."""
    version = loan.schedule_versions.get(is_current=True)
    limit = max(1, months_between(period_start, loan.maturity_date))
    if loan.method == RepaymentMethod.EQUAL_INSTALMENT:
        payment = schedules.equal_instalment_payment(
            version.principal, version.annual_rate, version.term_months
        )
        return min(limit, schedules.periods_for_payment(principal, loan.annual_rate, payment))
    if loan.method == RepaymentMethod.EQUAL_PRINCIPAL:
        share = schedules.to_fen(version.principal / version.term_months)
        return min(limit, max(1, math.ceil(principal / share)))
    return limit  # interest-first and bullet loans keep their maturity


def _validate(amount, paid_on, early_option, loan, today):
    if amount is None or amount <= 0:
        raise ValidationFailed(
            code=errors.INVALID_AMOUNT, field_errors={"amount": _("Enter an amount above zero.")}
        )
    if paid_on is None:
        raise ValidationFailed(field_errors={"paid_on": _("Enter the date the money was received.")})
    if paid_on < loan.start_date:
        raise ValidationFailed(
            code=errors.REPAYMENT_BEFORE_DISBURSEMENT,
            field_errors={"paid_on": _("The date is before the loan started.")},
        )
    if paid_on > today:
        raise ValidationFailed(
            code=errors.REPAYMENT_IN_FUTURE, field_errors={"paid_on": _("The date is in the future.")}
        )
    if early_option and early_option not in EarlyRepaymentOption.values:
        raise ValidationFailed(field_errors={"early_option": _("Choose how to treat the early repayment.")})


def _settle_upcoming(upcoming, plan, remaining) -> Decimal:
    """Full settlement before maturity: the principal of every later instalment is paid; the
    interest of periods not yet started is not charged (the broken period carries no interest)."""
    remaining = _allocate(upcoming, remaining, plan, components=COMPONENTS[3:])
    for instalment in upcoming:
        instalment.interest_due = instalment.interest_paid
    return remaining


def record_repayment(
    *,
    actor,
    loan_id,
    amount,
    paid_on,
    reference: str = "",
    early_option: str = "",
    idempotency_key: str = "",
    channel: str = Channel.UI,
) -> Repayment:
    """Record money received on a loan of the actor's institution and allocate it."""
    who = institution_actor(actor)
    amount = _decimal(amount)
    paid_on = _parse_date(paid_on)
    today = timezone.localdate()
    reference = str(reference or "").strip()[:64]
    idempotency_key = str(idempotency_key or "").strip()[:100]
    with transaction.atomic():
        loan = locked_loan_of(who, loan_id)
        if idempotency_key:
            earlier = loan.repayments.filter(idempotency_key=idempotency_key).first()
            if earlier is not None:
                if earlier.amount == amount and earlier.paid_on == paid_on:
                    return earlier
                raise Conflict(
                    _("This key was used for another repayment."), code=errors.IDEMPOTENCY_KEY_REUSED
                )
        if loan.status == LoanStatus.SETTLED:
            raise Conflict(_("The loan is already settled."), code=errors.LOAN_SETTLED)
        _validate(amount, paid_on, early_option, loan, today)
        live = list(
            Instalment.objects.select_for_update()
            .filter(loan=loan, superseded=False)
            .exclude(status=InstalmentStatus.PAID)
            .order_by("due_date", "number")
        )
        due = [i for i in live if i.due_date <= paid_on]
        upcoming = [i for i in live if i.due_date > paid_on]
        plan: list = []
        remaining = _allocate(due, amount, plan)
        early_principal = ZERO
        settles = False
        if remaining > 0:
            upcoming_principal = sum((_owed(i, "principal_due", "principal_paid") for i in upcoming), ZERO)
            next_owed = upcoming[0].outstanding if upcoming else ZERO
            if remaining == upcoming_principal:
                remaining = _settle_upcoming(upcoming, plan, remaining)
                settles = True
            elif early_option and remaining < upcoming_principal:
                early_principal, remaining = remaining, ZERO
            elif not early_option and remaining <= next_owed:
                remaining = _allocate(upcoming[:1], remaining, plan)
            elif early_option or remaining > upcoming_principal + next_owed:
                raise ValidationFailed(
                    _("The amount is more than everything outstanding (%(payoff)s yuan).")
                    % {"payoff": sum((i.outstanding for i in due), ZERO) + upcoming_principal},
                    code=errors.AMOUNT_EXCEEDS_OUTSTANDING,
                    field_errors={"amount": _("The amount is more than everything outstanding.")},
                )
            else:
                raise ValidationFailed(
                    code=errors.EARLY_OPTION_REQUIRED,
                    field_errors={
                        "early_option": _(
                            "The amount exceeds the next instalment: choose a shorter term or a lower instalment."
                        )
                    },
                )
        repayment = Repayment.objects.create(
            loan=loan,
            amount=amount,
            paid_on=paid_on,
            channel=channel,
            reference=reference,
            idempotency_key=idempotency_key,
            is_early=bool(early_principal) or (settles and bool(upcoming)),
            early_option=early_option if early_principal else "",
            settles_loan=False,
            recorded_by=who.user,
        )
        RepaymentAllocation.objects.bulk_create(
            [
                RepaymentAllocation(repayment=repayment, instalment=i, component=c, amount=a)
                for i, c, a in plan
            ]
            + (
                [
                    RepaymentAllocation(
                        repayment=repayment, component=Component.PRINCIPAL, amount=early_principal
                    )
                ]
                if early_principal
                else []
            )
        )
        for instalment in live:
            if instalment.outstanding == 0:
                instalment.status = InstalmentStatus.PAID
                instalment.paid_on = paid_on
                instalment.days_past_due = 0
                instalment.bucket = Bucket.CURRENT
            elif instalment.status == InstalmentStatus.PENDING and instalment.total_paid > 0:
                instalment.status = InstalmentStatus.PARTIALLY_PAID
        Instalment.objects.bulk_update(live, INSTALMENT_FIELDS)
        principal_paid = sum((a for _i, c, a in plan if c == Component.PRINCIPAL), ZERO) + early_principal
        loan.outstanding_principal -= principal_paid
        updates = ["outstanding_principal"]
        if early_principal:
            option = early_option
            term = (
                _shorter_term(loan, loan.outstanding_principal, current_period_start(loan, paid_on))
                if option == EarlyRepaymentOption.SHORTER_TERM
                else None
            )
            reschedule_remaining(
                loan, on=paid_on, reason=ScheduleReason.EARLY_REPAYMENT, created_by=who.user, term_months=term
            )
            updates += ["schedule_version", "maturity_date"]
        still_open = loan.instalments.filter(superseded=False).exclude(status=InstalmentStatus.PAID)
        if loan.outstanding_principal == 0 and not still_open.exists():
            move(loan, LoanStatus.SETTLED, who, action="settled")
            loan.settled_on = paid_on
            loan.days_past_due, loan.bucket = 0, Bucket.CURRENT
            repayment.settles_loan = True
            repayment.save(update_fields=["settles_loan"])
            updates += ["status", "settled_on", "days_past_due", "bucket"]
        elif loan.status == LoanStatus.OVERDUE and not still_open.filter(due_date__lt=today).exists():
            move(loan, LoanStatus.ACTIVE, who, action="arrears_cleared")
            loan.days_past_due, loan.bucket = 0, Bucket.CURRENT
            updates += ["status", "days_past_due", "bucket"]
        loan.save(update_fields=updates)
        details = {
            "repayment": repayment.pk,
            "amount": str(amount),
            "paid_on": paid_on.isoformat(),
            "early_principal": str(early_principal),
            "settled": repayment.settles_loan,
            "channel": channel,
        }
        add_event(loan, "repayment_recorded", who, details=details)
        audit("loans.repayment.recorded", who, loan, details)
        notify_enterprise(
            loan,
            _("Repayment of %(amount)s yuan recorded on loan %(contract)s")
            % {"amount": amount, "contract": loan.contract_number},
            _("The loan is settled.") if repayment.settles_loan else "",
        )
    return repayment
