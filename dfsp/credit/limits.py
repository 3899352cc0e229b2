"""Credit limit (pure, Decimal): taxes paid → revenue proxy → base limit → grade multiplier →
fraud adjustment → platform cap → product cap (万元 × 10 000) → rounded down; every step shown.

Without tax figures the insured headcount × ``revenue_per_employee`` is the (weaker) revenue proxy.
Params: ``tax_burden`` (taxes / revenue, e.g. 0.03), ``revenue_share`` (share of yearly revenue
lendable), ``grade_multipliers`` {grade: factor}, ``fraud_review_score`` + ``fraud_review_factor``,
``fraud_block_score``, ``platform_cap`` (yuan), ``rounding`` (yuan).
"""

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

TEN_THOUSAND = Decimal(10000)
CENT = Decimal("0.01")

STEP_LABELS = {
    "taxes": _("Taxes paid in the last 12 months"),
    "no_tax": _("No tax data"),
    "revenue_headcount": _("Revenue proxy = insured headcount × revenue per employee"),
    "revenue": _("Revenue proxy = taxes ÷ tax burden"),
    "base": _("Base limit = revenue × lendable share"),
    "grade": _("× grade multiplier"),
    "fraud_review": _("× fraud adjustment (fraud score at or above the review threshold)"),
    "fraud_block": _("Fraud score at or above the blocking threshold: no limit"),
    "platform_cap": _("Capped at the platform maximum"),
    "product_cap": _("Capped at the product maximum (万元 × 10 000)"),
    "product_min": _("Below the product minimum: not eligible"),
    "rounding": _("Rounded down"),
    "limit": _("Indicative limit"),
}


@dataclass(frozen=True)
class LimitResult:
    limit: Decimal
    derivation: list  # [{"code", "value", "detail"}] values as strings (yuan or factors)


def _d(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def _money(value: Decimal) -> str:
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP))


def compute_limit(params: dict, inputs: dict) -> LimitResult:
    steps = []

    def step(code, value, detail=""):
        steps.append({"code": code, "value": value, "detail": detail})

    taxes = _d(inputs.get("annual_tax_paid"))
    headcount = _d(inputs.get("insured_count"))
    per_employee = _d(params.get("revenue_per_employee"))
    if taxes is not None and taxes > 0:
        step("taxes", _money(taxes))
        burden = Decimal(str(params["tax_burden"]))
        revenue = taxes / burden
        step("revenue", _money(revenue), f"÷ {burden}")
    elif headcount and headcount > 0 and per_employee:
        # No tax figures (not granted or not reported): the insured workforce is the weaker proxy.
        step("no_tax", "0.00")
        revenue = headcount * per_employee
        step("revenue_headcount", _money(revenue), f"{headcount} × {per_employee}")
    else:
        step("no_tax", "0.00")
        step("limit", "0.00")
        return LimitResult(Decimal("0.00"), steps)
    share = Decimal(str(params["revenue_share"]))
    amount = revenue * share
    step("base", _money(amount), f"× {share}")
    multiplier = Decimal(str(params["grade_multipliers"].get(inputs.get("grade") or "", 0)))
    amount *= multiplier
    step("grade", _money(amount), f"{inputs.get('grade')}: × {multiplier}")
    fraud = int(inputs.get("fraud_score") or 0)
    if fraud >= int(params["fraud_block_score"]):
        amount = Decimal(0)
        step("fraud_block", _money(amount), f"{fraud} ≥ {params['fraud_block_score']}")
    elif fraud >= int(params["fraud_review_score"]):
        factor = Decimal(str(params["fraud_review_factor"]))
        amount *= factor
        step("fraud_review", _money(amount), f"{fraud} ≥ {params['fraud_review_score']}: × {factor}")
    cap = Decimal(str(params["platform_cap"]))
    if amount > cap:
        amount = cap
        step("platform_cap", _money(amount))
    product_max = _d(inputs.get("product_amount_max"))
    if product_max is not None and amount > product_max * TEN_THOUSAND:
        amount = product_max * TEN_THOUSAND
        step("product_cap", _money(amount), f"{product_max} 万元")
    rounding = Decimal(str(params.get("rounding", 1000)))
    amount = (amount / rounding).to_integral_value(rounding=ROUND_DOWN) * rounding
    step("rounding", _money(amount), f"{rounding}")
    product_min = _d(inputs.get("product_amount_min"))
    if product_min is not None and amount < product_min * TEN_THOUSAND:
        amount = Decimal(0)
        step("product_min", _money(amount), f"{product_min} 万元")
    amount = amount.quantize(CENT)
    step("limit", _money(amount))
    return LimitResult(amount, steps)
