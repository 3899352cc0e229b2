# ruff: noqa: F811  (fixtures imported from the loans tests are used as fixture parameters)
"""Data overview: applications, loans granted, amounts and the credit-loan share come from the
financing and post-loan selectors over real records, and small cells are suppressed."""

from datetime import date
from decimal import Decimal

import pytest

from dfsp.enterprises.tests.conftest import _private_files_and_sms  # noqa: F401  (autouse)
from dfsp.financing.models import Application
from dfsp.loans import services as loan_services
from dfsp.loans.models import Loan
from dfsp.loans.tests.conftest import (  # noqa: F401  (fixtures)
    approved,
    bank,
    certified_admin,
    default_scopes,
    loan,
    loan_terms,
    product,
)
from dfsp.portal import services
from dfsp.portal.selectors import compute_data_overview

pytestmark = pytest.mark.django_db


def _totals(overview) -> dict:
    return {total["key"]: total["value"] for total in overview["totals"]}


def _cells(overview, series) -> dict:
    return {cell["label"]: cell["value"] for cell in overview["series"][series]}


@pytest.fixture
def five_loans(approved, loan_officer, time_machine):
    time_machine.move_to("2026-03-05 10:00 +08:00", tick=False)
    loans = []
    for number in range(5):
        application = approved(amount="100000")
        loans.append(
            loan_services.disburse_loan(
                actor=loan_officer,
                application_id=application.pk,
                **loan_terms(
                    contract_number=f"ICBC-DQ-2026-01{number}",
                    amount=Decimal("100000"),
                    start_date=date(2026, 3, 5),
                ),
            )
        )
    return loans


def test_lending_figures_equal_the_records(client, five_loans):
    overview = compute_data_overview()
    totals = _totals(overview)

    assert totals["applications"] == Application.objects.count() == 5
    assert totals["loans"] == Loan.objects.count() == 5
    granted = sum(loan.principal for loan in Loan.objects.all())
    assert totals["amount_granted"] == round(float(granted) / 10_000, 1) == 50.0
    # The fixture's product is a credit loan: every loan is one.
    assert totals["credit_loan_share"] == 100.0
    assert _cells(overview, "applications_by_month") == {"2026-03": 5}
    assert _cells(overview, "amount_granted_by_month") == {"2026-03": 50.0}
    assert list(_cells(overview, "amount_granted_by_institution_type").values()) == [50.0]
    assert sum(_cells(overview, "amount_granted_by_district").values()) == 50.0

    services.refresh_data_overview()
    body = client.get("/data-overview/").content.decode()
    assert 'data-total="amount_granted">50.0<' in body
    assert 'data-total="credit_loan_share">100.0<' in body


def test_lending_figures_under_five_loans_are_suppressed(client, loan):
    overview = compute_data_overview()
    totals = _totals(overview)

    assert Loan.objects.count() == 1
    assert totals["applications"] is None
    assert totals["loans"] is None
    assert totals["amount_granted"] is None
    assert totals["credit_loan_share"] is None
    assert set(_cells(overview, "amount_granted_by_month").values()) == {None}
    services.refresh_data_overview()
    body = client.get("/data-overview/").content.decode()
    assert 'data-total="amount_granted">&lt;5<' in body
    assert "120000" not in body and "12.0" not in body
    # a chart whose every cell is suppressed is a note, not empty axes
    assert 'data-chart-suppressed="' in body
