# ruff: noqa: F811  (fixtures imported from the loans tests are used as fixture parameters)
"""Fixtures: the loans tests' disbursed loan (工行 officer → certified enterprise), plus strangers."""

from datetime import date

import pytest

from dfsp.accounts.selectors import organisation_of
from dfsp.accounts.tests.factories import member
from dfsp.enterprises.tests.conftest import _private_files_and_sms  # noqa: F401  (autouse)
from dfsp.loans import services as loan_services
from dfsp.loans.tests.conftest import (  # noqa: F401  (fixtures)
    approved,
    bank,
    certified_admin,
    default_scopes,
    loan,
    loan_terms,
    product,
)


@pytest.fixture
def enterprise(certified_admin):
    return organisation_of(certified_admin)


@pytest.fixture
def enterprise_user(enterprise):
    return member("enterprise_user", organisation=enterprise, username="ent_user_t")


@pytest.fixture
def stranger_bank_officer(db):
    return member("institution_user", username="stranger_officer_t")


@pytest.fixture
def overdue_loan(loan, time_machine):
    """The loan with its first instalment (due 2026-02-20) unpaid on 2026-03-05: 13 days past due."""
    time_machine.move_to("2026-03-05 10:00 +08:00", tick=False)
    loan_services.run_overdue_job(today=date(2026, 3, 5))
    loan.refresh_from_db()
    assert loan.days_past_due == 13
    return loan
