"""Matching API: a demand's matched products (the enterprise that published it) and a product's
matching demands (the institution that owns it). Another organisation's demand or product is 404,
exactly like one that does not exist. Demands carry no contact details here."""

from datetime import datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from dfsp.core.schemas import ErrorOut
from dfsp.matching import reasons, selectors, services

router = Router(tags=["matching"])

_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class ReasonOut(Schema):
    factor: str
    state: str = Field(description="e.g. ok, listed, all, met, unknown, district, city, province.")
    points: float
    max_points: float
    text: str = Field(description="In the request's language.")


class ProductMatchOut(Schema):
    product_id: int
    product_name: str
    institution_name: str
    score: float = Field(description="0..100; higher fits better.")
    computed_at: datetime
    reasons: list[ReasonOut]


class DemandMatchOut(Schema):
    demand_id: int
    title: str
    enterprise_name: str
    region_code: str
    industry: str
    scale: str
    amount: Decimal = Field(description="Yuan.")
    term_months: int
    acceptable_rate: Decimal
    guarantee: str
    urgency: str
    score: float
    computed_at: datetime
    reasons: list[ReasonOut]


class LimitIn(Schema):
    limit: int = Field(selectors.DEFAULT_LIMIT, ge=1, le=selectors.MAX_LIMIT)


def _reasons(match, *, owner: bool) -> list[dict]:
    return [
        {key: row[key] for key in ("factor", "state", "points", "max_points", "text")}
        for row in reasons.render(match, owner=owner)
    ]


@router.get(
    "/demands/{demand_id}/matches",
    response={200: list[ProductMatchOut], **_ERRORS},
    summary="Live products matching one of your demands, best first",
)
def demand_matches(request: HttpRequest, demand_id: int, params: Query[LimitIn]):
    selectors.get_own_demand(request.auth, demand_id)
    services.ensure_matched(demand_ids=[demand_id])
    _, matches = selectors.matches_for_demand(request.auth, demand_id, limit=params.limit)
    return [
        {
            "product_id": m.product_id,
            "product_name": m.product.name,
            "institution_name": m.product.institution_name,
            "score": m.score,
            "computed_at": m.computed_at,
            "reasons": _reasons(m, owner=True),
        }
        for m in matches
    ]


@router.get(
    "/products/{product_id}/matches",
    response={200: list[DemandMatchOut], **_ERRORS},
    summary="Live demands matching one of your products, best first",
)
def product_matches(request: HttpRequest, product_id: int, params: Query[LimitIn]):
    _, matches = selectors.matches_for_product(request.auth, product_id, limit=params.limit)
    return [
        {
            "demand_id": m.demand_id,
            "title": m.demand.title,
            "enterprise_name": m.demand.organisation.name,
            "region_code": m.demand.region_code,
            "industry": m.demand.industry,
            "scale": m.demand.scale,
            "amount": m.demand.amount,
            "term_months": m.demand.term_months,
            "acceptable_rate": m.demand.acceptable_rate,
            "guarantee": m.demand.guarantee,
            "urgency": m.demand.urgency,
            "score": m.score,
            "computed_at": m.computed_at,
            "reasons": _reasons(m, owner=False),
        }
        for m in matches
    ]
