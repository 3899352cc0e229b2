"""The pure engines: scorecard bins and grades, each anti-fraud rule, the limit derivation, the
batch path against the single path, and fitting on generated history."""

import copy
from decimal import Decimal

import polars as pl
import pytest

from dfsp.core.errors import ValidationFailed
from dfsp.credit import antifraud, batch, fitting, limits, scorecard
from dfsp.credit.expert import EXPERT_ANTI_FRAUD, EXPERT_LIMIT, EXPERT_SCORECARD
from dfsp.credit.params import clean_params
from dfsp.credit.services import evaluate
from dfsp.credit.states import ModelKind

TINY = {
    "base": 500,
    "features": [
        {
            "code": "years",
            "kind": "numeric",
            "missing_points": -7,
            "bins": [{"upper": 1, "points": -20}, {"upper": 5, "points": 0}, {"upper": None, "points": 30}],
        },
        {
            "code": "grade",
            "kind": "category",
            "missing_points": -9,
            "bins": [{"values": ["A"], "points": 25}, {"values": ["B", "M"], "points": 5}],
        },
    ],
    "grades": [
        {"grade": g, "min_score": m}
        for g, m in zip(
            ["AAA", "AA", "A", "BBB", "BB", "B", "CCC", "CC", "C"],
            [560, 540, 520, 500, 480, 460, 440, 420, None],
            strict=True,
        )
    ],
}


@pytest.mark.parametrize(
    ("years", "grade", "score", "letter"),
    [
        (0.5, "A", 505, "BBB"),  # −20 + 25
        (1, "B", 505, "BBB"),  # the edge 1 falls in [1, 5): 0 + 5
        (5, "A", 555, "AA"),  # 30 + 25
        (None, "A", 518, "BBB"),  # missing −7 + 25
        (3, "D", 491, "BB"),  # 0 + missing −9 (a category outside every bin)
        (10, "", 521, "A"),  # 30 − 9 (empty is missing)
    ],
)
def test_points_and_grades_match_hand_computed_examples(years, grade, score, letter):
    result = scorecard.score_features(TINY, {"years": years, "grade": grade})
    assert (result.score, result.grade) == (score, letter)
    assert result.base + sum(r["points"] for r in result.reasons) == result.score


def test_grade_cutoffs_must_be_descending_and_in_bounds():
    with pytest.raises(ValidationFailed):
        clean_params(
            ModelKind.SCORECARD, EXPERT_SCORECARD, {"grade_cutoffs": [700, 720, 660, 620, 580, 540, 500, 460]}
        )
    with pytest.raises(ValidationFailed):
        clean_params(
            ModelKind.SCORECARD,
            EXPERT_SCORECARD,
            {"grade_cutoffs": [1000, 700, 660, 620, 580, 540, 500, 460]},
        )
    with pytest.raises(ValidationFailed):
        clean_params(ModelKind.SCORECARD, EXPERT_SCORECARD, {"features": []})
    cleaned = clean_params(
        ModelKind.SCORECARD, EXPERT_SCORECARD, {"grade_cutoffs": [760, 720, 680, 640, 600, 560, 520, 480]}
    )
    assert (
        cleaned["grades"][0] == {"grade": "AAA", "min_score": 760}
        and cleaned["grades"][-1]["min_score"] is None
    )
    assert EXPERT_SCORECARD["grades"][0]["min_score"] == 740  # the source is not modified


QUIET = {
    "years_in_business": 8,
    "amount": "100000",
    "on_watchlist": 0,
    "dishonest_debtor": 0,
    "insured_count": 20,
    "insured_prev_max": 21,
    "insured_drop_ratio": 0.05,
    "recent_applications": 1,
    "mobile_shared_count": 0,
    "legal_rep_enterprise_count": 1,
}


@pytest.mark.parametrize(
    ("rule", "firing", "quiet"),
    [
        (
            "new_large_amount",
            {"years_in_business": 0.5, "amount": "1000000"},
            {"years_in_business": 0.5, "amount": "999999"},
        ),
        (
            "new_large_amount",
            {"years_in_business": 0.99, "amount": "2000000"},
            {"years_in_business": 1, "amount": "2000000"},
        ),
        ("shared_mobile", {"mobile_shared_count": 2}, {"mobile_shared_count": 1}),
        ("application_burst", {"recent_applications": 3}, {"recent_applications": 2}),
        ("watchlist", {"on_watchlist": 1}, {"on_watchlist": 0}),
        ("dishonest_debtor", {"dishonest_debtor": 1}, {"dishonest_debtor": None}),
        ("legal_rep_many", {"legal_rep_enterprise_count": 5}, {"legal_rep_enterprise_count": 4}),
        (
            "headcount_drop",
            {"insured_prev_max": 40, "insured_count": 20, "insured_drop_ratio": 0.5},
            {"insured_prev_max": 9, "insured_count": 1, "insured_drop_ratio": 0.89},
        ),
    ],
)
def test_each_anti_fraud_rule_fires_on_its_evidence_and_not_below_its_threshold(rule, firing, quiet):
    fired = antifraud.evaluate(EXPERT_ANTI_FRAUD, {**QUIET, **firing})
    assert [f["code"] for f in fired.fired] == [rule]
    assert fired.fraud_score == EXPERT_ANTI_FRAUD["rules"][rule]["weight"]
    assert fired.fired[0]["evidence"]
    assert antifraud.evaluate(EXPERT_ANTI_FRAUD, {**QUIET, **quiet}).fraud_score == 0


def test_a_disabled_rule_never_fires_and_the_score_is_capped():
    params = copy.deepcopy(EXPERT_ANTI_FRAUD)
    params["rules"]["watchlist"]["enabled"] = False
    facts = {
        **QUIET,
        "on_watchlist": 1,
        "dishonest_debtor": 1,
        "mobile_shared_count": 5,
        "legal_rep_enterprise_count": 9,
        "recent_applications": 9,
    }
    result = antifraud.evaluate(params, facts)
    assert "watchlist" not in [f["code"] for f in result.fired]
    assert result.fraud_score == 100  # 50 + 25 + 20 + 20 = 115, capped


def test_limit_derivation_step_by_step():
    inputs = {
        "annual_tax_paid": "120000.00",
        "grade": "BBB",
        "fraud_score": 45,
        "product_amount_max": "50",
        "product_amount_min": "10",
    }
    result = limits.compute_limit(EXPERT_LIMIT, inputs)
    # 120 000 / 0.04 = 3 000 000 × 0.25 = 750 000 × 1.0 × 0.5 (fraud 45 ≥ 40) = 375 000; product cap 500 000
    assert result.limit == Decimal("375000.00")
    assert [(s["code"], s["value"]) for s in result.derivation] == [
        ("taxes", "120000.00"),
        ("revenue", "3000000.00"),
        ("base", "750000.00"),
        ("grade", "750000.00"),
        ("fraud_review", "375000.00"),
        ("rounding", "375000.00"),
        ("limit", "375000.00"),
    ]


def test_limit_is_zero_without_taxes_when_blocked_and_below_the_product_minimum():
    assert limits.compute_limit(EXPERT_LIMIT, {"annual_tax_paid": None, "grade": "AAA"}).limit == 0
    blocked = limits.compute_limit(
        EXPERT_LIMIT, {"annual_tax_paid": "1000000", "grade": "AAA", "fraud_score": 70}
    )
    assert blocked.limit == 0 and "fraud_block" in [s["code"] for s in blocked.derivation]
    small = limits.compute_limit(
        EXPERT_LIMIT,
        {"annual_tax_paid": "4000", "grade": "A", "product_amount_max": "100", "product_amount_min": "10"},
    )
    # 4 000 / 0.04 × 0.25 × 1.15 = 28 750 → 28 000 < 100 000 (10 万元)
    assert small.limit == 0 and small.derivation[-2]["code"] == "product_min"


def test_limit_parameters_have_bounds():
    with pytest.raises(ValidationFailed):
        clean_params(ModelKind.LIMIT, EXPERT_LIMIT, {"grade_multipliers": {"AAA": "5"}})
    with pytest.raises(ValidationFailed):
        clean_params(ModelKind.LIMIT, EXPERT_LIMIT, {"fraud_block_score": 10})  # below the review score
    with pytest.raises(ValidationFailed):
        clean_params(ModelKind.ANTI_FRAUD, EXPERT_ANTI_FRAUD, {"rules": {"watchlist": {"weight": 101}}})
    with pytest.raises(ValidationFailed):
        clean_params(ModelKind.ANTI_FRAUD, EXPERT_ANTI_FRAUD, {"rules": {"watchlist": {"min_amount": 1}}})
    ok = clean_params(
        ModelKind.LIMIT, EXPERT_LIMIT, {"grade_multipliers": {"AAA": "2"}, "revenue_share": "0.3"}
    )
    assert ok["grade_multipliers"]["AAA"] == "2" and ok["revenue_share"] == "0.3"


def _rows(frame: pl.DataFrame) -> list[dict]:
    return frame.drop("uscc").to_dicts()


@pytest.mark.parametrize("params", [EXPERT_SCORECARD, TINY | {"features": EXPERT_SCORECARD["features"][:3]}])
def test_batch_scoring_equals_the_single_path(params):
    frame = batch.synthetic_features(400, seed=3)
    frame = frame.with_columns(  # some missing values and edge values on bin boundaries
        pl.when(pl.int_range(pl.len()) % 7 == 0).then(None).otherwise(pl.col("tax_grade")).alias("tax_grade"),
        pl.when(pl.int_range(pl.len()) % 11 == 0)
        .then(None)
        .otherwise(pl.col("annual_tax_paid"))
        .alias("annual_tax_paid"),
        pl.when(pl.int_range(pl.len()) % 13 == 0)
        .then(5.0)
        .otherwise(pl.col("years_in_business"))
        .alias("years_in_business"),
    )
    scored = batch.score_frame(frame, scorecard_params=params, fraud_params=EXPERT_ANTI_FRAUD)
    for row, out in zip(_rows(frame), scored.select("score", "grade", "fraud_score").to_dicts(), strict=True):
        card, _why = evaluate(ModelKind.SCORECARD, params, row)
        fraud, _fired = evaluate(ModelKind.ANTI_FRAUD, EXPERT_ANTI_FRAUD, row)
        assert (out["score"], out["grade"], out["fraud_score"]) == (
            card["score"],
            card["grade"],
            fraud["fraud_score"],
        )


def test_fitting_on_generated_history_beats_the_generators_auc_floor():
    history = fitting.synthetic_history(4000, seed=11)
    params, validation = fitting.fit_scorecard(history, seed=11, min_count=1000)
    assert validation["auc"] >= fitting.SYNTHETIC_AUC_FLOOR
    assert 0 < validation["ks"] < 1 and validation["psi"] < 0.1  # hold-out from the same population
    assert sum(row["count"] for row in validation["by_grade"]) == validation["holdout_count"]
    assert validation["recent_count"] == 800  # the latest fifth by observed_at: out of time, not fitted
    assert validation["development_count"] + validation["holdout_count"] == 3200
    # the fitted points explain the score like the expert ones
    row = _rows(history.drop("bad"))[0]
    result = scorecard.score_features(params, row)
    assert result.base + sum(r["points"] for r in result.reasons) == result.score
    # better grades default less (calibration), comparing the best and worst populated halves
    populated = [r for r in validation["by_grade"] if r["count"] >= 30]
    assert populated[0]["default_rate"] < populated[-1]["default_rate"]


def test_fitting_refuses_too_little_history():
    with pytest.raises(ValidationFailed) as refused:
        fitting.fit_scorecard(fitting.synthetic_history(300, seed=1), min_count=500)
    assert refused.value.code == "credit_insufficient_history"
    with pytest.raises(ValidationFailed):
        fitting.fit_scorecard(batch.synthetic_features(600, seed=1), min_count=500)  # no bad column


def test_without_tax_figures_the_insured_headcount_is_the_revenue_proxy():
    result = limits.compute_limit(
        EXPERT_LIMIT, {"annual_tax_paid": None, "insured_count": 20, "grade": "BBB"}
    )
    # 20 × 150 000 = 3 000 000 × 0.25 = 750 000 × 1.0
    assert result.limit == Decimal("750000.00")
    assert [s["code"] for s in result.derivation][:3] == ["no_tax", "revenue_headcount", "base"]
    without = {k: v for k, v in EXPERT_LIMIT.items() if k != "revenue_per_employee"}
    assert (
        limits.compute_limit(without, {"annual_tax_paid": "0", "insured_count": 20, "grade": "BBB"}).limit
        == 0
    )
