"""Financing API for institutions' systems: browse live demands and take one (接单).

Thin: parse, call one selector or service, render. Contact details are null unless the enterprise
has shown them to the calling institution. ``POST …/take`` honours Idempotency-Key (middleware).
"""

from datetime import date, datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from dfsp.core.industries import ENTERPRISE_SCALES, GBT4754_SECTIONS
from dfsp.core.pagination import PagePagination
from dfsp.core.regions import full_region_name
from dfsp.core.schemas import ErrorOut
from dfsp.financing import selectors, services

router = Router(tags=["financing"])

_READ_ERRORS = {401: ErrorOut, 403: ErrorOut, 422: ErrorOut}
_WRITE_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class DemandOut(Schema):
    id: int
    title: str
    enterprise_name: str
    region_code: str
    region_name: str
    industry: str = Field(description="GB/T 4754 section letter.")
    industry_name: str
    scale: str = Field(description="工信部 scale class: large, medium, small, micro.")
    scale_name: str
    amount: Decimal = Field(description="Yuan, two decimals.")
    term_months: int
    purpose: str
    acceptable_rate: Decimal = Field(description="Highest acceptable annual rate, percent.")
    guarantee: str
    urgency: str
    valid_until: date
    status: str
    published_at: datetime | None
    taken_by_you: bool
    contact_name: str | None = Field(description="Null until the enterprise shows it to your institution.")
    contact_mobile: str | None


class DemandFilters(Schema):
    region_code: str = Field(
        "", max_length=6, description="GB/T 2260 code; a city code includes its districts."
    )
    industry: str = Field("", max_length=1)
    scale: str = Field("", max_length=10)
    urgency: str = Field("", max_length=20)
    guarantee: str = Field("", max_length=20)
    min_amount: Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=2)
    max_amount: Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=2)


def _out(request, demand) -> dict:
    caller = request.auth
    visible = selectors.contact_visible(caller, demand)
    organisation = getattr(caller, "organisation", None)
    return {
        "id": demand.pk,
        "title": demand.title,
        "enterprise_name": demand.organisation.name,
        "region_code": demand.region_code,
        "region_name": full_region_name(demand.region_code),
        "industry": demand.industry,
        "industry_name": GBT4754_SECTIONS.get(demand.industry, ""),
        "scale": demand.scale,
        "scale_name": ENTERPRISE_SCALES.get(demand.scale, ""),
        "amount": demand.amount,
        "term_months": demand.term_months,
        "purpose": demand.purpose,
        "acceptable_rate": demand.acceptable_rate,
        "guarantee": demand.guarantee,
        "urgency": demand.urgency,
        "valid_until": demand.valid_until,
        "status": demand.status,
        "published_at": demand.published_at,
        "taken_by_you": organisation is not None and demand.taken_by_organisation_id == organisation.pk,
        "contact_name": demand.contact_name if visible else None,
        "contact_mobile": demand.contact_mobile if visible else None,
    }


@router.get(
    "/demands", response={200: list[DemandOut], **_READ_ERRORS}, summary="List live financing demands"
)
@paginate(PagePagination)
def list_demands(request: HttpRequest, filters: Query[DemandFilters]):
    queryset = selectors.live_demands(request.auth, **filters.dict())
    return _LazyOut(request, queryset)


class _LazyOut:
    """Serialise only the page the paginator slices out."""

    def __init__(self, request, queryset):
        self.request, self.queryset = request, queryset

    def __getitem__(self, item):
        return [_out(self.request, demand) for demand in self.queryset[item]]

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()


@router.get(
    "/demands/{demand_id}", response={200: DemandOut, 404: ErrorOut, **_READ_ERRORS}, summary="One demand"
)
def get_demand(request: HttpRequest, demand_id: int):
    return _out(request, selectors.get_demand_for(request.auth, demand_id))


@router.post(
    "/demands/{demand_id}/take",
    response={200: DemandOut, **_WRITE_ERRORS},
    summary="Take a live demand (接单)",
    description="Only one institution can take a demand: a second attempt is 409 demand_already_taken.",
)
def take(request: HttpRequest, demand_id: int):
    demand = services.take_demand(actor=request.auth, demand_id=demand_id)
    return _out(request, selectors.get_demand_for(request.auth, demand.pk))
