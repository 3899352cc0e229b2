"""The loans demo: loans with repayments and one overdue loan, made idempotently."""

import io

import pytest

from dfsp.accounts import demo as accounts_demo
from dfsp.consent import demo as consent_demo
from dfsp.enterprises import demo as enterprises_demo
from dfsp.financing import demo as financing_demo
from dfsp.institutions import demo as institutions_demo
from dfsp.loans import demo as loans_demo
from dfsp.loans.models import Loan, Repayment

pytestmark = pytest.mark.django_db


def seed_all():
    out = io.StringIO()
    for module in (
        accounts_demo,
        consent_demo,
        enterprises_demo,
        institutions_demo,
        financing_demo,
        loans_demo,
    ):
        module.seed(out)


def test_demo_makes_repaid_and_overdue_loans_once():
    seed_all()
    counts = (Loan.objects.count(), Repayment.objects.count())
    seed_all()
    assert (Loan.objects.count(), Repayment.objects.count()) == counts
    assert Loan.objects.filter(status="overdue").count() == 1
    assert Loan.objects.filter(contract_number="GH-DQ-2026-0107", repayments__isnull=False).exists()
    assert all("华源" in name for name in Loan.objects.values_list("enterprise_name", flat=True))
