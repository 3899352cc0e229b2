"""Synthetic enterprise credit data (vectorised): realistic distributions, a known share of dirty rows.

Used by ``manage.py generate_credit_data``, the benchmark and the tests. Valid identifiers carry
correct check characters (GB 32100, GB 11643); dirty rows break exactly one rule each and are
listed in ``dirty.csv`` so a test can compare what the quality check found with what was planted.
"""

from datetime import date
from pathlib import Path

import polars as pl

from dfsp.core.regions import HEILONGJIANG_DIVISIONS
from dfsp.datahub.catalogue import GBT4754_DIVISIONS
from dfsp.datahub.pipeline import RIC_CHECK, RIC_WEIGHTS, USCC_ALPHABET, USCC_WEIGHTS

DISTRICTS = [c for c in HEILONGJIANG_DIVISIONS if not c.endswith("00")]
SURNAMES = list("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕")
GIVEN = list("建国明华伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛超平刚桂红霞志鹏宇浩然晨阳海峰文博")
WORDS = [
    "华源",
    "丰禾",
    "龙腾",
    "鑫达",
    "金诚",
    "北方",
    "石化",
    "宏远",
    "瑞祥",
    "恒信",
    "天润",
    "绿野",
    "兴隆",
    "博瑞",
    "嘉禾",
    "远航",
]
SUFFIXES = ["有限公司", "有限责任公司", "股份有限公司", "商贸有限公司", "科技有限公司"]
TAX_GRADES = (["A", "B", "M", "C", "D"], [0.18, 0.47, 0.22, 0.09, 0.04])
SCALES = (["micro", "small", "medium", "large"], [0.62, 0.29, 0.08, 0.01])
ENT_TYPES = (["llc", "jsc", "sole", "partnership", "coop"], [0.78, 0.05, 0.08, 0.04, 0.05])
REG_STATUS = (["active", "revoked", "cancelled", "moved"], [0.93, 0.03, 0.03, 0.01])
MOBILE_PREFIXES = ["138", "139", "150", "186", "133", "177"]


class Random:
    """Deterministic, vectorised pseudo-random columns from hashed row numbers (no NumPy needed)."""

    def __init__(self, n: int, seed: int) -> None:
        self.n, self.seed, self.calls = n, seed, 0

    def _hash(self) -> pl.Series:
        self.calls += 1
        return pl.int_range(0, self.n, eager=True, dtype=pl.UInt64).hash(self.seed * 1000 + self.calls)

    def integers(self, low: int, high: int) -> pl.Series:
        return (self._hash() % (high - low)).cast(pl.Int64) + low

    def uniform(self) -> pl.Series:
        return ((self._hash() // 2048).cast(pl.Float64) + 0.5) / float(1 << 53)

    def normal(self, mean: float, sd: float) -> pl.Series:
        u1, u2 = self.uniform(), self.uniform()
        return (-2.0 * u1.log()).sqrt() * (6.283185307179586 * u2).cos() * sd + mean

    def choice(self, options, weights=None) -> pl.Series:
        options = list(options)
        if weights is None:
            return pl.Series(options).gather(self.integers(0, len(options)))
        cumulative = pl.Series([sum(weights[: i + 1]) for i in range(len(weights))]) / sum(weights)
        index = cumulative.search_sorted(self.uniform()).clip(upper_bound=len(options) - 1)
        return pl.Series(options).gather(index)


def _check_char(first: pl.Expr, alphabet: str, weights, modulus: int, check_of: dict) -> pl.Expr:
    values = {c: i for i, c in enumerate(alphabet)}
    total = pl.lit(0, dtype=pl.Int64)
    for i, weight in enumerate(weights):
        total = total + first.str.slice(i, 1).replace_strict(values, return_dtype=pl.Int64) * weight
    return (total % modulus).replace_strict(check_of, return_dtype=pl.String)


def _uscc_expr(division: pl.Expr, base8: pl.Expr) -> pl.Expr:
    org_values = {str(d): d for d in range(10)}
    org = pl.lit(0, dtype=pl.Int64)
    for i, weight in enumerate((3, 7, 9, 10, 5, 8, 4, 2)):
        org = org + base8.str.slice(i, 1).replace_strict(org_values, return_dtype=pl.Int64) * weight
    org_check = (11 - org % 11).replace_strict({10: "X", 11: "0"}, default=None, return_dtype=pl.String)
    org_check = org_check.fill_null((11 - org % 11).cast(pl.String))
    first17 = pl.concat_str([pl.lit("91"), division, base8, org_check])
    check = _check_char(
        first17, USCC_ALPHABET, USCC_WEIGHTS, 31, {r: USCC_ALPHABET[(31 - r) % 31] for r in range(31)}
    )
    return pl.concat_str([first17, check])


def _id_expr(division: pl.Expr, birth: pl.Expr, seq: pl.Expr) -> pl.Expr:
    first17 = pl.concat_str([division, birth.dt.strftime("%Y%m%d"), seq])
    check = _check_char(first17, "0123456789", RIC_WEIGHTS, 11, dict(enumerate(RIC_CHECK)))
    return pl.concat_str([first17, check])


def registration_frame(n: int, *, seed: int = 2026, today: date | None = None) -> pl.DataFrame:
    r = Random(n, seed)
    today = today or date.today()
    sections = {d: s for d, (s, _) in GBT4754_DIVISIONS.items()}
    frame = pl.DataFrame(
        {
            "division": r.choice(DISTRICTS),
            "base8": r.integers(0, 10**8).cast(pl.String).str.zfill(8),
            "w1": r.choice(WORDS),
            "w2": r.choice(WORDS),
            "suffix": r.choice(SUFFIXES),
            "reg_status": r.choice(*REG_STATUS),
            "capital": r.normal(5.7, 1.3).exp().round(2),
            "age_days": r.integers(200, 365 * 25),
            "rep1": r.choice(SURNAMES),
            "rep2": r.choice(GIVEN),
            "rep3": r.choice(GIVEN),
            "birth_days": r.integers(0, 365 * 40),
            "seq": r.integers(0, 1000).cast(pl.String).str.zfill(3),
            "mobile_prefix": r.choice(MOBILE_PREFIXES),
            "mobile_rest": r.integers(0, 10**8).cast(pl.String).str.zfill(8),
            "industry_division": r.choice(list(GBT4754_DIVISIONS)),
            "ent_type": r.choice(*ENT_TYPES),
            "scale": r.choice(*SCALES),
            "road": r.choice(WORDS),
        }
    )
    return frame.select(
        _uscc_expr(pl.col("division"), pl.col("base8")).alias("uscc"),
        pl.concat_str([pl.lit("大庆市"), pl.col("w1"), pl.col("w2"), pl.col("suffix")]).alias("ent_name"),
        pl.col("reg_status"),
        pl.col("capital").cast(pl.String).alias("reg_capital"),
        (pl.lit(today) - pl.duration(days=pl.col("age_days")))
        .cast(pl.Date)
        .cast(pl.String)
        .alias("established_on"),
        pl.concat_str([pl.col("rep1"), pl.col("rep2"), pl.col("rep3")]).alias("legal_rep_name"),
        _id_expr(
            pl.col("division"),
            (pl.lit(date(1960, 1, 1)) + pl.duration(days=pl.col("birth_days"))).cast(pl.Date),
            pl.col("seq"),
        ).alias("legal_rep_id"),
        pl.concat_str([pl.col("mobile_prefix"), pl.col("mobile_rest")]).alias("legal_rep_mobile"),
        pl.col("division"),
        pl.col("industry_division").replace_strict(sections, return_dtype=pl.String).alias("industry"),
        pl.col("industry_division"),
        pl.col("ent_type"),
        pl.col("scale"),
        pl.concat_str([pl.lit("黑龙江省大庆市"), pl.col("road"), pl.lit("路88号")]).alias("address"),
    )


DIRT = {
    "registration": [
        ("uscc", "BADCHECK", "uscc-check"),
        ("ent_name", None, "reg-name-present"),
        ("division", "999999", "reg-division-code"),
        ("reg_capital", "-5", "reg-capital-range"),
        ("established_on", "2099-01-01", "reg-established-past"),
    ],
    "tax": [("tax_grade", "E", "tax-grade-code"), ("tax_paid", "-100", "tax-paid-range")],
}


def make_dirty(
    frame: pl.DataFrame, category: str, share: float, *, seed: int = 7
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Break exactly one rule in ``share`` of the rows; return (frame, planted rows and rules)."""
    n = frame.height
    r = Random(n, seed)
    kinds = DIRT[category]
    frame = frame.with_columns(
        (r.uniform() < share).alias("__dirty"),
        r.integers(0, len(kinds)).alias("__kind"),
        pl.int_range(2, n + 2, dtype=pl.Int64).alias("__row"),
    )
    updates = []
    for k, (column, value, _rule) in enumerate(kinds):
        hit = pl.col("__dirty") & (pl.col("__kind") == k)
        if value == "BADCHECK":
            last = pl.col(column).str.slice(17, 1)
            broken = pl.concat_str(
                [
                    pl.col(column).str.slice(0, 17),
                    pl.when(last == "1").then(pl.lit("2")).otherwise(pl.lit("1")),
                ]
            )
        else:
            broken = pl.lit(value, dtype=pl.String)
        updates.append((column, hit, broken))
    for column, hit, broken in updates:
        frame = frame.with_columns(pl.when(hit).then(broken).otherwise(pl.col(column)).alias(column))
    rules = pl.Series([rule for _, _, rule in kinds])
    planted = frame.filter(pl.col("__dirty")).select(
        pl.col("__row").alias("row"),
        pl.col("__kind").map_batches(lambda s: rules.gather(s), return_dtype=pl.String).alias("rule"),
    )
    return frame.drop("__dirty", "__kind", "__row"), planted


def tax_frame(usccs: pl.Series, *, seed: int = 11, period: str | None = None) -> pl.DataFrame:
    n = len(usccs)
    r = Random(n, seed)
    period = period or date.today().strftime("%Y-%m")
    arrears = pl.when(r.uniform() < 0.05).then(r.normal(8.0, 1.0).exp().round(2)).otherwise(0.0)
    return pl.DataFrame({"uscc": usccs}).with_columns(
        pl.lit(period).alias("period"),
        r.choice(*TAX_GRADES).alias("tax_grade"),
        r.normal(10.8, 1.5).exp().round(2).cast(pl.String).alias("tax_paid"),
        arrears.cast(pl.String).alias("tax_arrears"),
    )


def social_insurance_frame(usccs: pl.Series, *, seed: int = 13) -> pl.DataFrame:
    n = len(usccs)
    r = Random(n, seed)
    period = date.today().strftime("%Y-%m")
    arrears = pl.when(r.uniform() < 0.04).then(r.normal(7.5, 1.0).exp().round(2)).otherwise(0.0)
    return pl.DataFrame({"uscc": usccs}).with_columns(
        pl.lit(period).alias("period"),
        r.normal(2.5, 1.0).exp().cast(pl.Int64).clip(lower_bound=1).cast(pl.String).alias("insured_count"),
        arrears.cast(pl.String).alias("si_arrears"),
    )


def generate(*, enterprises: int, out: Path, dirty_share: float = 0.02, seed: int = 2026) -> dict:
    """Write registration.csv, tax.csv, social_insurance.csv and dirty.csv (planted rule breaks)."""
    out.mkdir(parents=True, exist_ok=True)
    registration = registration_frame(enterprises, seed=seed)
    clean_usccs = registration["uscc"]
    registration, planted = make_dirty(registration, "registration", dirty_share)
    registration.write_csv(out / "registration.csv")
    tax, planted_tax = make_dirty(tax_frame(clean_usccs), "tax", dirty_share)
    tax.write_csv(out / "tax.csv")
    social_insurance_frame(clean_usccs).write_csv(out / "social_insurance.csv")
    pl.concat(
        [
            planted.with_columns(pl.lit("registration").alias("file")),
            planted_tax.with_columns(pl.lit("tax").alias("file")),
        ]
    ).write_csv(out / "dirty.csv")
    return {"enterprises": enterprises, "dirty_registration": planted.height, "dirty_tax": planted_tax.height}
