"""Repayments: allocation order, partial, early repayment with a new schedule, settlement, refusals."""

from datetime import date
from decimal import Decimal as D

import pytest

from dfsp.core.errors import AccessDenied, Conflict, NotFound, ValidationFailed
from dfsp.loans import services
from dfsp.loans.models import Instalment, Repayment, ScheduleVersion
from dfsp.loans.states import InstalmentStatus, LoanStatus
from dfsp.loans.tests.helpers import fresh, live

pytestmark = pytest.mark.django_db


@pytest.fixture
def on(time_machine):
    def _on(day: str):
        time_machine.move_to(f"{day} 10:00 +08:00", tick=False)

    return _on


def pay(officer, loan, amount, day, **kwargs):
    return services.record_repayment(actor=officer, loan_id=loan.pk, amount=amount, paid_on=day, **kwargs)


def test_an_instalment_paid_on_time_goes_to_interest_then_principal(loan, loan_officer, on):
    on("2026-02-20")
    repayment = pay(loan_officer, loan, "10600", "2026-02-20")
    rows = [(a.component, a.amount) for a in repayment.allocations.order_by("pk")]
    assert rows == [("interest", D("600.00")), ("principal", D("10000.00"))]
    first = live(loan)[0]
    assert first.status == InstalmentStatus.PAID and first.paid_on == date(2026, 2, 20)
    assert fresh(loan).outstanding_principal == D("110000.00")


def test_a_partial_payment_pays_interest_first(loan, loan_officer, on):
    on("2026-02-20")
    pay(loan_officer, loan, "700", "2026-02-20")
    first = live(loan)[0]
    assert (first.interest_paid, first.principal_paid, first.status) == (
        D("600.00"),
        D("100.00"),
        InstalmentStatus.PARTIALLY_PAID,
    )


def test_arrears_are_paid_penalty_overdue_interest_interest_principal_oldest_first(loan, loan_officer, on):
    for day in (date(2026, 2, 21), date(2026, 3, 22), date(2026, 3, 23)):
        services.run_overdue_job(today=day)
    on("2026-03-23")
    repayment = pay(loan_officer, loan, "10000", "2026-03-23")
    first, second = live(loan)[:2]
    rows = [(a.instalment.number, a.component, a.amount) for a in repayment.allocations.order_by("pk")]
    assert rows == [
        (1, "penalty", D("77.50")),
        (2, "penalty", D("7.50")),
        (1, "overdue_interest", D("4.65")),
        (2, "overdue_interest", D("0.42")),
        (1, "interest", D("600.00")),
        (2, "interest", D("550.00")),
        (1, "principal", D("8759.93")),
    ]
    assert first.status == InstalmentStatus.OVERDUE and first.principal_paid == D("8759.93")
    assert fresh(loan).status == LoanStatus.OVERDUE


def test_paying_ahead_covers_the_next_instalment_only(loan, loan_officer, on):
    on("2026-02-10")
    pay(loan_officer, loan, "10600", "2026-02-10")
    assert live(loan)[0].status == InstalmentStatus.PAID
    with pytest.raises(ValidationFailed) as caught:
        pay(loan_officer, loan, "20000", "2026-02-10")
    assert caught.value.code == "early_repayment_option_required"


def test_early_repayment_with_lower_instalments_keeps_the_maturity(loan, loan_officer, on):
    on("2026-02-20")
    pay(loan_officer, loan, "10600", "2026-02-20")
    on("2026-03-05")
    repayment = pay(loan_officer, loan, "55000", "2026-03-05", early_option="lower_instalment")
    assert repayment.is_early and repayment.allocations.get().instalment is None
    loan = fresh(loan)
    assert loan.outstanding_principal == D("55000.00") and loan.schedule_version == 2
    assert loan.maturity_date == date(2027, 1, 20)
    rows = live(loan)
    assert rows[0].status == InstalmentStatus.PAID and len(rows) == 12  # 1 paid + 11 new
    assert rows[1].principal_due == D("5000.00") and rows[1].interest_due == D("275.00")  # 55 000 × 0.5 %
    assert rows[1].number == 2 and rows[1].schedule.reason == "early_repayment"
    assert Instalment.objects.filter(loan=loan, superseded=True).count() == 11  # history kept
    assert ScheduleVersion.objects.filter(loan=loan).count() == 2


def test_early_repayment_with_a_shorter_term_keeps_the_instalment(loan, loan_officer, on):
    on("2026-02-20")
    pay(loan_officer, loan, "10600", "2026-02-20")
    on("2026-03-05")
    pay(loan_officer, loan, "50000", "2026-03-05", early_option="shorter_term")
    loan = fresh(loan)
    rows = live(loan)[1:]
    assert len(rows) == 6 and all(row.principal_due == D("10000.00") for row in rows)
    assert loan.maturity_date == date(2026, 8, 20)


def test_full_settlement_settles_the_loan_and_later_repayments_are_409(loan, loan_officer, on):
    on("2026-02-20")
    pay(loan_officer, loan, "10600", "2026-02-20")
    on("2026-03-05")
    repayment = pay(loan_officer, loan, "110000", "2026-03-05")
    assert repayment.settles_loan
    loan = fresh(loan)
    assert loan.status == LoanStatus.SETTLED and loan.outstanding_principal == 0
    assert loan.settled_on == date(2026, 3, 5)
    assert all(row.status == InstalmentStatus.PAID for row in live(loan))
    with pytest.raises(Conflict) as caught:
        pay(loan_officer, loan, "1", "2026-03-05")
    assert caught.value.status == 409 and caught.value.code == "loan_settled"


def test_refusals_are_coded_and_change_nothing(loan, loan_officer, other_officer, certified_admin, on):
    on("2026-03-05")
    cases = [
        ({"amount": "0"}, "repayment_amount_invalid"),
        ({"amount": "x"}, "repayment_amount_invalid"),
        ({"amount": "-5"}, "repayment_amount_invalid"),
        ({"paid_on": "2026-01-09"}, "repayment_before_disbursement"),
        ({"paid_on": "2026-03-06"}, "repayment_in_future"),
        ({"amount": "130000", "early_option": "lower_instalment"}, "amount_exceeds_outstanding"),
        ({"amount": "999999"}, "amount_exceeds_outstanding"),
    ]
    for overrides, code in cases:
        data = {"amount": "100", "paid_on": "2026-03-05", **overrides}
        with pytest.raises(ValidationFailed) as caught:
            pay(loan_officer, loan, data.pop("amount"), data.pop("paid_on"), **data)
        assert caught.value.status == 400 and caught.value.code == code, overrides
    with pytest.raises(NotFound):
        pay(other_officer, loan, "100", "2026-03-05")
    with pytest.raises(AccessDenied):
        pay(certified_admin, loan, "100", "2026-03-05")
    assert not Repayment.objects.exists() and fresh(loan).outstanding_principal == D("120000.00")


def test_the_same_idempotency_key_records_once(loan, loan_officer, on):
    on("2026-02-20")
    first = pay(loan_officer, loan, "10600", "2026-02-20", idempotency_key="core-1")
    again = pay(loan_officer, loan, "10600", "2026-02-20", idempotency_key="core-1")
    assert first.pk == again.pk and Repayment.objects.count() == 1
    with pytest.raises(Conflict) as caught:
        pay(loan_officer, loan, "1", "2026-02-20", idempotency_key="core-1")
    assert caught.value.code == "idempotency_key_reused"
