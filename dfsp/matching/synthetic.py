"""Synthetic demand and product frames (in memory) for the benchmark and the engine's tests.

Values follow the platform's code sets and plausible Daqing ranges: amounts 10k–10M yuan,
products 10–2,000 万元, rates 3–15 %, Heilongjiang regions with Daqing over-represented.
"""

import numpy as np
import polars as pl

from dfsp.core.industries import ENTERPRISE_SCALES, GBT4754_SECTIONS
from dfsp.core.regions import HEILONGJIANG_DIVISIONS

REGIONS = [code for code in HEILONGJIANG_DIVISIONS if code != "230000"]
DAQING = [code for code in REGIONS if code.startswith("2306")]
INDUSTRIES = list(GBT4754_SECTIONS)
SCALES = list(ENTERPRISE_SCALES)
DEMAND_GUARANTEES = ["credit", "mortgage", "pledge", "guarantee", "other"]
PRODUCT_GUARANTEES = ["credit", "mortgage", "pledge", "guarantee"]


def _subset(rng, codes, n, empty_share, max_size):
    """n lists: empty (= all) with probability empty_share, else 1..max_size codes."""
    sizes = np.where(rng.random(n) < empty_share, 0, rng.integers(1, max_size + 1, n))
    return [list(rng.choice(codes, size=size, replace=False)) if size else [] for size in sizes]


def demands(n: int, *, seed: int = 1) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    regions = np.where(rng.random(n) < 0.6, rng.choice(DAQING, n), rng.choice(REGIONS, n))
    grade = rng.integers(0, 9, n)
    years = np.round(rng.gamma(2.0, 4.0, n), 1)
    return pl.DataFrame(
        {
            "demand_id": np.arange(1, n + 1, dtype=np.int64),
            "amount": np.round(np.exp(rng.uniform(np.log(1e4), np.log(1e7), n)), -3),
            "term_months": rng.choice([3, 6, 12, 24, 36, 60], n).astype(np.int32),
            "acceptable_rate": np.round(rng.uniform(3.0, 15.0, n), 2),
            "region_code": regions,
            "industry": rng.choice(INDUSTRIES, n),
            "scale": rng.choice(SCALES, n, p=[0.05, 0.2, 0.4, 0.35]),
            "guarantee": rng.choice(DEMAND_GUARANTEES, n),
            "grade_rank": np.where(rng.random(n) < 0.2, -1, grade).astype(np.int16),
            "years": np.where(rng.random(n) < 0.3, np.nan, years),
        }
    )


def products(n: int, *, seed: int = 2) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    amount_min = rng.choice([1.0, 10.0, 50.0, 100.0], n)
    amount_max = amount_min * rng.choice([10.0, 20.0, 50.0, 100.0], n)
    term_min = rng.choice([1, 3, 6, 12], n).astype(np.int32)
    rate_min = np.round(rng.uniform(3.0, 12.0, n), 2)
    region_pool = REGIONS + ["230000"]
    measured = np.where(rng.random(n) < 0.5, np.nan, np.round(rng.uniform(1, 20, n), 1))
    return pl.DataFrame(
        {
            "product_id": np.arange(1, n + 1, dtype=np.int64),
            "amount_min": amount_min,
            "amount_max": amount_max,
            "term_min": term_min,
            "term_max": (term_min * rng.choice([6, 12, 36], n)).astype(np.int32),
            "rate_min": rate_min,
            "target_regions": _subset(rng, region_pool, n, 0.3, 3),
            "industries": _subset(rng, INDUSTRIES, n, 0.5, 6),
            "scales": _subset(rng, SCALES, n, 0.4, 3),
            "guarantee_methods": _subset(rng, PRODUCT_GUARANTEES, n, 0.2, 3),
            "min_years": rng.choice([0, 0, 1, 2, 3, 5], n).astype(np.int32),
            "min_grade_rank": rng.choice([-1, -1, 2, 3, 4, 5], n).astype(np.int16),
            "response_days": rng.integers(1, 16, n).astype(np.int32),
            "measured_response_days": measured,
            "rating": np.round(rng.uniform(0, 5, n), 2),
            "rating_count": rng.integers(0, 50, n).astype(np.int64),
        },
        schema_overrides={
            "target_regions": pl.List(pl.String),
            "industries": pl.List(pl.String),
            "scales": pl.List(pl.String),
            "guarantee_methods": pl.List(pl.String),
        },
    )
