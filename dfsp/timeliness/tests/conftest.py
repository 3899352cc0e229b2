import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from dfsp.accounts.selectors import organisation_of
from dfsp.accounts.tests.factories import member
from dfsp.financing import selectors as financing_selectors
from dfsp.financing import services as financing_services
from dfsp.financing.tests.conftest import (  # noqa: F401  # noqa: F401
    _private_files_and_sms,
    bank,
    certified_admin,
    certified_other,
    default_scopes,
    product,
)
from dfsp.financing.tests.helpers import apply, make_live_product
from dfsp.workdays import selectors as workdays_selectors

SH = ZoneInfo("Asia/Shanghai")
SUBMITTED = dt.datetime(2026, 3, 2, 10, 0, tzinfo=SH)  # Monday: accept due Wednesday 4 March 23:59:59
LATE_NOW = dt.datetime(2026, 3, 6, 10, 0, tzinfo=SH)  # Friday: two working days late


@pytest.fixture(autouse=True)
def fresh_calendar_cache():
    workdays_selectors.invalidate()
    yield
    workdays_selectors.invalidate()


@pytest.fixture
def bank_manager(bank):  # noqa: F811
    return member("institution_admin", organisation=bank, username="bank_manager_t", mobile="13900000002")


@pytest.fixture
def loan_officer(loan_officer):
    loan_officer.mobile = "13900000001"
    loan_officer.save(update_fields=["mobile"])
    return loan_officer


@pytest.fixture
def other_bank_officer(db):
    return member("institution_user", username="other_bank_officer_t")


@pytest.fixture
def application(time_machine, certified_admin, product):  # noqa: F811
    time_machine.move_to(SUBMITTED, tick=False)
    return apply(certified_admin, product)


@pytest.fixture
def late_application(application, time_machine):
    time_machine.move_to(LATE_NOW, tick=False)
    return application


@pytest.fixture
def institution(bank):  # noqa: F811
    return bank


def org(user):
    return organisation_of(user)


@pytest.fixture(autouse=True)
def seeded_calendar(db):
    """Migration 0002 seeds 2026 and 2027; a transactional test elsewhere may have flushed them."""
    from dfsp.workdays import services as workdays_services

    for year in (2026, 2027):
        workdays_services.seed_year(year=year)


@pytest.fixture
def handled(time_machine, certified_admin, certified_other, loan_officer, operator_user, product):  # noqa: F811
    """Applications at one bank: several accepted on time, one late; one rejected."""
    time_machine.move_to(dt.datetime(2026, 3, 2, 10, tzinfo=SH), tick=False)
    products = [product] + [make_live_product(loan_officer, operator_user, name=f"产品{i}") for i in range(3)]
    applications = [apply(certified_admin, p) for p in products] + [apply(certified_other, products[0])]
    time_machine.move_to(dt.datetime(2026, 3, 3, 10, tzinfo=SH), tick=False)
    for application in applications[:4]:
        financing_services.accept_application(actor=loan_officer, application_id=application.pk)
    time_machine.move_to(dt.datetime(2026, 3, 9, 10, tzinfo=SH), tick=False)
    financing_services.accept_application(actor=loan_officer, application_id=applications[4].pk)  # late
    financing_services.reject_application(
        actor=loan_officer,
        application_id=applications[0].pk,
        reason_code=_a_rejection_reason(operator_user),
        text="经营流水不足",
    )
    time_machine.move_to(dt.datetime(2026, 3, 20, 10, tzinfo=SH), tick=False)
    return applications


def _a_rejection_reason(operator):
    """Migration 0004 seeds the reasons; a transactional test elsewhere may have flushed them."""
    reason = financing_selectors.rejection_reasons().first()
    if reason is None:
        reason = financing_services.save_rejection_reason(
            actor=operator, code="cash_flow", label="经营流水不足"
        )
    return reason.code
