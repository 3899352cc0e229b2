"""The Assessment value other apps receive, and the labelling of stored explanations."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from dfsp.credit.antifraud import RULE_LABELS
from dfsp.credit.features import CATALOGUE
from dfsp.credit.limits import STEP_LABELS

# Money features are shown as their bin (a range), not the exact figure: enough to explain.
SHOWN_AS_RANGE = {"annual_tax_paid", "tax_arrears", "reg_capital"}
YES_NO = {"dishonest_debtor", "on_watchlist"}


@dataclass(frozen=True)
class Assessment:
    uscc: str
    enterprise_name: str
    score: int
    grade: str
    base: int
    reasons: list  # [{"code","label","value","bin","points","direction","tip"}]; base + Σ points == score
    fraud_score: int
    fraud_rules: list  # [{"code","label","weight","evidence"}] — the rules that fired
    limit: Decimal  # yuan
    limit_derivation: list  # [{"code","label","value","detail"}]
    score_ids: list[int]  # scorecard, anti-fraud, limit rows
    model_versions: dict  # kind -> version label
    model_version_ids: dict = field(default_factory=dict)  # kind -> ModelVersion id
    assessment_key: str = ""
    purpose_type: str = ""
    purpose_id: str = ""
    created_at: datetime | None = None
    features: dict = field(default_factory=dict)  # computation inputs; never display wholesale

    @property
    def limit_10k(self) -> Decimal:
        return (self.limit / Decimal(10000)).quantize(Decimal("0.01"))

    @property
    def negative_reasons(self) -> list:
        return [r for r in self.reasons if r["direction"] == "down"]

    @property
    def chart(self) -> dict:
        """Data for the reasons bar chart (json_script)."""
        return {
            "labels": [r["label"] for r in self.reasons],
            "points": [r["points"] for r in self.reasons],
        }


def _shown(code: str, value, bin_label: str) -> str:
    if value is None or value == "":
        return "—"
    if code in SHOWN_AS_RANGE:
        return bin_label
    if code in YES_NO:
        return str(_("Yes") if float(value) >= 1 else _("No"))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def labelled_reasons(reasons: list) -> list:
    labelled = []
    for r in reasons:
        info = CATALOGUE.get(r["code"])
        labelled.append(
            {
                "code": r["code"],
                "label": str(info.label) if info else r["code"],
                "value": _shown(r["code"], r.get("value"), r.get("bin", "")),
                "bin": r.get("bin", ""),
                "points": int(r["points"]),
                "direction": r["direction"],
                "tip": str(info.tip) if info and r["direction"] == "down" else "",
            }
        )
    return labelled


def labelled_rules(fired: list) -> list:
    return [
        {
            "code": f["code"],
            "label": str(RULE_LABELS.get(f["code"], f["code"])),
            "weight": int(f["weight"]),
            "evidence": f["evidence"],
        }
        for f in fired
    ]


# Taxes paid are sensitive (JR/T 0197 level 3, masked for every role on display): the derivation
# shows them, and the revenue computed from them, to two significant figures only.
APPROXIMATED_STEPS = {"taxes", "revenue"}


def _display_money(code: str, value: str) -> str:
    amount = Decimal(value)
    if code in APPROXIMATED_STEPS and amount:
        digits = amount.adjusted() - 1  # keep two significant figures
        rounded = amount.scaleb(-digits).quantize(Decimal(1)).scaleb(digits)
        return f"≈ {rounded:,.0f}"
    return f"{amount:,.2f}"


def labelled_steps(steps: list) -> list:
    return [
        {
            "code": s["code"],
            "label": str(STEP_LABELS.get(s["code"], s["code"])),
            "value": _display_money(s["code"], s["value"]),
            "detail": s.get("detail", ""),
        }
        for s in steps
    ]
