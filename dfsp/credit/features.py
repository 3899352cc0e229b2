"""Model features: the gated credit records of one enterprise turned into plain numbers.

Features are JSON-safe (float, int, str or None) because they are stored in every score row and
hashed (SM3) for recompute. ``CATALOGUE`` gives each a label and a tip to improve it.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The consent scopes a full assessment reads (datahub categories behind them: see consent.defaults).
MODEL_SCOPES = [
    "registration",
    "tax",
    "social_insurance",
    "utilities",
    "real_estate",
    "ip",
    "judicial",
    "licences_penalties",
    "honours_lists",
]


@dataclass(frozen=True)
class FeatureInfo:
    label: object
    tip: object = ""  # how an enterprise improves a negative factor
    unit: str = ""


CATALOGUE: dict[str, FeatureInfo] = {
    "years_in_business": FeatureInfo(
        _("Years in business"), _("Time in business builds the record; nothing to do but keep trading."), "y"
    ),
    "reg_capital": FeatureInfo(
        _("Registered capital"), _("Paid-in capital strengthens the balance sheet."), "万"
    ),
    "tax_grade": FeatureInfo(
        _("Tax credit grade"), _("File and pay taxes on time to move up to tax credit grade A or B.")
    ),
    "annual_tax_paid": FeatureInfo(
        _("Taxes paid in the last 12 months"),
        _("Declare all revenue: taxes paid are the basis of the limit."),
        "元",
    ),
    "tax_arrears": FeatureInfo(_("Tax arrears"), _("Settle tax arrears with the tax bureau."), "元"),
    "insured_count": FeatureInfo(
        _("Insured headcount"), _("Insure all employees; a stable workforce counts in your favour.")
    ),
    "insured_drop_ratio": FeatureInfo(
        _("Drop in insured headcount"), _("Keep social insurance contributions stable.")
    ),
    "si_arrears_months": FeatureInfo(
        _("Months with social insurance arrears"),
        _("Pay social insurance contributions in full every month."),
    ),
    "utility_overdue_months": FeatureInfo(
        _("Months with overdue utility bills"), _("Pay water, electricity and gas bills before the due date.")
    ),
    "property_count": FeatureInfo(
        _("Real estate held"), _("Registered property can support secured lending.")
    ),
    "ip_count": FeatureInfo(
        _("Patents and trademarks"), _("Register patents and trademarks; they count as intangible assets.")
    ),
    "judicial_cases": FeatureInfo(
        _("Court cases (5 years)"), _("Settle disputes and close court cases; closed cases weigh less.")
    ),
    "dishonest_debtor": FeatureInfo(
        _("Listed as a dishonest judgment debtor"),
        _("Perform the judgment to be removed from the 失信 list."),
    ),
    "on_watchlist": FeatureInfo(
        _("On an abnormal-operation or serious-dishonesty list"),
        _("Correct the listed problem and apply to the market regulator for removal."),
    ),
    "penalties_count": FeatureInfo(
        _("Administrative penalties (3 years)"),
        _("Apply for credit repair (信用修复) once a penalty is served."),
    ),
    "honours_count": FeatureInfo(_("Honours"), _("Honours from government bodies count in your favour.")),
}


def to_number(value) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(Decimal(str(value).replace(",", "").strip()))
    except (InvalidOperation, ValueError):
        return None


def to_date(value) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except (TypeError, ValueError):
        return None


def _months_ago(today: date, months: int) -> str:
    index = today.year * 12 + today.month - 1 - months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def extract_features(records: dict, *, today: date | None = None) -> dict:
    """Feature values from gated records (category -> records with period/event_date/code/values)."""
    today = today or timezone.localdate()
    get = records.get
    features: dict = {}

    registration = (get("registration") or [None])[0]
    reg = registration.values if registration else {}
    established = to_date(reg.get("established_on")) or (registration.event_date if registration else None)
    features["years_in_business"] = round((today - established).days / 365.25, 2) if established else None
    features["reg_capital"] = to_number(reg.get("reg_capital"))
    features["industry"] = reg.get("industry") or None
    features["division"] = reg.get("division") or None
    features["scale"] = reg.get("scale") or None

    tax = sorted(get("tax") or [], key=lambda r: r.period, reverse=True)
    if tax:
        year_ago = _months_ago(today, 12)
        features["tax_grade"] = tax[0].values.get("tax_grade") or None
        features["annual_tax_paid"] = round(
            sum(to_number(r.values.get("tax_paid")) or 0 for r in tax if r.period > year_ago), 2
        )
        features["tax_arrears"] = to_number(tax[0].values.get("tax_arrears")) or 0.0
    else:
        features.update(tax_grade=None, annual_tax_paid=None, tax_arrears=None)

    insurance = sorted(get("social_insurance") or [], key=lambda r: r.period, reverse=True)
    if insurance:
        counts = [int(to_number(r.values.get("insured_count")) or 0) for r in insurance]
        previous = max(counts[1:7]) if len(counts) > 1 else counts[0]
        features["insured_count"] = counts[0]
        features["insured_prev_max"] = previous
        features["insured_drop_ratio"] = round(1 - counts[0] / previous, 4) if previous > 0 else 0.0
        features["si_arrears_months"] = sum(
            1 for r in insurance if (to_number(r.values.get("si_arrears")) or 0) > 0
        )
    else:
        features.update(
            insured_count=None, insured_prev_max=None, insured_drop_ratio=None, si_arrears_months=None
        )

    utilities = get("utilities")
    features["utility_overdue_months"] = (
        len({r.period for r in utilities if (r.values.get("payment_status") or r.code) == "overdue"})
        if utilities is not None
        else None
    )
    features["property_count"] = len(get("real_estate")) if get("real_estate") is not None else None
    features["ip_count"] = len(get("ip")) if get("ip") is not None else None

    judicial = get("judicial")
    if judicial is not None:
        open_kind = {
            (r.values.get("judicial_kind") or r.code) for r in judicial if not r.values.get("closed_on")
        }
        features["judicial_cases"] = sum(
            1 for r in judicial if (r.values.get("judicial_kind") or r.code) != "dishonest"
        )
        features["dishonest_debtor"] = 1 if "dishonest" in open_kind else 0
    else:
        features.update(judicial_cases=None, dishonest_debtor=None)

    features["penalties_count"] = len(get("penalty")) if get("penalty") is not None else None
    features["honours_count"] = len(get("honour")) if get("honour") is not None else None
    watchlist = get("watchlist")
    if watchlist is None:
        features["on_watchlist"] = None
    else:
        features["on_watchlist"] = 1 if any(not r.values.get("removed_on") for r in watchlist) else 0
    return features
