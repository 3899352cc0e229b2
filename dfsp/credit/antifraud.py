"""Anti-fraud rules (pure): each rule has a weight and thresholds in the version's params; the
fraud score is the sum of the weights of the rules that fire, capped at 100.

Facts come from the gated credit features and from ``platform_history`` (what only higher apps
or the platform know: recent applications, enterprises sharing the mobile or the legal
representative) — see FACTS.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# fact -> where it comes from
FACTS = {
    "years_in_business": "features",
    "amount": "assess(amount=…) in yuan",
    "on_watchlist": "features",
    "dishonest_debtor": "features",
    "insured_count": "features",
    "insured_prev_max": "features",
    "insured_drop_ratio": "features",
    "recent_applications": "platform_history (financing: applications in the window)",
    "mobile_shared_count": "platform_history (other enterprises with the same contact mobile)",
    "legal_rep_enterprise_count": "platform_history (enterprises behind the legal representative)",
}

RULE_LABELS = {
    "new_large_amount": _("Newly registered enterprise asking for a large amount"),
    "shared_mobile": _("Contact mobile shared with unrelated enterprises"),
    "application_burst": _("Many applications in a short time"),
    "watchlist": _("On an abnormal-operation or serious-dishonesty list"),
    "dishonest_debtor": _("Dishonest judgment debtor (失信被执行人)"),
    "legal_rep_many": _("Legal representative behind many enterprises"),
    "headcount_drop": _("Sudden drop in insured headcount"),
}

# Which numeric thresholds each rule takes (institutions may edit weights and these, within bounds).
RULE_THRESHOLDS = {
    "new_large_amount": ("max_years", "min_amount"),
    "shared_mobile": ("min_enterprises",),
    "application_burst": ("min_applications", "window_days"),
    "watchlist": (),
    "dishonest_debtor": (),
    "legal_rep_many": ("min_enterprises",),
    "headcount_drop": ("min_drop_ratio", "min_previous"),
}


@dataclass(frozen=True)
class FraudResult:
    fraud_score: int
    fired: list  # [{"code", "weight", "evidence": {…}}]
    checked: list  # every enabled rule code


def _num(facts: dict, key: str) -> float:
    value = facts.get(key)
    return float(value) if value not in (None, "") else 0.0


def _fires(code: str, rule: dict, facts: dict) -> dict | None:
    """The evidence when the rule fires, else None."""
    if code == "new_large_amount":
        years, amount = facts.get("years_in_business"), _num(facts, "amount")
        if years is not None and float(years) < rule["max_years"] and amount >= rule["min_amount"]:
            return {
                "years_in_business": years,
                "amount": amount,
                "max_years": rule["max_years"],
                "min_amount": rule["min_amount"],
            }
    elif code == "shared_mobile":
        if _num(facts, "mobile_shared_count") >= rule["min_enterprises"]:
            return {
                "mobile_shared_count": int(_num(facts, "mobile_shared_count")),
                "min_enterprises": rule["min_enterprises"],
            }
    elif code == "application_burst":
        if _num(facts, "recent_applications") >= rule["min_applications"]:
            return {
                "recent_applications": int(_num(facts, "recent_applications")),
                "window_days": rule.get("window_days", 30),
                "min_applications": rule["min_applications"],
            }
    elif code == "watchlist":
        if _num(facts, "on_watchlist") >= 1:
            return {"on_watchlist": 1}
    elif code == "dishonest_debtor":
        if _num(facts, "dishonest_debtor") >= 1:
            return {"dishonest_debtor": 1}
    elif code == "legal_rep_many":
        if _num(facts, "legal_rep_enterprise_count") >= rule["min_enterprises"]:
            return {
                "legal_rep_enterprise_count": int(_num(facts, "legal_rep_enterprise_count")),
                "min_enterprises": rule["min_enterprises"],
            }
    elif code == "headcount_drop":
        previous, ratio = _num(facts, "insured_prev_max"), _num(facts, "insured_drop_ratio")
        if previous >= rule["min_previous"] and ratio >= rule["min_drop_ratio"]:
            return {
                "insured_prev_max": int(previous),
                "insured_count": int(_num(facts, "insured_count")),
                "insured_drop_ratio": ratio,
                "min_drop_ratio": rule["min_drop_ratio"],
            }
    return None


def evaluate(params: dict, facts: dict) -> FraudResult:
    fired, checked = [], []
    for code, rule in params["rules"].items():
        if not rule.get("enabled", True) or code not in RULE_LABELS:
            continue
        checked.append(code)
        evidence = _fires(code, rule, facts)
        if evidence is not None:
            fired.append({"code": code, "weight": int(rule["weight"]), "evidence": evidence})
    score = min(int(params.get("cap", 100)), sum(f["weight"] for f in fired))
    return FraudResult(fraud_score=score, fired=fired, checked=checked)
