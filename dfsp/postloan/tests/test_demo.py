"""The post-loan demo builds on whatever loans the enterprise has, and is idempotent."""

import io

from dfsp.postloan import demo
from dfsp.postloan.models import Deferral, OverdueReport, Rating, Renewal


def _counts():
    return (
        Rating.objects.count(),
        Deferral.objects.count(),
        Renewal.objects.count(),
        OverdueReport.objects.count(),
    )


def test_demo_rates_both_ways_requests_deferral_and_renewal_once(loan, certified_admin, loan_officer):
    certified_admin.username = "ent_admin"
    certified_admin.save(update_fields=["username"])

    demo.seed(io.StringIO())
    first = _counts()
    demo.seed(io.StringIO())

    assert first == _counts() == (2, 1, 1, 0)
    assert Deferral.objects.get().status == "pending"
    assert Renewal.objects.get().application.status == "submitted"


def test_demo_reports_the_overdue_loan_with_a_pending_proposal(overdue_loan, certified_admin, loan_officer):
    certified_admin.username = "ent_admin"
    certified_admin.save(update_fields=["username"])

    demo.seed(io.StringIO())
    demo.seed(io.StringIO())

    report = OverdueReport.objects.get()
    assert report.loan == overdue_loan and report.proposals.get().status == "pending"
