"""The straightforward matcher: one Python call per (demand, product) pair.

Not used by the app. It states the rules plainly, the tests check the vectorised engine against
it, and the benchmark times it as the baseline. Rows are the engine's frame rows as dicts.
"""

import math

from dfsp.matching.engine import (
    RATE_FULL_MARGIN,
    REGION_POINTS,
    SPEED_ZERO_DAYS,
    UNKNOWN_GUARANTEE,
    WEIGHTS,
    YUAN_PER_WAN,
    region_level,
)


def _region_level(code: str, targets: list[str]) -> int:
    if not targets:
        return 0
    levels = [
        level
        for level, candidate in ((3, code), (2, code[:4] + "00"), (1, code[:2] + "0000"))
        if region_level(candidate) == level and candidate in targets
    ]
    return max(levels, default=-1)


def score_pair(demand: dict, product: dict) -> float | None:
    """The pair's score (0..100), or None when the product is not eligible for the demand."""
    amount = float(demand["amount"]) / YUAN_PER_WAN
    if not float(product["amount_min"]) <= amount <= float(product["amount_max"]):
        return None
    if not product["term_min"] <= demand["term_months"] <= product["term_max"]:
        return None
    margin = float(demand["acceptable_rate"]) - float(product["rate_min"])
    if margin < 0:
        return None
    level = _region_level(demand["region_code"], product["target_regions"] or [])
    if level < 0:
        return None
    points = {"term": 1.0, "region": float(REGION_POINTS[level])}
    points["amount"] = 1.0 - 0.5 * amount / max(float(product["amount_max"]), 1e-9)
    points["rate"] = min(max(margin / RATE_FULL_MARGIN, 0.0), 1.0)
    for name, value, allowed in (
        ("industry", demand["industry"], product["industries"]),
        ("scale", demand["scale"], product["scales"]),
    ):
        if allowed and value not in allowed:
            return None
        points[name] = 1.0 if allowed else 0.6
    guarantees = product["guarantee_methods"]
    if not guarantees:
        points["guarantee"] = 0.8
    elif demand["guarantee"] in guarantees:
        points["guarantee"] = 1.0
    elif demand["guarantee"] == UNKNOWN_GUARANTEE:
        points["guarantee"] = 0.4
    else:
        return None
    years = demand["years"]
    points["years"] = 1.0
    if product["min_years"] > 0:
        if years is None or math.isnan(years):
            points["years"] = 0.4
        elif years < product["min_years"]:
            return None
    points["grade"] = 1.0
    if product["min_grade_rank"] >= 0:
        if demand["grade_rank"] < 0:
            points["grade"] = 0.3
        elif demand["grade_rank"] > product["min_grade_rank"]:
            return None
    measured = product["measured_response_days"]
    days = product["response_days"] if measured is None or math.isnan(measured) else measured
    points["speed"] = min(max(1.0 - (days - 1.0) / (SPEED_ZERO_DAYS - 1.0), 0.0), 1.0)
    points["rating"] = float(product["rating"]) / 5.0 if product["rating_count"] > 0 else 0.5
    return sum(weight * points[factor] for factor, weight in WEIGHTS.items())


def top_k(demands: list[dict], products: list[dict], *, k: int) -> dict:
    """demand_id → [(score, product_id)] best first."""
    result = {}
    for demand in demands:
        scored = []
        for product in products:
            score = score_pair(demand, product)
            if score is not None:
                scored.append((score, product["product_id"]))
        scored.sort(key=lambda item: -item[0])
        result[demand["demand_id"]] = scored[:k]
    return result
