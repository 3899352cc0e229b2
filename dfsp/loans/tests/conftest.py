"""Fixtures: a certified enterprise with an approved application at the loan officer's bank."""

from datetime import date
from decimal import Decimal

import pytest

from dfsp.accounts.selectors import organisation_of
from dfsp.accounts.tests.factories import member
from dfsp.consent.tests.conftest import default_scopes  # noqa: F401  (autouse: consent scopes and template)
from dfsp.enterprises.tests.conftest import _private_files_and_sms  # noqa: F401  (autouse)
from dfsp.enterprises.tests.helpers import certify
from dfsp.financing import services as financing_services
from dfsp.financing.tests.helpers import apply, make_live_product
from dfsp.loans import services


def loan_terms(**overrides) -> dict:
    terms = {
        "contract_number": "ICBC-DQ-2026-0001",
        "amount": Decimal("120000"),
        "annual_rate": Decimal("6"),
        "term_months": 12,
        "start_date": date(2026, 1, 10),
        "repayment_day": 20,
        "method": "equal_principal",
    }
    terms.update(overrides)
    return terms


@pytest.fixture
def certified_admin(enterprise_admin, operator_user):
    certify(enterprise_admin, operator_user)
    return enterprise_admin


@pytest.fixture
def bank(loan_officer):
    return organisation_of(loan_officer)


@pytest.fixture
def bank_manager(bank):
    return member("institution_admin", organisation=bank, username="bank_manager_t")


@pytest.fixture
def other_officer(db):
    return member("institution_user", username="other_officer_t")


@pytest.fixture
def product(loan_officer, operator_user):
    return make_live_product(loan_officer, operator_user)


@pytest.fixture
def approved(certified_admin, loan_officer, product):
    """An application approved for 500 000 yuan at 3.85 %, 12 months."""

    def _approve(amount="500000"):
        application = apply(certified_admin, product, amount=amount)
        financing_services.accept_application(actor=loan_officer, application_id=application.pk)
        financing_services.approve_application(
            actor=loan_officer,
            application_id=application.pk,
            amount=Decimal(amount),
            rate=Decimal("3.85"),
            term_months=12,
            conditions="按月付息",
        )
        application.refresh_from_db()
        return application

    return _approve


@pytest.fixture
def loan(approved, loan_officer, time_machine):
    time_machine.move_to("2026-01-10 10:00 +08:00", tick=False)
    application = approved()
    return services.disburse_loan(actor=loan_officer, application_id=application.pk, **loan_terms())
