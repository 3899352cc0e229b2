"""Repayment schedules: pure functions, exact ``Decimal`` money in fen.

Conventions (chosen and tested; see README):

* Period k (1-based) is due on the repayment day of the k-th calendar month after the start
  month, clamped to the month's end (day 31 → 30 April, 28/29 February).
* Interest is computed per **monthly period**, whatever its number of days: the monthly rate is
  the annual rate / 12, applied to the principal outstanding at the start of the period.
* 到期一次还本付息 (bullet): one instalment at maturity; interest = principal × annual rate ×
  term / 12 (simple interest, the same monthly convention — not actual/360).
* Every amount is rounded to the fen with ROUND_HALF_UP; the rounding residue goes to the LAST
  instalment, so the principal parts always sum exactly to the principal. When the rounded
  regular share would leave the last instalment negative (tiny principal over many months), the
  regular share is rounded down instead.
"""

import calendar
import math
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, localcontext
from functools import lru_cache
from typing import NamedTuple

from dfsp.loans.states import RepaymentMethod

FEN = Decimal("0.01")
ZERO = Decimal("0.00")
SLIVER = 0.05


def to_fen(value, rounding=ROUND_HALF_UP) -> Decimal:
    return Decimal(value).quantize(FEN, rounding=rounding)


class ScheduledInstalment(NamedTuple):
    number: int
    due_date: date
    principal: Decimal
    interest: Decimal

    @property
    def total(self) -> Decimal:
        return self.principal + self.interest


def add_months(start: date, months: int, day: int) -> date:
    """The given day of the month ``months`` after ``start``'s month, clamped to the month's end."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


@lru_cache(maxsize=4096)
def due_dates(start: date, day: int, term_months: int) -> tuple[date, ...]:
    """The due dates of a schedule (cached: loans made the same day share them)."""
    return tuple(add_months(start, k, day) for k in range(1, term_months + 1))


def monthly_rate(annual_rate_percent) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 34
        return Decimal(annual_rate_percent) / Decimal(100) / Decimal(12)


def equal_instalment_payment(principal: Decimal, annual_rate_percent, periods: int) -> Decimal:
    """等额本息: the level monthly payment P·r·(1+r)^n / ((1+r)^n − 1), rounded to the fen."""
    r = monthly_rate(annual_rate_percent)
    if r == 0:
        return to_fen(principal / periods)
    with localcontext() as ctx:
        ctx.prec = 34
        growth = (1 + r) ** periods
        return to_fen(principal * r * growth / (growth - 1))


def periods_for_payment(principal: Decimal, annual_rate_percent, payment: Decimal) -> int:
    """How many level payments of ``payment`` repay ``principal`` (at least one).

    Rounded up, except that a sliver of a period (under 5 % of a payment, e.g. from the payment
    being rounded to the fen) is absorbed by the last instalment instead of adding one.
    """
    if payment <= 0:
        raise ValueError("payment must be positive")
    r = float(monthly_rate(annual_rate_percent))
    p, a = float(principal), float(payment)
    if r == 0:
        return max(1, math.ceil(p / a - SLIVER))
    if a <= p * r:
        raise ValueError("payment does not cover the interest")
    return max(1, math.ceil(-math.log(1 - p * r / a) / math.log(1 + r) - SLIVER))


def _regular_share(principal: Decimal, periods: int) -> Decimal:
    share = to_fen(principal / periods)
    if share * (periods - 1) > principal:
        share = to_fen(principal / periods, ROUND_DOWN)
    return share


def generate(
    *,
    principal,
    annual_rate,
    term_months: int,
    start_date: date,
    repayment_day: int,
    method: str,
) -> list[ScheduledInstalment]:
    principal = to_fen(principal)
    if principal <= 0:
        raise ValueError("principal must be positive")
    if term_months < 1:
        raise ValueError("term must be at least one month")
    if not 1 <= repayment_day <= 31:
        raise ValueError("repayment day must be 1–31")
    if Decimal(annual_rate) < 0:
        raise ValueError("rate must not be negative")
    due = due_dates(start_date, repayment_day, term_months)
    r = monthly_rate(annual_rate)

    if method == RepaymentMethod.BULLET:
        with localcontext() as ctx:
            ctx.prec = 34
            interest = to_fen(principal * Decimal(annual_rate) / 100 * term_months / 12)
        return [ScheduledInstalment(1, due[-1], principal, interest)]

    rows: list[ScheduledInstalment] = []
    outstanding = principal
    if method == RepaymentMethod.EQUAL_INSTALMENT:
        payment = equal_instalment_payment(principal, annual_rate, term_months)
    elif method == RepaymentMethod.EQUAL_PRINCIPAL:
        share = _regular_share(principal, term_months)
    for k in range(1, term_months + 1):
        interest = to_fen(outstanding * r)
        if k == term_months:
            part = outstanding
        elif method == RepaymentMethod.EQUAL_INSTALMENT:
            part = min(max(payment - interest, ZERO), outstanding)
        elif method == RepaymentMethod.EQUAL_PRINCIPAL:
            part = min(share, outstanding)
        elif method == RepaymentMethod.INTEREST_FIRST:
            part = ZERO
        else:
            raise ValueError(f"unknown repayment method {method!r}")
        rows.append(ScheduledInstalment(k, due[k - 1], part, interest))
        outstanding -= part
    return rows


def total_interest(rows: list[ScheduledInstalment]) -> Decimal:
    return sum((row.interest for row in rows), ZERO)
