"""Lending statistics equal a direct computation over the loans; regulators only; audited export."""

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from dfsp.audit import selectors as audit_selectors
from dfsp.core.errors import AccessDenied
from dfsp.loans import services as loan_services
from dfsp.loans.tests.conftest import loan_terms
from dfsp.postloan import exports, selectors, services
from dfsp.postloan.models import Renewal
from dfsp.postloan.selectors.statistics import Period


@pytest.fixture
def two_loans(loan, approved, loan_officer, certified_admin, time_machine):
    """The January loan plus a March one; the first falls 13 days overdue; one renewal requested."""
    time_machine.move_to("2026-03-05 10:00 +08:00", tick=False)
    application = approved(amount="200000")
    second = loan_services.disburse_loan(
        actor=loan_officer,
        application_id=application.pk,
        **loan_terms(
            contract_number="ICBC-DQ-2026-0002", amount=Decimal("200000"), start_date=date(2026, 3, 5)
        ),
    )
    loan_services.run_overdue_job(today=date(2026, 3, 5))
    services.request_renewal(
        actor=certified_admin,
        loan_id=second.pk,
        amount="100000",
        term_months=12,
        purpose="续贷",
        confirmed=True,
    )
    loan.refresh_from_db()
    second.refresh_from_db()
    return loan, second


def test_statistics_equal_a_direct_computation(two_loans, regulator):
    loans = list(two_loans)

    stats = selectors.lending_statistics(regulator)

    assert stats["total"] == {"count": 2, "amount": sum(item.principal for item in loans)}
    assert stats["by_month"] == {
        "2026-01": {"count": 1, "amount": loans[0].principal},
        "2026-03": {"count": 1, "amount": loans[1].principal},
    }
    assert stats["by_institution_type"] == {"bank": {"count": 2, "amount": Decimal("320000")}} or set(
        stats["by_institution_type"]
    ) == {loans[0].institution.institution_subtype}
    assert sum(row["count"] for row in stats["by_region"].values()) == 2
    assert stats["credit"]["count"] == 2 and stats["credit"]["share"] == 1.0  # the product is a credit loan
    assert stats["first_loans"]["count"] == sum(1 for item in loans if item.is_first_loan)
    assert stats["renewals"] == {
        "requested": 1,
        "succeeded": 0,
        "failed": 0,
        "pending": 1,
        "success_rate": 0.0,
    }
    assert stats["outstanding"]["count"] == 2
    assert stats["overdue"]["1-30"]["count"] == 1 and stats["overdue"]["1-30"]["rate"] == 0.5
    assert stats["overdue"]["90+"]["count"] == 0


def test_renewal_success_rate_counts_decided_renewals(two_loans, regulator, loan_officer):
    from dfsp.financing import services as financing_services

    renewal = Renewal.objects.get()
    financing_services.accept_application(actor=loan_officer, application_id=renewal.application_id)
    financing_services.approve_application(
        actor=loan_officer, application_id=renewal.application_id, amount=Decimal("100000"), rate=Decimal("3.85"),
        term_months=12, conditions="",
    )  # fmt: skip

    assert selectors.lending_statistics(regulator)["renewals"]["success_rate"] == 1.0


def test_period_filter_keeps_loans_started_in_it(two_loans, regulator):
    stats = selectors.lending_statistics(regulator, Period(start=date(2026, 3, 1), end=date(2026, 3, 31)))
    assert stats["total"]["count"] == 1 and list(stats["by_month"]) == ["2026-03"]


@pytest.mark.parametrize("who", ["loan_officer", "certified_admin"])
def test_statistics_are_for_regulators_and_operators(db, request, who):
    with pytest.raises(AccessDenied):
        selectors.lending_statistics(request.getfixturevalue(who))


def test_export_is_an_audited_workbook_with_the_same_figures(two_loans, regulator, audit_admin):
    content, filename = exports.export_statistics(actor=regulator, period=Period())

    workbook = load_workbook(io.BytesIO(content))
    summary = {row[0]: row[1] for row in workbook.worksheets[0].iter_rows(min_row=2, values_only=True)}
    assert filename.endswith(".xlsx")
    assert 2 in summary.values() and 320000.0 in summary.values()
    exported = audit_selectors.search_events(
        actor=audit_admin, filters=audit_selectors.EventFilters(event_type="postloan.statistics.exported")
    )
    assert [event.actor_id for event in exported] == [regulator.pk]


def test_statistics_page_and_export_by_role(two_loans, regulator, loan_officer, client, login):
    login(loan_officer)
    assert client.get("/postloan/statistics/").status_code == 403
    login(regulator)
    page = client.get("/postloan/statistics/")
    export = client.get("/postloan/statistics/export/?start=2026-01-01&end=2026-12-31")
    bad = client.get("/postloan/statistics/?start=2026-05-01&end=2026-01-01")
    assert page.status_code == 200 and b"pl-by-month" in page.content
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")
    assert bad.status_code == 200
