"""Lending statistics for regulators (#7.10): loans granted by month, district, industry and
institution type; the credit-loan share, first loans (首贷), renewal success and overdue rates.

A credit loan is one made on a product whose type is 信用贷款 or whose only guarantee method is
credit (the product records both; applications carry no guarantee of their own).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from dfsp.accounts.roles import Role
from dfsp.core.errors import AccessDenied
from dfsp.core.industries import industry_choices
from dfsp.core.regions import region_name
from dfsp.postloan import parties
from dfsp.postloan.models import Renewal
from dfsp.postloan.states import OVERDUE_BUCKETS

STATISTICS_ROLES = frozenset({Role.REGULATOR, Role.OPERATOR})
RENEWAL_SUCCESS = ("approved", "disbursed")
RENEWAL_FAILURE = ("rejected",)
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Period:
    start: date | None = None
    end: date | None = None  # inclusive


def ensure_statistics_reader(actor) -> None:
    if not actor.has_any_role(STATISTICS_ROLES):
        raise AccessDenied()


def is_credit_loan(product) -> bool:
    return product.product_type == "credit_loan" or list(product.guarantee_methods or []) == ["credit"]


def _loans(loans, period: Period):
    loans = loans.select_related("institution", "application__product")
    if period.start:
        loans = loans.filter(start_date__gte=period.start)
    if period.end:
        loans = loans.filter(start_date__lte=period.end)
    return loans


def _add(table, key, amount) -> None:
    row = table.setdefault(key, {"count": 0, "amount": ZERO})
    row["count"] += 1
    row["amount"] += amount


def lending_statistics(actor, period: Period | None = None) -> dict:
    """Every figure of the regulator's page and export; money in yuan (Decimal), rates in 0..1."""
    ensure_statistics_reader(actor)
    return _statistics(parties.loans_visible_to(actor), period or Period())


def platform_lending_statistics(period: Period | None = None) -> dict:
    """The same figures over every loan on the platform, for jobs that act for no one (the public
    data overview publishes only aggregates of these, with small cells suppressed)."""
    return _statistics(parties.all_loans(), period or Period())


def _statistics(loans, period: Period) -> dict:
    by_month, by_region, by_industry, by_type = {}, {}, {}, {}
    total = {"count": 0, "amount": ZERO}
    credit = {"count": 0, "amount": ZERO}
    first = {"count": 0, "amount": ZERO}
    outstanding = {"count": 0, "balance": ZERO}
    buckets = {code: {"count": 0, "balance": ZERO} for code, *_rest in OVERDUE_BUCKETS}
    for loan in _loans(loans, period).iterator(chunk_size=1000):
        amount = loan.principal
        total["count"] += 1
        total["amount"] += amount
        _add(by_month, loan.start_date.strftime("%Y-%m"), amount)
        _add(by_region, loan.region_code or "", amount)
        _add(by_industry, loan.industry or "", amount)
        _add(by_type, loan.institution.institution_subtype or "", amount)
        if is_credit_loan(loan.application.product):
            credit["count"] += 1
            credit["amount"] += amount
        if loan.is_first_loan:
            first["count"] += 1
            first["amount"] += amount
        if loan.status != "settled":
            outstanding["count"] += 1
            outstanding["balance"] += loan.outstanding_principal
            if loan.bucket in buckets:
                buckets[loan.bucket]["count"] += 1
                buckets[loan.bucket]["balance"] += loan.outstanding_principal
    renewals = _renewals(period)
    for row in buckets.values():
        row["rate"] = row["count"] / outstanding["count"] if outstanding["count"] else 0.0
        row["balance_rate"] = (
            float(row["balance"] / outstanding["balance"]) if outstanding["balance"] else 0.0
        )
    return {
        "period": period,
        "total": total,
        "by_month": dict(sorted(by_month.items())),
        "by_region": dict(sorted(by_region.items(), key=lambda item: -item[1]["amount"])),
        "by_industry": dict(sorted(by_industry.items(), key=lambda item: -item[1]["amount"])),
        "by_institution_type": dict(sorted(by_type.items(), key=lambda item: -item[1]["amount"])),
        "credit": {**credit, "share": credit["count"] / total["count"] if total["count"] else 0.0},
        "first_loans": first,
        "renewals": renewals,
        "outstanding": outstanding,
        "overdue": buckets,
    }


def _renewals(period: Period) -> dict:
    renewals = Renewal.objects.all()
    if period.start:
        renewals = renewals.filter(requested_at__date__gte=period.start)
    if period.end:
        renewals = renewals.filter(requested_at__date__lte=period.end)
    statuses = list(renewals.values_list("application__status", flat=True))
    succeeded = sum(1 for status in statuses if status in RENEWAL_SUCCESS)
    failed = sum(1 for status in statuses if status in RENEWAL_FAILURE)
    decided = succeeded + failed
    return {
        "requested": len(statuses),
        "succeeded": succeeded,
        "failed": failed,
        "pending": len(statuses) - decided,
        "success_rate": succeeded / decided if decided else 0.0,
    }


def labels() -> dict:
    """Labels of the codes used as keys (regions by name, industries, institution types, buckets)."""
    from dfsp.accounts.roles import InstitutionSubtype

    return {
        "industry": dict(industry_choices()),
        "institution_type": dict(InstitutionSubtype.choices),
        "bucket": {code: label for code, label, *_rest in OVERDUE_BUCKETS},
        "region": region_name,
    }


def today_period(months: int = 12) -> Period:
    today = timezone.localdate()
    index = today.year * 12 + today.month - 1 - (months - 1)
    return Period(start=date(index // 12, index % 12 + 1, 1), end=today)
