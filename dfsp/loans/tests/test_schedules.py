"""Schedules against hand-checked examples, plus properties over random loans."""

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dfsp.loans import schedules
from dfsp.loans.states import RepaymentMethod as M


def generate(method, principal="100000", rate="4.35", term=36, start=date(2026, 1, 15), day=20):
    return schedules.generate(
        principal=D(principal),
        annual_rate=D(rate),
        term_months=term,
        start_date=start,
        repayment_day=day,
        method=method,
    )


def test_36_month_equal_instalment_loan_matches_the_hand_calculation():
    # r = 4.35% / 12 = 0.3625%; A = 100000·r·(1+r)^36 / ((1+r)^36 − 1) = 2967.99
    rows = generate(M.EQUAL_INSTALMENT)
    assert len(rows) == 36
    assert schedules.equal_instalment_payment(D("100000"), D("4.35"), 36) == D("2967.99")
    assert (rows[0].interest, rows[0].principal) == (D("362.50"), D("2605.49"))  # 100000 × 0.3625%
    # second period: (100000 − 2605.49) × 0.3625% = 353.0574… → 353.06
    assert (rows[1].interest, rows[1].principal) == (D("353.06"), D("2614.93"))
    assert all(row.total == D("2967.99") for row in rows[:-1])
    assert rows[-1].total == D("2968.09")  # the rounding residue sits in the last instalment
    assert sum(row.principal for row in rows) == D("100000.00")
    assert schedules.total_interest(rows) == D("6847.74")
    assert rows[0].due_date == date(2026, 2, 20) and rows[-1].due_date == date(2029, 1, 20)


def test_equal_principal_loan_with_month_end_repayment_day_clamps_to_february():
    rows = generate(M.EQUAL_PRINCIPAL, principal="120000", rate="6", term=12, start=date(2026, 1, 31), day=31)
    assert [row.principal for row in rows] == [D("10000.00")] * 12
    assert [row.interest for row in rows[:3]] == [D("600.00"), D("550.00"), D("500.00")]
    assert rows[-1].interest == D("50.00")
    assert [row.due_date for row in rows[:4]] == [
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
        date(2026, 5, 31),
    ]


def test_leap_year_february_gets_the_29th():
    rows = generate(
        M.INTEREST_FIRST, principal="500000", rate="3.6", term=3, start=date(2027, 12, 30), day=30
    )
    assert [row.due_date for row in rows] == [date(2028, 1, 30), date(2028, 2, 29), date(2028, 3, 30)]
    assert [row.interest for row in rows] == [D("1500.00")] * 3  # 500000 × 3.6% / 12
    assert [row.principal for row in rows] == [D("0.00"), D("0.00"), D("500000.00")]


def test_equal_principal_residue_goes_to_the_last_instalment():
    rows = generate(M.EQUAL_PRINCIPAL, principal="100000", rate="4.35", term=3)
    assert [row.principal for row in rows] == [D("33333.33"), D("33333.33"), D("33333.34")]


def test_bullet_interest_is_rate_times_term_over_twelve():
    rows = generate(M.BULLET, principal="1000000", rate="3.65", term=6, start=date(2027, 11, 30), day=30)
    assert len(rows) == 1
    assert rows[0].due_date == date(2028, 5, 30)
    assert rows[0].principal == D("1000000.00")
    assert rows[0].interest == D("18250.00")  # 1 000 000 × 3.65% × 6/12


def test_zero_rate_equal_instalment_splits_principal_only():
    rows = generate(M.EQUAL_INSTALMENT, principal="100", rate="0", term=3)
    assert [row.principal for row in rows] == [D("33.33"), D("33.33"), D("33.34")]
    assert schedules.total_interest(rows) == D("0.00")


@pytest.mark.parametrize(
    "bad",
    [
        {"principal": "0"},
        {"principal": "-5"},
        {"term": 0},
        {"day": 32},
        {"rate": "-1"},
    ],
)
def test_invalid_terms_are_refused(bad):
    with pytest.raises(ValueError):
        generate(M.EQUAL_INSTALMENT, **bad)


def test_periods_for_payment_inverts_the_level_payment():
    payment = schedules.equal_instalment_payment(D("100000"), D("4.35"), 36)
    assert schedules.periods_for_payment(D("100000"), D("4.35"), payment) == 36
    assert schedules.periods_for_payment(D("50000"), D("4.35"), payment) < 36
    assert schedules.periods_for_payment(D("100"), D("0"), D("30")) == 4
    with pytest.raises(ValueError):
        schedules.periods_for_payment(D("100000"), D("12"), D("100"))


@settings(max_examples=300, deadline=None)
@given(
    principal=st.decimals(min_value=D("0.01"), max_value=D("100000000"), places=2),
    rate=st.decimals(min_value=D("0"), max_value=D("36"), places=4),
    term=st.integers(min_value=1, max_value=360),
    method=st.sampled_from(list(M)),
    day=st.integers(min_value=1, max_value=31),
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
)
def test_principal_sums_exactly_and_nothing_is_negative(principal, rate, term, method, day, start):
    rows = schedules.generate(
        principal=principal,
        annual_rate=rate,
        term_months=term,
        start_date=start,
        repayment_day=day,
        method=method,
    )
    assert sum(row.principal for row in rows) == principal
    assert all(row.principal >= 0 and row.interest >= 0 for row in rows)
    assert all(row.principal == row.principal.quantize(D("0.01")) for row in rows)
    assert [row.due_date for row in rows] == sorted(row.due_date for row in rows)
    assert all(row.due_date.day == day or row.due_date.day < day for row in rows)
    if method == M.EQUAL_INSTALMENT and len(rows) > 1:
        # every instalment but the last is the level payment (unless the principal ran out early)
        payment = schedules.equal_instalment_payment(principal, rate, term)
        running = principal
        for row in rows[:-1]:
            if running > payment:
                assert row.total == payment
            running -= row.principal
