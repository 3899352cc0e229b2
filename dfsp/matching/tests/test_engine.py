"""The vectorised engine on hand-built frames: each factor excludes or includes, units, regions,
ranking, and agreement with the plain per-pair reference."""

import math

import numpy as np
import polars as pl
import pytest

from dfsp.matching import engine, reference, synthetic
from dfsp.matching.frames import DEMAND_SCHEMA, PRODUCT_SCHEMA


def demand(**overrides) -> dict:
    row = {
        "demand_id": 1,
        "organisation_id": 1,
        "amount": 500_000.0,  # yuan = 50 万元
        "term_months": 12,
        "acceptable_rate": 6.0,
        "region_code": "230602",  # 萨尔图区, 大庆市
        "industry": "C",
        "scale": "small",
        "guarantee": "credit",
        "grade_rank": 2,  # A
        "years": 5.0,
    }
    row.update(overrides)
    return row


def product(**overrides) -> dict:
    row = {
        "product_id": 1,
        "organisation_id": 9,
        "amount_min": 10.0,  # 万元
        "amount_max": 50.0,
        "term_min": 3,
        "term_max": 36,
        "rate_min": 4.0,
        "target_regions": ["230600"],
        "industries": ["C"],
        "scales": ["small"],
        "guarantee_methods": ["credit"],
        "min_years": 2,
        "min_grade_rank": 3,  # BBB
        "response_days": 3,
        "measured_response_days": None,
        "rating": 4.0,
        "rating_count": 3,
    }
    row.update(overrides)
    return row


class Dense(dict):
    """The engine's per-pair outputs as demand × product matrices (NaN / -1 where ineligible)."""

    def __init__(self, result: dict):
        super().__init__(result)
        self.shape = result["eligible"].shape
        self.index = (result["demand_index"], result["product_index"])

    def __getitem__(self, key):
        value = super().__getitem__(key)
        if key in ("eligible", "demand_index", "product_index"):
            return value
        out = np.full(self.shape, -1 if value.dtype.kind == "i" else np.nan, dtype=value.dtype)
        out[self.index] = value
        return out


def run(demands: list[dict], products: list[dict]) -> Dense:
    d, p = engine.encode(
        pl.DataFrame(demands, schema=DEMAND_SCHEMA), pl.DataFrame(products, schema=PRODUCT_SCHEMA)
    )
    return Dense(engine.evaluate(d, p))


def eligible(d: dict, p: dict) -> bool:
    return bool(run([d], [p])["eligible"][0, 0])


def test_the_baseline_pair_is_eligible():
    assert eligible(demand(), product())


@pytest.mark.parametrize(
    ("amount_yuan", "ok"),
    [(100_000, True), (500_000, True), (99_999.99, False), (500_000.01, False)],
)
def test_amount_compares_yuan_with_products_in_ten_thousand_yuan(amount_yuan, ok):
    # the product lends 10–50 万元 = 100,000–500,000 yuan
    assert eligible(demand(amount=float(amount_yuan)), product()) is ok


@pytest.mark.parametrize(("term", "ok"), [(3, True), (36, True), (2, False), (48, False)])
def test_term_must_be_within_the_product_range(term, ok):
    assert eligible(demand(term_months=term), product()) is ok


def test_rate_the_product_starts_above_the_acceptable_rate_excludes():
    assert eligible(demand(acceptable_rate=4.0), product(rate_min=4.0))
    assert not eligible(demand(acceptable_rate=3.99), product(rate_min=4.0))


@pytest.mark.parametrize(
    ("targets", "level"),
    [
        ([], 0),  # all regions
        (["230000"], 1),  # the province covers its districts
        (["230600"], 2),  # the city covers its districts
        (["230602"], 3),  # the district itself
        (["230100", "230602"], 3),
        (["230603"], -1),  # another district of the same city
        (["230100"], -1),  # another city
    ],
)
def test_region_hierarchy_of_a_district_demand(targets, level):
    result = run([demand(region_code="230602")], [product(target_regions=targets)])
    assert result["region_level"][0, 0] == level
    assert bool(result["eligible"][0, 0]) is (level >= 0)


def test_a_city_level_demand_is_not_covered_by_one_district():
    assert not eligible(demand(region_code="230600"), product(target_regions=["230602"]))
    assert eligible(demand(region_code="230600"), product(target_regions=["230600"]))


def test_a_more_specific_region_scores_higher():
    result = run([demand()], [product(target_regions=["230602"]), product(product_id=2, target_regions=[])])
    assert result["score"][0, 0] > result["score"][0, 1]


@pytest.mark.parametrize("factor", ["industries", "scales"])
def test_industry_and_scale_lists_exclude_others_and_empty_means_all(factor):
    assert not eligible(demand(), product(**{factor: ["Z"] if factor == "industries" else ["large"]}))
    assert eligible(demand(), product(**{factor: []}))


def test_guarantee_must_be_accepted_unless_the_demand_offers_other():
    assert not eligible(demand(guarantee="mortgage"), product(guarantee_methods=["credit"]))
    assert eligible(demand(guarantee="mortgage"), product(guarantee_methods=[]))
    result = run([demand(guarantee="other")], [product(guarantee_methods=["credit"])])
    assert result["eligible"][0, 0]
    assert result["guarantee_state"][0, 0] == engine.UNKNOWN


def test_years_in_business_below_the_minimum_excludes_and_unknown_does_not():
    assert not eligible(demand(years=1.5), product(min_years=2))
    assert eligible(demand(years=2.0), product(min_years=2))
    unknown = run([demand(years=None)], [product(min_years=2)])
    assert unknown["eligible"][0, 0] and unknown["years_state"][0, 0] == engine.UNKNOWN


def test_grade_below_the_minimum_excludes_and_unknown_ranks_lower():
    assert not eligible(demand(grade_rank=4), product(min_grade_rank=3))  # BB < BBB
    assert eligible(demand(grade_rank=3), product(min_grade_rank=3))
    assert eligible(demand(grade_rank=-1), product(min_grade_rank=-1))
    result = run([demand(grade_rank=2), demand(demand_id=2, grade_rank=-1)], [product(min_grade_rank=3)])
    assert result["eligible"][:, 0].all()
    assert result["grade_state"][1, 0] == engine.UNKNOWN
    assert result["score"][1, 0] < result["score"][0, 0]


def test_ranking_prefers_cheaper_faster_better_rated_products():
    products = [
        product(product_id=1, rate_min=5.5, response_days=10, rating=2.0),
        product(product_id=2, rate_min=3.0, response_days=1, rating=5.0),
        product(product_id=3, rate_min=4.5, response_days=5, rating=3.0),
    ]
    d, p = engine.encode(
        pl.DataFrame([demand()], schema=DEMAND_SCHEMA), pl.DataFrame(products, schema=PRODUCT_SCHEMA)
    )
    _, cols, scores = engine.top_k(d, p, k=3)
    assert [int(p.ids[c]) for c in cols] == [2, 3, 1]
    assert list(scores) == sorted(scores, reverse=True)


def test_measured_speed_replaces_the_promised_one():
    promised = run([demand()], [product(response_days=2)])["speed"][0, 0]
    measured = run([demand()], [product(response_days=2, measured_response_days=15.0)])["speed"][0, 0]
    assert measured < promised


def test_top_k_skips_ineligible_products_and_keeps_blocks_consistent():
    demands = synthetic.demands(120, seed=5)
    products = synthetic.products(80, seed=6)
    d, p = engine.encode(demands, products)
    small = engine.top_k(d, p, k=5, block_size=7)
    large = engine.top_k(d, p, k=5, block_size=1000)
    for a, b in zip(small, large, strict=True):
        np.testing.assert_allclose(a, b)
    full = engine.evaluate(d, p, detail=False)
    rows, cols, _ = small
    assert full["eligible"][rows, cols].all()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_vectorised_engine_agrees_with_the_per_pair_reference(seed):
    demands = synthetic.demands(60, seed=seed)
    products = synthetic.products(90, seed=seed + 10)
    d, p = engine.encode(demands, products)
    result = Dense(engine.evaluate(d, p))
    scores = result["score"]
    for i, dem in enumerate(demands.to_dicts()):
        for j, prod in enumerate(products.to_dicts()):
            expected = reference.score_pair(dem, prod)
            if expected is None:
                assert not result["eligible"][i, j], (dem, prod)
            else:
                assert result["eligible"][i, j], (dem, prod)
                assert math.isclose(float(scores[i, j]), expected, abs_tol=1e-3)


def test_eligible_pairs_carry_points_that_add_up_to_the_score():
    d, p = engine.encode(synthetic.demands(30), synthetic.products(40))
    pairs = engine.eligible_pairs(d, p, block_size=8)
    assert pairs.height > 0
    total = sum(pairs[f"points_{factor}"] for factor in engine.WEIGHTS)
    np.testing.assert_allclose(total.to_numpy(), pairs["score"].to_numpy(), atol=0.05)
