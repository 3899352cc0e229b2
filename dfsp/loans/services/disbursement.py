"""放贷: the approving institution records the loan made on an approved application."""

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dfsp.core.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from dfsp.enterprises import selectors as enterprise_selectors
from dfsp.financing import selectors as financing_selectors
from dfsp.financing import services as financing_services
from dfsp.loans import errors, schedules
from dfsp.loans.models import Loan
from dfsp.loans.services._common import add_event, audit, institution_actor, notify_enterprise
from dfsp.loans.services.schedule_store import write_schedule
from dfsp.loans.states import Channel, LoanStatus, RepaymentMethod, ScheduleReason

MAX_RATE = Decimal("36")
PENALTY_FACTOR = Decimal("1.5")  # 罚息: default penalty rate = contract rate × 1.5 (documented)
BACKDATE_DAYS = 366  # an institution's core system may push loans made up to a year ago
FORWARD_DAYS = 31


def _decimal(value, places="0.01"):
    try:
        number = Decimal(str(value).strip().replace(",", ""))
        if not number.is_finite():
            raise InvalidOperation
        return number.quantize(Decimal(places))
    except (InvalidOperation, ValueError, TypeError, AttributeError):
        return None


def _int(value):
    try:
        return int(str(value).strip())
    except (ValueError, TypeError):
        return None


def clean_terms(application, data: dict, *, today: date) -> dict:
    """Check the loan terms against the approval; raise ValidationFailed with every field error."""
    field_errors: dict[str, str] = {}
    code = errors.INVALID_TERMS
    cleaned: dict = {}
    contract = str(data.get("contract_number") or "").strip()
    if not contract or len(contract) > 64:
        field_errors["contract_number"] = _("Enter the contract number (at most 64 characters).")
    cleaned["contract_number"] = contract
    amount = _decimal(data.get("amount"))
    if amount is None or amount <= 0:
        field_errors["amount"] = _("Enter an amount above zero.")
    elif amount > application.approved_amount:
        field_errors["amount"] = _("The amount exceeds the approved %(approved)s yuan.") % {
            "approved": application.approved_amount
        }
        code = errors.AMOUNT_EXCEEDS_APPROVED
    cleaned["amount"] = amount
    rate = _decimal(data.get("annual_rate"), "0.0001")
    if rate is None or not (Decimal("0") <= rate <= MAX_RATE):
        field_errors["annual_rate"] = _("Enter an annual rate between 0% and 36%.")
    cleaned["annual_rate"] = rate
    penalty = data.get("penalty_rate")
    if penalty in (None, ""):
        cleaned["penalty_rate"] = (
            (rate * PENALTY_FACTOR).quantize(Decimal("0.0001")) if rate is not None else None
        )
    else:
        penalty = _decimal(penalty, "0.0001")
        if penalty is None or not (Decimal("0") <= penalty <= MAX_RATE * 2):
            field_errors["penalty_rate"] = _("Enter a penalty rate between 0% and 72%.")
        cleaned["penalty_rate"] = penalty
    term = _int(data.get("term_months"))
    if term is None or not 1 <= term <= 360:
        field_errors["term_months"] = _("Enter a term between 1 and 360 months.")
    cleaned["term_months"] = term
    start = data.get("start_date")
    if isinstance(start, str):
        try:
            start = date.fromisoformat(start.strip())
        except ValueError:
            start = None
    if not isinstance(start, date) or not (
        today - timedelta(days=BACKDATE_DAYS) <= start <= today + timedelta(days=FORWARD_DAYS)
    ):
        field_errors["start_date"] = _("Enter a start date within the last year or the next month.")
    cleaned["start_date"] = start
    day = _int(data.get("repayment_day"))
    if day is None or not 1 <= day <= 31:
        field_errors["repayment_day"] = _("Enter a repayment day between 1 and 31.")
    cleaned["repayment_day"] = day
    method = data.get("method")
    if method not in RepaymentMethod.values:
        field_errors["method"] = _("Choose a repayment method.")
    cleaned["method"] = method
    if field_errors:
        raise ValidationFailed(code=code, field_errors=field_errors)
    return cleaned


def disburse_loan(*, actor, application_id, channel: str = Channel.UI, **data) -> Loan:
    """Record the loan made on an approved application of the actor's institution.

    ``data``: contract_number, amount (≤ approved), annual_rate (%), term_months, start_date,
    repayment_day, method, optional penalty_rate (% p.a.; default rate × 1.5). Generates the
    schedule and marks the application disbursed in the same transaction.
    """
    who = institution_actor(actor)
    application = financing_selectors.get_application_for(actor=actor, application_id=application_id)
    if application.institution_id != who.organisation.pk:
        raise NotFound()
    if Loan.objects.filter(application_id=application.pk).exists():
        raise Conflict(_("A loan was already recorded for this application."), code=errors.ALREADY_DISBURSED)
    if application.status != "approved":
        raise InvalidTransition(
            _("Only an approved application can be disbursed."), code=errors.APPLICATION_NOT_APPROVED
        )
    today = timezone.localdate()
    terms = clean_terms(application, data, today=today)
    if Loan.objects.filter(institution=who.organisation, contract_number=terms["contract_number"]).exists():
        raise Conflict(_("This contract number is already used."), code=errors.CONTRACT_NUMBER_TAKEN)
    preview = schedules.generate(
        principal=terms["amount"],
        annual_rate=terms["annual_rate"],
        term_months=terms["term_months"],
        start_date=terms["start_date"],
        repayment_day=terms["repayment_day"],
        method=terms["method"],
    )
    enterprise = application.enterprise
    profile = enterprise_selectors.profile_of(enterprise)
    try:
        with transaction.atomic():
            financing_services.mark_disbursed(actor=actor, application_id=application.pk)
            loan = Loan.objects.create(
                application=application,
                institution=who.organisation,
                enterprise=enterprise,
                enterprise_name=application.enterprise_name,
                uscc=application.uscc,
                institution_name=who.organisation.name,
                product_name=application.product_name,
                region_code=enterprise.region_code,
                industry=profile.industry if profile else "",
                scale=profile.scale if profile else "",
                is_first_loan=not Loan.objects.filter(uscc=application.uscc).exists(),
                contract_number=terms["contract_number"],
                principal=terms["amount"],
                annual_rate=terms["annual_rate"],
                penalty_rate=terms["penalty_rate"],
                term_months=terms["term_months"],
                start_date=terms["start_date"],
                maturity_date=preview[-1].due_date,
                repayment_day=terms["repayment_day"],
                method=terms["method"],
                status=LoanStatus.ACTIVE,
                outstanding_principal=terms["amount"],
                channel=channel,
                disbursed_by=who.user,
            )
            write_schedule(
                loan,
                principal=loan.principal,
                annual_rate=loan.annual_rate,
                term_months=loan.term_months,
                start_date=loan.start_date,
                repayment_day=loan.repayment_day,
                method=loan.method,
                reason=ScheduleReason.DISBURSEMENT,
                created_by=who.user,
            )
            loan.save(update_fields=["schedule_version", "maturity_date"])
            details = {
                "application": application.pk,
                "contract": loan.contract_number,
                "amount": str(loan.principal),
                "rate": str(loan.annual_rate),
                "term": loan.term_months,
                "method": loan.method,
                "channel": channel,
            }
            add_event(loan, "disbursed", who, to_status=LoanStatus.ACTIVE, details=details)
            audit("loans.loan.disbursed", who, loan, details)
            first = preview[0]
            notify_enterprise(
                loan,
                _("Loan %(contract)s of %(amount)s yuan has been disbursed")
                % {
                    "contract": loan.contract_number,
                    "amount": loan.principal,
                },
                _("First instalment %(total)s yuan due on %(date)s.")
                % {"total": first.total, "date": first.due_date.isoformat()},
            )
    except IntegrityError:
        # a concurrent disbursement of the same application or contract number won the race
        raise Conflict(
            _("A loan was already recorded for this application."), code=errors.ALREADY_DISBURSED
        ) from None
    return loan
