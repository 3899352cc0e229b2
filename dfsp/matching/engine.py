"""The vectorised matcher: demands × products as NumPy blocks, no Python loop over pairs.

Pure: Polars frames in, arrays or frames out; no Django. The app (services) and the benchmark
call the same functions. Units are normalised here once: demand amounts are yuan, product
amounts 万元 (10k yuan). Multi-valued product codes (regions, industries, scales, guarantees) become
membership matrices (code × product) over a vocabulary of the demands' codes, so "does the
product list the demand's code" is one row gather per demand.

Demand frame columns: demand_id, amount (yuan), term_months, acceptable_rate (%), region_code,
industry, scale, guarantee, grade_rank (0 = AAA … 8 = C; -1 unknown), years (float; NaN unknown).
Product frame columns: product_id, amount_min, amount_max (万元), term_min, term_max, rate_min,
target_regions, industries, scales, guarantee_methods (lists; empty = all), min_years,
min_grade_rank (-1 = no requirement), response_days, measured_response_days (NaN unknown),
rating (0..5), rating_count.
"""

from dataclasses import dataclass

import numpy as np
import polars as pl

YUAN_PER_WAN = 10_000.0
UNKNOWN_GUARANTEE = "other"  # the demand's "other" guarantee is discussed, not excluded

# Ranking weights (points out of 100); each factor's component is in 0..1.
WEIGHTS: dict[str, float] = {
    "rate": 25,
    "amount": 10,
    "term": 5,
    "region": 10,
    "industry": 10,
    "scale": 5,
    "guarantee": 5,
    "years": 5,
    "grade": 10,
    "speed": 10,
    "rating": 5,
}
RATE_FULL_MARGIN = 3.0  # percentage points below the acceptable rate that earn full rate points
SPEED_ZERO_DAYS = 21.0  # a response slower than this earns no speed points
# Region specificity: a product aimed at the demand's district fits better than a nationwide one.
REGION_POINTS = np.array([0.6, 0.75, 0.9, 1.0], dtype=np.float32)  # all, province, city, district
LISTED, OPEN, UNKNOWN = 2, 1, 0  # industry / scale / guarantee / years / grade states


@dataclass
class Vocabulary:
    codes: dict[str, int]

    @classmethod
    def build(cls, values) -> "Vocabulary":
        return cls({code: index for index, code in enumerate(dict.fromkeys(v for v in values if v))})

    def indices(self, values) -> np.ndarray:
        """Each value's index; absent or unknown values point at the last row (never a member)."""
        missing = len(self.codes)
        return np.array([self.codes.get(value, missing) for value in values], dtype=np.int32)

    def membership(self, lists) -> np.ndarray:
        """(codes + 1, products) bool: product j lists code i. The extra last row stays False."""
        out = np.zeros((len(self.codes) + 1, len(lists)), dtype=bool)
        for column, codes in enumerate(lists):
            for code in codes or ():
                index = self.codes.get(code)
                if index is not None:
                    out[index, column] = True
        return out


def region_level(code: str) -> int:
    """GB/T 2260: 1 province (xx0000), 2 city (xxxx00), 3 district or county."""
    if code.endswith("0000"):
        return 1
    if code.endswith("00"):
        return 2
    return 3


def region_ancestors(code: str) -> tuple[str, str, str]:
    """The demand's (district, city, province) codes; "" where the code is coarser."""
    level = region_level(code)
    return (
        code if level == 3 else "",
        code[:4] + "00" if level >= 2 else "",
        code[:2] + "0000",
    )


@dataclass
class DemandArrays:
    ids: np.ndarray
    amount_wan: np.ndarray
    term: np.ndarray
    rate: np.ndarray
    region: tuple  # (district, city, province) code indices into the region vocabulary
    industry: np.ndarray
    scale: np.ndarray
    guarantee: np.ndarray
    guarantee_unknown: np.ndarray
    grade: np.ndarray
    years: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)

    def slice(self, start: int, stop: int) -> "DemandArrays":
        return DemandArrays(
            **{
                name: (tuple(a[start:stop] for a in value) if isinstance(value, tuple) else value[start:stop])
                for name, value in self.__dict__.items()
            }
        )


@dataclass
class ProductArrays:
    ids: np.ndarray
    amount_min: np.ndarray
    amount_max: np.ndarray
    term_min: np.ndarray
    term_max: np.ndarray
    rate_min: np.ndarray
    regions: np.ndarray  # membership (region codes + 1, products)
    regions_all: np.ndarray
    industries: np.ndarray
    industries_all: np.ndarray
    scales: np.ndarray
    scales_all: np.ndarray
    guarantees: np.ndarray
    guarantees_all: np.ndarray
    min_years: np.ndarray
    min_grade: np.ndarray
    speed: np.ndarray
    rating: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)


def encode(demands: pl.DataFrame, products: pl.DataFrame) -> tuple[DemandArrays, ProductArrays]:
    """Turn the two frames into arrays over shared code vocabularies (done once per run)."""
    ancestors = [region_ancestors(code) for code in demands["region_code"].to_list()]
    regions = Vocabulary.build(code for codes in ancestors for code in codes)
    industries = Vocabulary.build(demands["industry"].to_list())
    scales = Vocabulary.build(demands["scale"].to_list())
    guarantee_values = demands["guarantee"].to_list()
    guarantees = Vocabulary.build(guarantee_values)
    d = DemandArrays(
        ids=demands["demand_id"].to_numpy(),
        # Amounts stay float64: a one-fen excess over a ceiling must still exclude.
        amount_wan=demands["amount"].cast(pl.Float64).to_numpy() / YUAN_PER_WAN,
        term=demands["term_months"].cast(pl.Int32).to_numpy(),
        rate=demands["acceptable_rate"].cast(pl.Float32).to_numpy(),
        region=tuple(regions.indices([codes[k] for codes in ancestors]) for k in range(3)),
        industry=industries.indices(demands["industry"].to_list()),
        scale=scales.indices(demands["scale"].to_list()),
        guarantee=guarantees.indices(guarantee_values),
        guarantee_unknown=np.array([g == UNKNOWN_GUARANTEE for g in guarantee_values], dtype=bool),
        grade=demands["grade_rank"].cast(pl.Int16).to_numpy(),
        years=demands["years"].cast(pl.Float32).fill_null(float("nan")).to_numpy(),
    )
    measured = products["measured_response_days"].cast(pl.Float64).fill_null(float("nan")).to_numpy()
    promised = products["response_days"].cast(pl.Float64).to_numpy()
    effective = np.where(np.isnan(measured), promised, measured)
    rated = products["rating_count"].cast(pl.Int64).to_numpy() > 0
    lists = {
        name: products[name].to_list()
        for name in ("target_regions", "industries", "scales", "guarantee_methods")
    }
    p = ProductArrays(
        ids=products["product_id"].to_numpy(),
        amount_min=products["amount_min"].cast(pl.Float64).to_numpy(),
        amount_max=products["amount_max"].cast(pl.Float64).to_numpy(),
        term_min=products["term_min"].cast(pl.Int32).to_numpy(),
        term_max=products["term_max"].cast(pl.Int32).to_numpy(),
        rate_min=products["rate_min"].cast(pl.Float32).to_numpy(),
        regions=regions.membership(lists["target_regions"]),
        regions_all=np.array([not codes for codes in lists["target_regions"]], dtype=bool),
        industries=industries.membership(lists["industries"]),
        industries_all=np.array([not codes for codes in lists["industries"]], dtype=bool),
        scales=scales.membership(lists["scales"]),
        scales_all=np.array([not codes for codes in lists["scales"]], dtype=bool),
        guarantees=guarantees.membership(lists["guarantee_methods"]),
        guarantees_all=np.array([not codes for codes in lists["guarantee_methods"]], dtype=bool),
        min_years=products["min_years"].cast(pl.Float32).to_numpy(),
        min_grade=products["min_grade_rank"].cast(pl.Int16).to_numpy(),
        speed=np.clip(1.0 - (effective - 1.0) / (SPEED_ZERO_DAYS - 1.0), 0.0, 1.0).astype(np.float32),
        rating=np.where(rated, products["rating"].cast(pl.Float64).to_numpy() / 5.0, 0.5).astype(np.float32),
    )
    return d, p


def evaluate(d: DemandArrays, p: ProductArrays, *, detail: bool = True) -> dict[str, np.ndarray]:
    """The block's ``eligible`` mask (demands × products), then for the eligible pairs only
    (1-D, ``demand_index``/``product_index`` into the block) the ``score`` (0..100) and, with
    ``detail``, each factor's component in 0..1 and the states reasons are written from.

    Eligibility is a handful of comparisons and row gathers from the products' membership
    matrices over the whole block; the arithmetic of scoring runs only where a pair is eligible."""
    amount = d.amount_wan[:, None]
    term = d.term[:, None]
    eligible = (amount >= p.amount_min[None, :]) & (amount <= p.amount_max[None, :])
    eligible &= (term >= p.term_min[None, :]) & (term <= p.term_max[None, :])
    eligible &= d.rate[:, None] >= p.rate_min[None, :]
    # Region: covered when the product lists the demand's district, its city or its province.
    district, city, province = (p.regions[index] for index in d.region)
    eligible &= district | city | province | p.regions_all[None, :]
    industry_listed = p.industries[d.industry]
    eligible &= industry_listed | p.industries_all[None, :]
    scale_listed = p.scales[d.scale]
    eligible &= scale_listed | p.scales_all[None, :]
    guarantee_listed = p.guarantees[d.guarantee]
    eligible &= guarantee_listed | p.guarantees_all[None, :] | d.guarantee_unknown[:, None]
    # Unknown years or grade do not exclude (NaN years compare False, so they are let through).
    with np.errstate(invalid="ignore"):
        eligible &= ~(d.years[:, None] < p.min_years[None, :])
    # Grades rank 0 (AAA) … 8 (C): a lower rank is a better grade; -1 is unknown / no requirement.
    eligible &= (
        (d.grade[:, None] <= p.min_grade[None, :]) | (d.grade < 0)[:, None] | (p.min_grade < 0)[None, :]
    )

    di, pi = np.nonzero(eligible)
    f32 = np.float32
    level = np.where(district[di, pi], 3, np.where(city[di, pi], 2, np.where(province[di, pi], 1, 0))).astype(
        np.int8
    )
    level[p.regions_all[pi]] = 0
    listed = {
        "industry": industry_listed[di, pi],
        "scale": scale_listed[di, pi],
        "guarantee": guarantee_listed[di, pi],
    }
    guarantee_unknown = d.guarantee_unknown[di] & ~p.guarantees_all[pi] & ~listed["guarantee"]
    years_required = p.min_years[pi] > 0
    years_unknown = np.isnan(d.years[di]) & years_required
    grade_required = p.min_grade[pi] >= 0
    grade_unknown = (d.grade[di] < 0) & grade_required
    component = {
        "rate": np.clip((d.rate[di] - p.rate_min[pi]) * f32(1.0 / RATE_FULL_MARGIN), 0.0, 1.0),
        # Headroom below the product's ceiling: at the ceiling half points, far below it full points.
        "amount": 1.0 - 0.5 * d.amount_wan[di] / np.maximum(p.amount_max[pi], f32(1e-9)),
        "term": np.ones(len(di), dtype=np.float32),
        "region": REGION_POINTS[level],
        "industry": np.where(listed["industry"], f32(1.0), f32(0.6)),
        "scale": np.where(listed["scale"], f32(1.0), f32(0.6)),
        "guarantee": np.where(listed["guarantee"], f32(1.0), np.where(guarantee_unknown, f32(0.4), f32(0.8))),
        "years": np.where(years_unknown, f32(0.4), f32(1.0)),
        "grade": np.where(grade_unknown, f32(0.3), f32(1.0)),
        "speed": p.speed[pi],
        "rating": p.rating[pi],
    }
    score = np.zeros(len(di), dtype=np.float32)
    for factor, weight in WEIGHTS.items():
        score += f32(weight) * component[factor].astype(np.float32)
    out = {"eligible": eligible, "demand_index": di, "product_index": pi, "score": score}
    if detail:
        out.update(component)
        out["region_level"] = level
        for name in ("industry", "scale"):
            out[f"{name}_state"] = np.where(listed[name], LISTED, OPEN).astype(np.int8)
        out["guarantee_state"] = np.where(
            listed["guarantee"], LISTED, np.where(guarantee_unknown, UNKNOWN, OPEN)
        ).astype(np.int8)
        out["years_state"] = np.where(years_required, np.where(years_unknown, UNKNOWN, LISTED), OPEN).astype(
            np.int8
        )
        out["grade_state"] = np.where(grade_required, np.where(grade_unknown, UNKNOWN, LISTED), OPEN).astype(
            np.int8
        )
    return out


def blocks(d: DemandArrays, block_size: int):
    for start in range(0, len(d), block_size):
        yield start, d.slice(start, min(start + block_size, len(d)))


def top_k(d: DemandArrays, p: ProductArrays, *, k: int, block_size: int = 1000):
    """The k best eligible products of every demand, block by block (memory bounded by
    block_size × products). Returns (demand_index, product_index, score) arrays, best first per
    demand; demands with fewer eligible products get fewer rows."""
    rows, cols, scores = [], [], []
    k = min(k, len(p))
    if k == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float32)
    for start, block in blocks(d, block_size):
        result = evaluate(block, p, detail=False)
        masked = np.full(result["eligible"].shape, -np.inf, dtype=np.float32)
        masked[result["demand_index"], result["product_index"]] = result["score"]
        best = (
            np.argpartition(-masked, k - 1, axis=1)[:, :k]
            if k < len(p)
            else np.tile(np.arange(len(p)), (len(block), 1))
        )
        best_scores = np.take_along_axis(masked, best, axis=1)
        order = np.argsort(-best_scores, axis=1, kind="stable")
        best = np.take_along_axis(best, order, axis=1)
        best_scores = np.take_along_axis(best_scores, order, axis=1)
        keep = np.isfinite(best_scores)
        demand_index = np.broadcast_to(np.arange(start, start + len(block))[:, None], best.shape)
        rows.append(demand_index[keep])
        cols.append(best[keep])
        scores.append(best_scores[keep])
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(scores)


STATE_COLUMNS = (
    "region_level",
    "industry_state",
    "scale_state",
    "guarantee_state",
    "years_state",
    "grade_state",
)


def eligible_pairs(d: DemandArrays, p: ProductArrays, *, block_size: int = 1000) -> pl.DataFrame:
    """Every eligible pair with its score, each factor's points and the states reasons are
    written from (one row per pair; the app stores them all)."""
    frames = []
    for _start, block in blocks(d, block_size):
        result = evaluate(block, p)
        di, pi = result["demand_index"], result["product_index"]
        columns = {
            "demand_id": block.ids[di],
            "product_id": p.ids[pi],
            "score": np.round(result["score"].astype(np.float64), 2),
        }
        for factor, weight in WEIGHTS.items():
            columns[f"points_{factor}"] = np.round(weight * result[factor].astype(np.float64), 2)
        for name in STATE_COLUMNS:
            columns[name] = result[name].astype(np.int8)
        frames.append(pl.DataFrame(columns))
    if not frames:
        return pl.DataFrame()
    return pl.concat(frames)
