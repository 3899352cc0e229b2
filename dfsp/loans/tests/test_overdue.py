"""The daily overdue job: days past due, buckets across month ends, penalty amounts, idempotency,
loan status active ⇄ overdue."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.apps import apps
from django.utils.translation import gettext

from dfsp.loans import services
from dfsp.loans.models import LoanEvent
from dfsp.loans.states import Bucket, InstalmentStatus, LoanStatus
from dfsp.loans.tests.helpers import fresh, live

pytestmark = pytest.mark.django_db
# The fixture loan: 120 000 yuan, 6 %, 12 × 10 000 principal (等额本金), due on the 20th from
# 2026-02-20; penalty rate 9 % p.a. → 10 000 × 9 % / 360 = 2.50 yuan a day on principal,
# 600 × 9 % / 360 = 0.15 a day on the first instalment's unpaid interest.


def test_nothing_is_overdue_on_the_due_date(loan):
    summary = services.run_overdue_job(today=date(2026, 2, 20))
    assert summary["past_due_instalments"] == 0
    assert fresh(loan).status == LoanStatus.ACTIVE


def test_one_day_late_accrues_one_day_of_penalty_and_flips_the_loan(loan, certified_admin, loan_officer):
    services.run_overdue_job(today=date(2026, 2, 21))
    first = live(loan)[0]
    assert (first.days_past_due, first.bucket, first.status) == (1, Bucket.DPD_1_30, InstalmentStatus.OVERDUE)
    assert (first.penalty_interest, first.overdue_interest) == (D("2.50"), D("0.15"))
    loan = fresh(loan)
    assert (loan.status, loan.days_past_due, loan.bucket) == (LoanStatus.OVERDUE, 1, Bucket.DPD_1_30)
    assert LoanEvent.objects.filter(loan=loan, action="overdue", to_status="overdue").count() == 1
    messages = apps.get_model("notifications", "Message").objects.filter(recipient=certified_admin)
    assert messages.filter(title=gettext("A loan repayment is overdue")).count() == 1
    lender = apps.get_model("notifications", "Message").objects.filter(recipient=loan_officer)
    assert (
        lender.filter(title=gettext("Loans became overdue"), body__contains=loan.contract_number).count() == 1
    )


def test_running_twice_the_same_day_adds_nothing(loan):
    services.run_overdue_job(today=date(2026, 2, 25))
    again = services.run_overdue_job(today=date(2026, 2, 25))
    first = live(loan)[0]
    assert first.penalty_interest == D("12.50") and first.overdue_interest == D("0.75")  # 5 days
    assert again["instalments_updated"] == 0 and again["penalty_added_fen"] == 0
    assert LoanEvent.objects.filter(loan=loan, action="overdue").count() == 1


def test_buckets_cross_month_ends_and_penalties_add_up_over_runs(loan):
    for day in (date(2026, 2, 21), date(2026, 3, 22), date(2026, 3, 23)):
        services.run_overdue_job(today=day)
    first, second = live(loan)[:2]
    # February 2026 has 28 days: 20 Feb → 23 Mar is 31 days
    assert (first.days_past_due, first.bucket) == (31, Bucket.DPD_31_60)
    assert first.penalty_interest == D("77.50")  # 31 × 2.50
    assert first.overdue_interest == D("4.65")  # 31 × 0.15
    assert (second.days_past_due, second.bucket) == (3, Bucket.DPD_1_30)
    assert second.penalty_interest == D("7.50")  # 3 × 2.50
    assert second.overdue_interest == D("0.42")  # 550 × 9 % / 360 = 0.1375: 0.28 (2 days) + 0.14
    assert fresh(loan).days_past_due == 31 and fresh(loan).bucket == Bucket.DPD_31_60


@pytest.mark.parametrize(
    ("today", "bucket"),
    [
        (date(2026, 5, 21), Bucket.DPD_61_90),  # 90 days
        (date(2026, 5, 22), Bucket.DPD_90_PLUS),  # 91 days
        (date(2026, 4, 21), Bucket.DPD_31_60),  # 60 days
        (date(2026, 4, 22), Bucket.DPD_61_90),  # 61 days
    ],
)
def test_bucket_boundaries(loan, today, bucket):
    services.run_overdue_job(today=today)
    assert live(loan)[0].bucket == bucket


def test_paying_the_arrears_makes_the_loan_active_again(loan, loan_officer, time_machine):
    services.run_overdue_job(today=date(2026, 2, 22))
    time_machine.move_to("2026-02-22 10:00 +08:00", tick=False)
    services.record_repayment(actor=loan_officer, loan_id=loan.pk, amount="10605.30", paid_on="2026-02-22")
    first = live(loan)[0]
    assert first.status == InstalmentStatus.PAID and first.max_days_past_due == 2
    assert fresh(loan).status == LoanStatus.ACTIVE
    services.run_overdue_job(today=date(2026, 2, 23))
    assert fresh(loan).status == LoanStatus.ACTIVE and live(loan)[0].penalty_interest == D("5.00")


def test_the_job_moves_a_loan_back_to_active_when_nothing_is_past_due(loan):
    services.run_overdue_job(today=date(2026, 2, 21))
    first = live(loan)[0]
    # an institution's system settled it outside the platform flow: paid rows are ignored
    first.status = InstalmentStatus.PAID
    first.save(update_fields=["status"])
    services.run_overdue_job(today=date(2026, 2, 22))
    assert fresh(loan).status == LoanStatus.ACTIVE
    assert LoanEvent.objects.filter(loan=loan, action="arrears_cleared").count() == 1
