"""Build the engine's frames from live demands and live products (one query each, no per-row
queries) plus what lower apps expose about enterprises and institutions.

Sources, and what happens when one is not there:
* the enterprise's own pre-assessment grade: ``dfsp.credit.selectors.latest_self_grades(usccs)``
  (uscc → grade); no grade → "grade unknown" (not excluded, fewer points);
* years in business: ``dfsp.enterprises.selectors.establishment_dates(usccs)`` (uscc → date) when
  enterprises exposes it; matching never reads raw credit data, so otherwise "unknown";
* measured response speed: ``dfsp.financing.selectors.application_statistics(institution=…)``
  (median working days to accept + to decide), else the product's promised response days.
"""

import importlib
from datetime import date
from decimal import Decimal

import polars as pl
from django.utils import timezone

from dfsp.credit.selectors import latest_self_grades
from dfsp.financing.models import Demand  # read-only: financing has no actor-less live-demand selector
from dfsp.financing.selectors import application_statistics
from dfsp.financing.states import DemandStatus
from dfsp.institutions.codes import CREDIT_GRADES
from dfsp.institutions.selectors import MarketFilters, search_products

GRADE_RANK = {grade: rank for rank, grade in enumerate(CREDIT_GRADES)}
LIST_COLUMNS = ("target_regions", "industries", "scales", "guarantee_methods")
DEMAND_SCHEMA = {
    "demand_id": pl.Int64,
    "organisation_id": pl.Int64,
    "amount": pl.Float64,
    "term_months": pl.Int32,
    "acceptable_rate": pl.Float64,
    "region_code": pl.String,
    "industry": pl.String,
    "scale": pl.String,
    "guarantee": pl.String,
    "grade_rank": pl.Int16,
    "years": pl.Float64,
}
PRODUCT_SCHEMA = {
    "product_id": pl.Int64,
    "organisation_id": pl.Int64,
    "amount_min": pl.Float64,
    "amount_max": pl.Float64,
    "term_min": pl.Int32,
    "term_max": pl.Int32,
    "rate_min": pl.Float64,
    **{name: pl.List(pl.String) for name in LIST_COLUMNS},
    "min_years": pl.Int32,
    "min_grade_rank": pl.Int16,
    "response_days": pl.Int32,
    "measured_response_days": pl.Float64,
    "rating": pl.Float64,
    "rating_count": pl.Int64,
}


def _optional(module: str, name: str):
    """A function a lower app may expose later; None while it does not."""
    try:
        return getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None


def self_grades(usccs: list[str]) -> dict[str, str]:
    if not usccs:
        return {}
    return {uscc: grade for uscc, grade in latest_self_grades(usccs).items() if grade}


def establishment_dates(usccs: list[str]) -> dict[str, date]:
    reader = _optional("dfsp.enterprises.selectors", "establishment_dates")
    if reader is None or not usccs:
        return {}
    return {uscc: day for uscc, day in (reader(usccs) or {}).items() if day}


def measured_response_days(institution_ids) -> dict[int, float]:
    """Median working days to accept plus median working days to decide, per institution, from
    the applications it handled on the platform; absent while it has decided none."""
    measured = {}
    for institution_id in set(institution_ids):
        stats = application_statistics(institution=institution_id)
        decide = (stats.get("decide") or {}).get("working_days", {}).get("median")
        if decide is None:
            continue
        accept = (stats.get("accept") or {}).get("working_days", {}).get("median") or 0
        measured[institution_id] = float(accept) + float(decide)
    return measured


def live_demands(demand_ids=None):
    queryset = Demand.objects.filter(status=DemandStatus.LIVE, valid_until__gte=timezone.localdate())
    if demand_ids is not None:
        queryset = queryset.filter(pk__in=list(demand_ids))
    return queryset


def demand_frame(demand_ids=None) -> pl.DataFrame:
    rows = list(
        live_demands(demand_ids).values_list(
            "pk",
            "organisation_id",
            "organisation__uscc",
            "amount",
            "term_months",
            "acceptable_rate",
            "region_code",
            "industry",
            "scale",
            "guarantee",
        )
    )
    usccs = sorted({row[2] for row in rows if row[2]})
    grades = self_grades(usccs)
    founded = establishment_dates(usccs)
    today = timezone.localdate()
    records = []
    for pk, org_id, uscc, amount, term, rate, region, industry, scale, guarantee in rows:
        established = founded.get(uscc)
        records.append(
            {
                "demand_id": pk,
                "organisation_id": org_id,
                "amount": float(amount),
                "term_months": term,
                "acceptable_rate": float(rate),
                "region_code": region,
                "industry": industry,
                "scale": scale,
                "guarantee": guarantee,
                "grade_rank": GRADE_RANK.get(grades.get(uscc, ""), -1),
                "years": (today - established).days / 365.25 if established else None,
            }
        )
    return pl.DataFrame(records, schema=DEMAND_SCHEMA)


def live_products(product_ids=None):
    queryset = search_products(MarketFilters()).order_by("pk")
    if product_ids is not None:
        queryset = queryset.filter(pk__in=list(product_ids))
    return queryset


def product_frame(product_ids=None) -> pl.DataFrame:
    fields = [
        "pk",
        "organisation_id",
        "amount_min",
        "amount_max",
        "term_min",
        "term_max",
        "rate_min",
        *LIST_COLUMNS,
        "min_years",
        "min_credit_grade",
        "response_days",
        "rating",
        "rating_count",
    ]
    rows = list(live_products(product_ids).values(*fields))
    measured = measured_response_days(row["organisation_id"] for row in rows)
    records = []
    for row in rows:
        record = {key: (float(value) if isinstance(value, Decimal) else value) for key, value in row.items()}
        record["product_id"] = record.pop("pk")
        record["min_grade_rank"] = GRADE_RANK.get(record.pop("min_credit_grade") or "", -1)
        record["measured_response_days"] = measured.get(row["organisation_id"])
        for name in LIST_COLUMNS:
            record[name] = [str(code) for code in record[name] or []]
        records.append(record)
    return pl.DataFrame(records, schema=PRODUCT_SCHEMA)
