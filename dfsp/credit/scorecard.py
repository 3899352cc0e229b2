"""The scorecard engine: binned features -> points -> score -> grade (pure, no database).

Parameters (expert and fitted versions share the shape)::

    {"base": 600,
     "features": [{"code": "years_in_business", "kind": "numeric", "missing_points": -10,
                   "bins": [{"upper": 1, "points": -40}, …, {"upper": null, "points": 30}]},
                  {"code": "tax_grade", "kind": "category", "missing_points": -15,
                   "bins": [{"values": ["A"], "points": 40}, …]}],
     "grades": [{"grade": "AAA", "min_score": 680}, …, {"grade": "C", "min_score": null}]}

A numeric value falls in the first bin whose ``upper`` is null or greater than the value (bins are
``[previous upper, upper)``). A category value outside every bin scores ``missing_points``.
score = base + Σ points, exactly (points are integers), so every reason list adds up.
"""

from dataclasses import dataclass

from dfsp.core.errors import ValidationFailed
from dfsp.credit.states import GRADES


@dataclass(frozen=True)
class ScorecardResult:
    base: int
    score: int
    grade: str
    reasons: list  # [{"code", "value", "bin", "points", "direction"}]


def _number(value) -> str:
    value = float(value)
    return f"{value:,.0f}" if value.is_integer() else f"{value:,.4g}"


def _bin_label(bins: list, index: int) -> str:
    lower = bins[index - 1]["upper"] if index > 0 else None
    upper = bins[index]["upper"]
    if lower is None and upper is None:
        return "all"
    if lower is None:
        return f"< {_number(upper)}"
    if upper is None:
        return f"≥ {_number(lower)}"
    return f"{_number(lower)} – {_number(upper)}"


def bin_points(feature: dict, value) -> tuple[int, str]:
    """(points, bin label) of one feature value."""
    if value is None or value == "":
        return int(feature.get("missing_points", 0)), "missing"
    bins = feature["bins"]
    if feature.get("kind") == "category":
        for item in bins:
            if str(value) in [str(v) for v in item["values"]]:
                return int(item["points"]), "/".join(str(v) for v in item["values"])
        return int(feature.get("missing_points", 0)), "other"
    number = float(value)
    for index, item in enumerate(bins):
        if item["upper"] is None or number < float(item["upper"]):
            return int(item["points"]), _bin_label(bins, index)
    return int(feature.get("missing_points", 0)), "missing"


def grade_for(grades: list, score: int) -> str:
    for item in grades:
        if item["min_score"] is None or score >= item["min_score"]:
            return item["grade"]
    return grades[-1]["grade"]


def direction(points: int) -> str:
    return "up" if points > 0 else "down" if points < 0 else "neutral"


def score_features(params: dict, features: dict) -> ScorecardResult:
    base = int(params["base"])
    reasons = []
    for feature in params["features"]:
        value = features.get(feature["code"])
        points, label = bin_points(feature, value)
        reasons.append(
            {
                "code": feature["code"],
                "value": value,
                "bin": label,
                "points": points,
                "direction": direction(points),
            }
        )
    score = base + sum(r["points"] for r in reasons)
    return ScorecardResult(base=base, score=score, grade=grade_for(params["grades"], score), reasons=reasons)


def validate_grades(grades) -> list:
    """Cut-offs in grade order, strictly descending, the last one open (null)."""
    try:
        cleaned = [{"grade": g["grade"], "min_score": g["min_score"]} for g in grades]
    except (KeyError, TypeError):
        raise ValidationFailed(code="credit_bad_params", field_errors={"grades": "malformed"}) from None
    if [g["grade"] for g in cleaned] != GRADES:
        raise ValidationFailed(code="credit_bad_params", field_errors={"grades": "AAA … C in order"})
    cleaned[-1]["min_score"] = None
    minimums = [g["min_score"] for g in cleaned[:-1]]
    if any(not isinstance(m, int) or not 300 <= m <= 900 for m in minimums):
        raise ValidationFailed(code="credit_bad_params", field_errors={"grades": "whole numbers 300–900"})
    if any(a <= b for a, b in zip(minimums, minimums[1:], strict=False)):
        raise ValidationFailed(code="credit_bad_params", field_errors={"grades": "strictly descending"})
    return cleaned
