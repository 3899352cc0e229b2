"""放贷: an approved application becomes a loan with its schedule, once, at its own institution."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.apps import apps

from dfsp.core.errors import AccessDenied, Conflict, InvalidTransition, NotFound, ValidationFailed
from dfsp.financing.models import Application
from dfsp.loans import services
from dfsp.loans.models import Instalment, Loan, ScheduleVersion
from dfsp.loans.states import LoanStatus
from dfsp.loans.tests.conftest import loan_terms

pytestmark = pytest.mark.django_db


def test_disbursement_generates_the_schedule_and_closes_the_application(loan, certified_admin):
    application = Application.objects.get(pk=loan.application_id)
    assert application.status == "disbursed"
    assert loan.status == LoanStatus.ACTIVE and loan.outstanding_principal == D("120000.00")
    assert loan.penalty_rate == D("9.0000")  # default: 6 % × 1.5
    assert loan.is_first_loan is True and loan.uscc == application.uscc
    assert loan.maturity_date == date(2027, 1, 20)
    rows = list(Instalment.objects.filter(loan=loan).order_by("number"))
    assert len(rows) == 12 and rows[0].due_date == date(2026, 2, 20)
    assert (rows[0].principal_due, rows[0].interest_due) == (D("10000.00"), D("600.00"))
    assert ScheduleVersion.objects.get(loan=loan).is_current
    assert (
        apps.get_model("audit", "AuditEvent").objects.filter(event_type="loans.loan.disbursed").count() == 1
    )
    messages = apps.get_model("notifications", "Message").objects.filter(recipient=certified_admin)
    assert messages.filter(title__contains="ICBC-DQ-2026-0001").exists()


def test_a_second_disbursement_is_409_and_changes_nothing(loan, loan_officer):
    with pytest.raises(Conflict) as caught:
        services.disburse_loan(
            actor=loan_officer, application_id=loan.application_id, **loan_terms(contract_number="X-2")
        )
    assert caught.value.status == 409 and caught.value.code == "loan_already_disbursed"
    assert Loan.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("amount", "500000.01", "amount_exceeds_approved"),
        ("amount", "-1", "loan_terms_invalid"),
        ("amount", "abc", "loan_terms_invalid"),
        ("annual_rate", "40", "loan_terms_invalid"),
        ("term_months", "0", "loan_terms_invalid"),
        ("repayment_day", "32", "loan_terms_invalid"),
        ("method", "whatever", "loan_terms_invalid"),
        ("start_date", "2020-01-01", "loan_terms_invalid"),
        ("contract_number", "", "loan_terms_invalid"),
    ],
)
def test_bad_terms_are_400_with_a_code_and_nothing_changes(approved, loan_officer, field, value, code):
    application = approved()
    with pytest.raises(ValidationFailed) as caught:
        services.disburse_loan(
            actor=loan_officer, application_id=application.pk, **loan_terms(**{field: value})
        )
    assert caught.value.status == 400 and caught.value.code == code and field in caught.value.field_errors
    assert not Loan.objects.exists()
    application.refresh_from_db()
    assert application.status == "approved"


def test_another_institution_gets_404_and_an_enterprise_403(approved, other_officer, certified_admin):
    application = approved()
    with pytest.raises(NotFound):
        services.disburse_loan(actor=other_officer, application_id=application.pk, **loan_terms())
    with pytest.raises(AccessDenied):
        services.disburse_loan(actor=certified_admin, application_id=application.pk, **loan_terms())
    assert not Loan.objects.exists()


def test_an_application_not_yet_approved_cannot_be_disbursed(certified_admin, loan_officer, product):
    from dfsp.financing.tests.helpers import apply

    application = apply(certified_admin, product)
    with pytest.raises(InvalidTransition) as caught:
        services.disburse_loan(actor=loan_officer, application_id=application.pk, **loan_terms())
    assert caught.value.code == "application_not_approved"


def test_contract_numbers_are_unique_per_institution_and_later_loans_are_not_first(
    loan, approved, loan_officer, bank_manager, product, certified_admin, operator_user
):
    from dfsp.financing.tests.helpers import make_live_product

    second_product = make_live_product(loan_officer, operator_user, name="科技贷")
    from dfsp.financing import services as financing_services
    from dfsp.financing.tests.helpers import apply

    application = apply(certified_admin, second_product, amount="200000")
    financing_services.accept_application(actor=loan_officer, application_id=application.pk)
    financing_services.approve_application(
        actor=loan_officer, application_id=application.pk, amount=D("200000"), rate=D("4"), term_months=6
    )
    with pytest.raises(Conflict) as caught:
        services.disburse_loan(
            actor=bank_manager, application_id=application.pk, **loan_terms(amount="200000")
        )
    assert caught.value.code == "contract_number_taken"
    second = services.disburse_loan(
        actor=bank_manager,
        application_id=application.pk,
        **loan_terms(
            contract_number="ICBC-DQ-2026-0002", amount="200000", method="bullet", penalty_rate="10"
        ),
    )
    assert second.is_first_loan is False and second.penalty_rate == D("10.0000")
    assert second.instalments.count() == 1
