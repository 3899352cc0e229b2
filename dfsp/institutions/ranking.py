"""The explainable “recommended” score: six factors in 0..1, weighted by RankingConfig.

score = 100 × Σ weightᵢ·factorᵢ / Σ weightᵢ. Pinned products come first regardless of score.
"""

import math
from datetime import datetime

RATE_FLOOR, RATE_CEILING = 3.0, 24.0  # annual %; 24% is the judicial protection ceiling
RESPONSE_BEST, RESPONSE_WORST = 1, 15  # working days
RECENCY_HORIZON_DAYS = 180
OPTIONAL_FIELDS = ["tags", "industries", "scales", "data_scopes", "materials", "min_credit_grade"]


def _clamp(value: float) -> float:
    return max(0.0, min(1.0, value))


def factors_for(product, *, now: datetime, max_applications: int) -> dict[str, float]:
    listed = product.listed_at or now
    completeness_parts = [bool(getattr(product, name)) for name in OPTIONAL_FIELDS]
    completeness_parts.append(len(product.description or "") >= 50)
    return {
        "rate": _clamp((RATE_CEILING - float(product.rate_min)) / (RATE_CEILING - RATE_FLOOR)),
        "response": _clamp((RESPONSE_WORST - product.response_days) / (RESPONSE_WORST - RESPONSE_BEST)),
        "recency": _clamp(1 - (now - listed).days / RECENCY_HORIZON_DAYS),
        "applications": (
            math.log1p(product.applications_count) / math.log1p(max_applications) if max_applications else 0.0
        ),
        "rating": _clamp(float(product.rating) / 5),
        "completeness": sum(completeness_parts) / len(completeness_parts),
    }


def score_of(factors: dict[str, float], weights: dict[str, float]) -> tuple[float, dict]:
    """The score and, per factor, its value and its contribution in points."""
    total = sum(weights.values()) or 1.0
    explanation = {}
    for name, value in factors.items():
        explanation[name] = {
            "value": round(value, 4),
            "points": round(100 * weights[name] * value / total, 2),
        }
    return round(sum(item["points"] for item in explanation.values()), 2), explanation
