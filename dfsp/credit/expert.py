"""The platform's expert versions: hand-set parameters, the fallback until a fitted scorecard is
validated and activated. The reasoning behind each number is in the comments.

Scale: base 600; one standard good enterprise (5 years, tax grade A, taxes 200k+ a year, a clean
record) lands around 700 (AA). Grade cut-offs are 40 points apart, the same ladder the fitted
scorecards use (600 points = good:bad odds 50:1, 40 points to double the odds: PDO scaling), so
expert and fitted grades mean roughly the same default rate.
"""

from dfsp.credit.states import GRADES

GRADE_CUTOFFS = [740, 700, 660, 620, 580, 540, 500, 460]  # AAA … CC; C below
DEFAULT_GRADES = [
    {"grade": grade, "min_score": GRADE_CUTOFFS[i] if i < len(GRADE_CUTOFFS) else None}
    for i, grade in enumerate(GRADES)
]
PDO_SCALE = {"base_score": 600, "base_odds": 50.0, "pdo": 40.0}


def _numeric(code, edges_points, missing):
    """edges_points: [(upper or None, points)] in increasing order."""
    return {
        "code": code,
        "kind": "numeric",
        "missing_points": missing,
        "bins": [{"upper": upper, "points": points} for upper, points in edges_points],
    }


EXPERT_SCORECARD = {
    "base": 600,
    "features": [
        # Start-ups fail most often; ten years of trading is strong evidence of viability.
        _numeric("years_in_business", [(1, -40), (3, -15), (5, 0), (10, 15), (None, 25)], -20),
        # The tax bureau's own grading of filing and payment discipline (A best, D worst).
        {
            "code": "tax_grade",
            "kind": "category",
            "missing_points": -20,
            "bins": [
                {"values": ["A"], "points": 40},
                {"values": ["B"], "points": 20},
                {"values": ["M"], "points": 0},
                {"values": ["C"], "points": -40},
                {"values": ["D"], "points": -80},
            ],
        },
        # Taxes actually paid (yuan, 12 months): the best proxy of real revenue we hold.
        _numeric(
            "annual_tax_paid", [(10000, -30), (50000, -10), (200000, 5), (1000000, 20), (None, 35)], -20
        ),
        _numeric("insured_count", [(3, -15), (10, 0), (50, 10), (None, 20)], -10),
        # Arrears to social insurance and utilities are early signs of cash strain.
        _numeric("si_arrears_months", [(1, 5), (3, -15), (None, -35)], 0),
        _numeric("utility_overdue_months", [(1, 5), (3, -10), (None, -25)], 0),
        _numeric("property_count", [(1, 0), (None, 10)], 0),
        _numeric("ip_count", [(1, 0), (5, 10), (None, 20)], 0),
        _numeric("judicial_cases", [(1, 5), (3, -10), (None, -30)], 0),
        # Being a dishonest debtor or listed by the regulator outweighs almost everything else.
        _numeric("dishonest_debtor", [(1, 0), (None, -120)], 0),
        _numeric("on_watchlist", [(1, 0), (None, -80)], 0),
        _numeric("penalties_count", [(1, 5), (3, -15), (None, -35)], 0),
        _numeric("honours_count", [(1, 0), (None, 10)], 0),
    ],
    "grades": DEFAULT_GRADES,
}

EXPERT_ANTI_FRAUD = {
    "cap": 100,
    "rules": {
        "new_large_amount": {"enabled": True, "weight": 30, "max_years": 1, "min_amount": 1000000},
        "shared_mobile": {"enabled": True, "weight": 25, "min_enterprises": 2},
        "application_burst": {"enabled": True, "weight": 20, "min_applications": 3, "window_days": 30},
        "watchlist": {"enabled": True, "weight": 40},
        "dishonest_debtor": {"enabled": True, "weight": 50},
        "legal_rep_many": {"enabled": True, "weight": 20, "min_enterprises": 5},
        "headcount_drop": {"enabled": True, "weight": 25, "min_drop_ratio": 0.5, "min_previous": 10},
    },
}

EXPERT_LIMIT = {
    "tax_burden": "0.04",  # all taxes ≈ 4 % of revenue for Daqing's small manufacturers and traders
    "revenue_share": "0.25",
    # Fallback without tax data: Daqing SMEs turn over roughly 150 000 yuan per insured employee;
    # set low on purpose, the headcount proxy is weaker than taxes actually paid.
    "revenue_per_employee": "150000",  # lend at most a quarter of a year's revenue (≈ 3 months of turnover)
    "grade_multipliers": {
        "AAA": "1.5",
        "AA": "1.3",
        "A": "1.15",
        "BBB": "1.0",
        "BB": "0.8",
        "B": "0.6",
        "CCC": "0.3",
        "CC": "0",
        "C": "0",
    },
    "fraud_review_score": 40,
    "fraud_review_factor": "0.5",
    "fraud_block_score": 70,
    "platform_cap": "10000000",  # 1 000 万元
    "rounding": "1000",
}

DEFAULT_MODELS = [
    ("platform_scorecard", "scorecard", "企业信用评分卡", EXPERT_SCORECARD),
    ("platform_anti_fraud", "anti_fraud", "反欺诈规则", EXPERT_ANTI_FRAUD),
    ("platform_limit", "limit", "授信额度测算", EXPERT_LIMIT),
]
