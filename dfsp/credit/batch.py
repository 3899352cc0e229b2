"""Vectorised scoring of many enterprises with Polars (same rules as the single path, as
expressions), and a generator of realistic feature frames for benchmarks, tests and fitting.

``score_frame`` needs the columns of ``FEATURE_COLUMNS`` (missing ones are treated as null).
"""

import numpy as np
import polars as pl

NUMERIC_FEATURES = [
    "years_in_business",
    "reg_capital",
    "annual_tax_paid",
    "tax_arrears",
    "insured_count",
    "insured_prev_max",
    "insured_drop_ratio",
    "si_arrears_months",
    "utility_overdue_months",
    "property_count",
    "ip_count",
    "judicial_cases",
    "dishonest_debtor",
    "on_watchlist",
    "penalties_count",
    "honours_count",
    "amount",
    "recent_applications",
    "mobile_shared_count",
    "legal_rep_enterprise_count",
]
CATEGORY_FEATURES = ["tax_grade"]
FEATURE_COLUMNS = ["uscc", *NUMERIC_FEATURES, *CATEGORY_FEATURES]


def _points_expr(feature: dict) -> pl.Expr:
    column = pl.col(feature["code"])
    missing = int(feature.get("missing_points", 0))
    if feature.get("kind") == "category":
        text = column.cast(pl.String)
        expr = pl.when(text.is_null()).then(pl.lit(missing))
        for item in feature["bins"]:
            expr = expr.when(text.is_in([str(v) for v in item["values"]])).then(pl.lit(int(item["points"])))
        return expr.otherwise(pl.lit(missing))
    number = column.cast(pl.Float64)
    expr = pl.when(number.is_null()).then(pl.lit(missing))
    for item in feature["bins"]:
        condition = pl.lit(True) if item["upper"] is None else number < float(item["upper"])
        expr = expr.when(condition).then(pl.lit(int(item["points"])))
    return expr.otherwise(pl.lit(missing))


def _grade_expr(grades: list, score: pl.Expr) -> pl.Expr:
    expr = None
    for item in grades:
        condition = pl.lit(True) if item["min_score"] is None else score >= item["min_score"]
        expr = (
            pl.when(condition).then(pl.lit(item["grade"]))
            if expr is None
            else expr.when(condition).then(pl.lit(item["grade"]))
        )
    return expr.otherwise(pl.lit(grades[-1]["grade"]))


def _num(name: str) -> pl.Expr:
    return pl.col(name).cast(pl.Float64).fill_null(0.0)


def _rule_expr(code: str, rule: dict) -> pl.Expr:
    if code == "new_large_amount":
        years = pl.col("years_in_business").cast(pl.Float64)
        return years.is_not_null() & (years < rule["max_years"]) & (_num("amount") >= rule["min_amount"])
    if code == "shared_mobile":
        return _num("mobile_shared_count") >= rule["min_enterprises"]
    if code == "application_burst":
        return _num("recent_applications") >= rule["min_applications"]
    if code == "watchlist":
        return _num("on_watchlist") >= 1
    if code == "dishonest_debtor":
        return _num("dishonest_debtor") >= 1
    if code == "legal_rep_many":
        return _num("legal_rep_enterprise_count") >= rule["min_enterprises"]
    if code == "headcount_drop":
        return (_num("insured_prev_max") >= rule["min_previous"]) & (
            _num("insured_drop_ratio") >= rule["min_drop_ratio"]
        )
    return pl.lit(False)


def score_frame(features: pl.DataFrame, *, scorecard_params: dict, fraud_params: dict) -> pl.DataFrame:
    """The input frame plus ``score`` (int), ``grade`` and ``fraud_score`` (int), fully vectorised."""
    frame = features
    missing = [c for c in FEATURE_COLUMNS if c not in frame.columns]
    if missing:
        frame = frame.with_columns([pl.lit(None).alias(c) for c in missing])
    points = [_points_expr(f) for f in scorecard_params["features"]]
    score = (pl.lit(int(scorecard_params["base"])) + pl.sum_horizontal(points)).cast(pl.Int64)
    weights = [
        pl.when(_rule_expr(code, rule)).then(pl.lit(int(rule["weight"]))).otherwise(pl.lit(0))
        for code, rule in fraud_params["rules"].items()
        if rule.get("enabled", True)
    ]
    fraud = pl.min_horizontal(
        pl.lit(int(fraud_params.get("cap", 100))), pl.sum_horizontal(weights) if weights else pl.lit(0)
    )
    frame = frame.with_columns(score.alias("score"), fraud.cast(pl.Int64).alias("fraud_score"))
    return frame.with_columns(_grade_expr(scorecard_params["grades"], pl.col("score")).alias("grade"))


def synthetic_features(n: int, seed: int = 2026) -> pl.DataFrame:
    """n realistic enterprises (Daqing SMEs) with every column score_frame needs."""
    return synthetic_with_quality(n, seed)[0]


def synthetic_with_quality(n: int, seed: int = 2026) -> tuple[pl.DataFrame, np.ndarray]:
    """The frame and the hidden financial health that drives its correlated facts (and outcomes)."""
    rng = np.random.default_rng(seed)
    quality = rng.normal(0.0, 1.0, n)  # hidden financial health
    years = np.clip(rng.gamma(2.2, 3.2, n) + 0.8 * quality, 0.1, 40).round(2)
    insured = np.clip(np.exp(rng.normal(2.3 + 0.35 * quality, 0.9)), 1, 2000).astype(np.int64)
    prev = np.maximum(insured, (insured * np.exp(rng.normal(0.05, 0.25, n))).astype(np.int64))
    drop_shock = rng.random(n) < 0.03
    insured = np.where(drop_shock, np.maximum(1, prev // 3), insured)
    ratio = np.where(prev > 0, 1 - insured / np.maximum(prev, 1), 0.0).round(4)
    tax = np.exp(rng.normal(12.0 + 0.6 * quality + 0.02 * np.log1p(insured), 1.3)).round(2)
    grade_cut = quality + rng.normal(0, 0.7, n)
    tax_grade = np.select(
        [grade_cut > 0.9, grade_cut > -0.3, grade_cut > -1.2, grade_cut > -2.0], ["A", "B", "M", "C"], "D"
    )
    arrears = rng.poisson(np.exp(-0.5 - 0.9 * quality))
    overdue = rng.poisson(np.exp(-0.9 - 0.8 * quality))
    judicial = rng.poisson(np.exp(-1.0 - 0.6 * quality))
    penalties = rng.poisson(np.exp(-1.6 - 0.6 * quality))
    dishonest = (rng.random(n) < 1 / (1 + np.exp(4.5 + 1.2 * quality))).astype(np.int64)
    watch = (rng.random(n) < 1 / (1 + np.exp(3.6 + 1.0 * quality))).astype(np.int64)
    frame = pl.DataFrame(
        {
            "uscc": [f"SYN{seed % 10000:04d}{i:011d}" for i in range(n)],
            "years_in_business": years,
            "reg_capital": np.exp(rng.normal(5.5, 1.2, n)).round(2),
            "tax_grade": tax_grade,
            "annual_tax_paid": tax,
            "tax_arrears": np.where(rng.random(n) < 0.05, tax * 0.1, 0.0).round(2),
            "insured_count": insured,
            "insured_prev_max": prev,
            "insured_drop_ratio": ratio,
            "si_arrears_months": arrears,
            "utility_overdue_months": overdue,
            "property_count": rng.poisson(0.6 + 0.3 * np.clip(quality, 0, None)),
            "ip_count": rng.poisson(np.exp(0.2 + 0.5 * quality)),
            "judicial_cases": judicial,
            "dishonest_debtor": dishonest,
            "on_watchlist": watch,
            "penalties_count": penalties,
            "honours_count": rng.poisson(np.exp(-1.5 + 0.6 * quality)),
            "amount": (np.exp(rng.normal(13.2, 0.8, n)) / 1000).round() * 1000,
            "recent_applications": rng.poisson(0.6, n),
            "mobile_shared_count": rng.poisson(0.05, n),
            "legal_rep_enterprise_count": 1 + rng.poisson(0.4, n),
        }
    )
    return frame, quality
