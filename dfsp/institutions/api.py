"""Institutions API: the supermarket listing for institutions' systems, and product management
(create, update, submit, take offline/online, list own). Every operation requires a caller
(API key or session); the public supermarket is served as pages (see views.py)."""

from datetime import datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from dfsp.core.pagination import PagePagination
from dfsp.core.schemas import ErrorOut, InputSchema
from dfsp.institutions import selectors, services
from dfsp.institutions.codes import ProductType
from dfsp.institutions.selectors import SORTS, MarketFilters

router = Router(tags=["institutions"])

_READ_ERRORS = {401: ErrorOut, 403: ErrorOut, 422: ErrorOut}
_WRITE_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class ProductOut(Schema):
    id: int
    status: str
    institution_id: int = Field(alias="organisation_id")
    institution_name: str
    institution_type: str = Field(alias="institution_subtype")
    name: str
    product_type: str
    amount_min: Decimal
    amount_max: Decimal
    term_min: int
    term_max: int
    rate_min: Decimal
    rate_max: Decimal
    repayment_methods: list[str]
    guarantee_methods: list[str]
    tags: list[str]
    target_regions: list[str]
    industries: list[str]
    scales: list[str]
    min_years: int
    min_credit_grade: str
    data_scopes: list[str]
    materials: list[str]
    response_days: int
    description: str
    contact_name: str
    contact_phone: str
    applications_count: int
    rating: Decimal
    listed_at: datetime | None


class RevisionOut(Schema):
    number: int
    status: str
    content: dict
    submitted_at: datetime | None
    reviewed_at: datetime | None
    review_reason: str


class ProductIn(InputSchema):
    name: str = Field(min_length=1, max_length=100)
    product_type: ProductType
    amount_min: Decimal | None = Field(None, ge=0, description="10k yuan")
    amount_max: Decimal | None = Field(None, ge=0, description="10k yuan")
    term_min: int | None = Field(None, ge=1, le=1200, description="months")
    term_max: int | None = Field(None, ge=1, le=1200, description="months")
    rate_min: Decimal | None = Field(None, ge=0, le=100, description="annual %")
    rate_max: Decimal | None = Field(None, ge=0, le=100, description="annual %")
    repayment_methods: list[str] = []
    guarantee_methods: list[str] = []
    tags: list[str] = []
    target_regions: list[str] = Field([], description="GB/T 2260 codes")
    industries: list[str] = Field([], description="GB/T 4754 sections")
    scales: list[str] = []
    min_years: int = Field(0, ge=0, le=100)
    min_credit_grade: str = ""
    data_scopes: list[str] = []
    materials: list[str] = []
    response_days: int | None = Field(None, ge=1, le=60, description="working days")
    description: str = Field("", max_length=4000)
    contact_name: str = Field("", max_length=60)
    contact_phone: str = Field("", max_length=30)


class OfflineIn(InputSchema):
    reason: str = Field("", max_length=500)


class MarketQuery(Schema):
    q: str = Field("", max_length=50)
    product_type: list[str] = []
    tag: list[str] = []
    institution: list[int] = []
    institution_type: list[str] = []
    guarantee: list[str] = []
    region: str = Field("", max_length=6)
    industry: str = Field("", max_length=1)
    amount: Decimal | None = Field(None, ge=0, lt=Decimal("1e12"))
    term: int | None = Field(None, ge=1, le=1200)
    rate_max: Decimal | None = Field(None, ge=0, le=100)
    sort: str = Field("recommended", pattern="^(" + "|".join(SORTS) + ")$")


class FacetsOut(Schema):
    total: int
    product_type: dict[str, int]
    institution_type: dict[str, int]
    institution: dict[str, dict]
    tag: dict[str, int]
    guarantee: dict[str, int]
    region: dict[str, int]
    industry: dict[str, int]
    amount: dict[str, int]
    term: dict[str, int]
    rate: dict[str, int]


def _content(payload: ProductIn) -> dict:
    data = payload.model_dump()
    data["product_type"] = str(payload.product_type.value)
    return data


@router.get("/supermarket", response={200: list[ProductOut], **_READ_ERRORS}, summary="Live products")
@paginate(PagePagination)
def supermarket(request: HttpRequest, filters: Query[MarketQuery]):
    return selectors.search_products(MarketFilters(**filters.model_dump()))


@router.get("/supermarket/facets", response={200: FacetsOut, **_READ_ERRORS}, summary="Facet counts")
def supermarket_facets(request: HttpRequest, filters: Query[MarketQuery]):
    counts = dict(selectors.market_facet_counts(MarketFilters(**filters.model_dump())))
    counts["institution"] = {str(key): value for key, value in counts["institution"].items()}
    return counts


@router.get(
    "/products", response={200: list[ProductOut], **_READ_ERRORS}, summary="Your institution's products"
)
@paginate(PagePagination)
def list_products(request: HttpRequest):
    return selectors.list_products_for(request.auth)


@router.get(
    "/products/{product_id}", response={200: ProductOut, 404: ErrorOut, **_READ_ERRORS}, summary="One product"
)
def get_product(request: HttpRequest, product_id: int):
    return selectors.get_product_for(request.auth, product_id)


@router.get(
    "/products/{product_id}/revisions",
    response={200: list[RevisionOut], 404: ErrorOut, **_READ_ERRORS},
    summary="A product's revisions",
)
def list_revisions(request: HttpRequest, product_id: int):
    return list(selectors.get_product_for(request.auth, product_id).revisions.all())


@router.post("/products", response={201: ProductOut, **_WRITE_ERRORS}, summary="Create a product (draft)")
def create_product(request: HttpRequest, payload: ProductIn):
    return Status(201, services.create_product(actor=request.auth, content=_content(payload)))


@router.put(
    "/products/{product_id}",
    response={200: RevisionOut, **_WRITE_ERRORS},
    summary="Edit a product (draft revision)",
)
def update_product(request: HttpRequest, product_id: int, payload: ProductIn):
    return services.update_product(actor=request.auth, product_id=product_id, content=_content(payload))


@router.post(
    "/products/{product_id}/submit", response={200: RevisionOut, **_WRITE_ERRORS}, summary="Submit for review"
)
def submit_product(request: HttpRequest, product_id: int):
    return services.submit_product(actor=request.auth, product_id=product_id)


@router.post(
    "/products/{product_id}/offline", response={200: ProductOut, **_WRITE_ERRORS}, summary="Take offline"
)
def take_offline(request: HttpRequest, product_id: int, payload: OfflineIn):
    return services.take_product_offline(actor=request.auth, product_id=product_id, reason=payload.reason)


@router.post(
    "/products/{product_id}/online", response={200: ProductOut, **_WRITE_ERRORS}, summary="Bring online"
)
def bring_online(request: HttpRequest, product_id: int):
    return services.bring_product_online(actor=request.auth, product_id=product_id)
