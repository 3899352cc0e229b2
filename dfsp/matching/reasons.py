"""Per-factor reasons: stored as codes and points, rendered as translated sentences when shown.

Stored form (``Match.reasons``): ``{factor: {"state": code, "points": float}}`` plus, for speed,
the measured days. Rendering reads the figures (amounts, ranges, grades) from the demand and the
product as they are now, so the text follows the viewer's language.
"""

from django.utils import numberformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dfsp.matching.engine import LISTED, OPEN, UNKNOWN, WEIGHTS

REGION_STATES = {0: "all", 1: "province", 2: "city", 3: "district"}
LIST_STATES = {LISTED: "listed", OPEN: "all", UNKNOWN: "unknown"}
REQUIREMENT_STATES = {LISTED: "met", OPEN: "none", UNKNOWN: "unknown"}
# Only the enterprise sees reasons that speak about its own credit standing.
OWNER_ONLY = frozenset({"grade", "years"})


def build(row: dict, *, measured_days: float | None, rated: bool) -> dict:
    """One engine pair row → the stored reasons."""
    states = {
        "amount": "ok",
        "term": "ok",
        "rate": "ok",
        "region": REGION_STATES[row["region_level"]],
        "industry": LIST_STATES[row["industry_state"]],
        "scale": LIST_STATES[row["scale_state"]],
        "guarantee": LIST_STATES[row["guarantee_state"]],
        "years": REQUIREMENT_STATES[row["years_state"]],
        "grade": REQUIREMENT_STATES[row["grade_state"]],
        "speed": "promised" if measured_days is None else "measured",
        "rating": "rated" if rated else "unrated",
    }
    reasons = {factor: {"state": states[factor], "points": row[f"points_{factor}"]} for factor in WEIGHTS}
    if measured_days is not None:
        reasons["speed"]["days"] = round(measured_days, 1)
    return reasons


def _n(value, places=2) -> str:
    """Grouped by thousands in every language (amounts in yuan read badly without separators)."""
    return numberformat.format(value, ".", places, 3, ",", force_grouping=True)


def _sentence(factor: str, state: str, demand, product, entry: dict) -> str:
    if factor == "amount":
        return _("Amount %(amount)s yuan is within %(low)s–%(high)s (10k yuan)") % {
            "amount": _n(demand.amount),
            "low": _n(product.amount_min),
            "high": _n(product.amount_max),
        }
    if factor == "term":
        return _("Term of %(term)s months is within %(low)s–%(high)s months") % {
            "term": demand.term_months,
            "low": product.term_min,
            "high": product.term_max,
        }
    if factor == "rate":
        return _("Rates from %(rate)s%% against your highest acceptable %(acceptable)s%%") % {
            "rate": _n(product.rate_min),
            "acceptable": _n(demand.acceptable_rate),
        }
    if factor == "speed":
        if state == "measured":
            return _("Decides in about %(days)s days on this platform") % {"days": entry.get("days")}
        return _("Promises a response within %(days)s working days") % {"days": product.response_days}
    if factor == "rating":
        if state == "rated":
            return _("Rated %(rating)s out of 5") % {"rating": _n(product.rating, 1)}
        return _("Not rated yet")
    if factor == "years" and state != "none":
        template = {
            "met": _("Requires %(years)s years in business: met"),
            "unknown": _("Requires %(years)s years in business: your years in business are not known yet"),
        }[state]
        return template % {"years": product.min_years}
    if factor == "grade" and state != "none":
        template = {
            "met": _("Requires credit grade %(grade)s: your self-assessed grade meets it"),
            "unknown": _(
                "Requires credit grade %(grade)s: you have no self-assessed grade yet, so this product ranks lower"
            ),
        }[state]
        return template % {"grade": product.min_credit_grade}
    return str(FIXED[(factor, state)])


FIXED = {
    ("region", "district"): gettext_lazy("Aimed at this district"),
    ("region", "city"): gettext_lazy("Serves this city"),
    ("region", "province"): gettext_lazy("Serves the whole province"),
    ("region", "all"): gettext_lazy("No regional restriction"),
    ("industry", "listed"): gettext_lazy("This industry is one the product targets"),
    ("industry", "all"): gettext_lazy("Open to every industry"),
    ("scale", "listed"): gettext_lazy("This enterprise scale is one the product targets"),
    ("scale", "all"): gettext_lazy("Open to every enterprise scale"),
    ("guarantee", "listed"): gettext_lazy("Accepts the guarantee offered"),
    ("guarantee", "all"): gettext_lazy("No guarantee requirement"),
    ("guarantee", "unknown"): gettext_lazy(
        "The guarantee offered (other) is to be discussed with the institution"
    ),
    ("years", "none"): gettext_lazy("No years-in-business requirement"),
    ("grade", "none"): gettext_lazy("No credit grade requirement"),
}

FACTOR_LABELS = {
    "rate": gettext_lazy("Rate"),
    "amount": gettext_lazy("Amount"),
    "term": gettext_lazy("Term"),
    "region": gettext_lazy("Region"),
    "industry": gettext_lazy("Industry"),
    "scale": gettext_lazy("Scale"),
    "guarantee": gettext_lazy("Guarantee"),
    "years": gettext_lazy("Years in business"),
    "grade": gettext_lazy("Credit grade"),
    "speed": gettext_lazy("Response speed"),
    "rating": gettext_lazy("Rating"),
}


def render(match, *, owner: bool) -> list[dict]:
    """The match's reasons as display rows {factor, label, text, points, max_points, caution}."""
    rows = []
    for factor, weight in WEIGHTS.items():
        entry = match.reasons.get(factor)
        if entry is None or (factor in OWNER_ONLY and not owner):
            continue
        state = entry.get("state", "")
        rows.append(
            {
                "factor": factor,
                "state": state,
                "label": str(FACTOR_LABELS[factor]),
                "text": _sentence(factor, state, match.demand, match.product, entry),
                "points": entry.get("points", 0),
                "max_points": weight,
                "caution": state == "unknown",
            }
        )
    return rows
