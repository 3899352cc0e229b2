"""Financing API for institutions' systems: browse live demands and take one (接单); read and move
loan applications of their own institution (accept, approve, reject, return, assessment).

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


# --- Loan applications (FIN-P3 §7) -----------------------------------------------------------------


class ApplicationOut(Schema):
    id: int
    enterprise_name: str
    uscc: str
    product_id: int
    product_name: str
    amount: Decimal = Field(description="Requested amount, yuan.")
    term_months: int
    purpose: str
    status: str
    returned_from: str
    return_reason: str
    submitted_at: datetime
    accepted_at: datetime | None
    decided_at: datetime | None
    current_step: str = Field(description="accept | decide | disburse, empty when no time limit runs.")
    due_at: datetime | None
    approved_amount: Decimal | None
    approved_rate: Decimal | None
    approved_term_months: int | None
    conditions: str
    rejection_reason: str | None = Field(description="Rejection reason code.")
    rejection_text: str
    demand_id: int | None
    previous_id: int | None
    consent_grant_id: int | None
    materials: list[str] = Field(
        description="File names; the files are served to signed-in staff on the page."
    )


class ApplicationFilters(Schema):
    status: str = Field("", max_length=20)


class AcceptIn(Schema):
    comment: str = Field("", max_length=2000)


class ApproveIn(Schema):
    amount: Decimal = Field(
        max_digits=18, decimal_places=2, description="Yuan; at most the product's maximum."
    )
    rate: Decimal = Field(
        max_digits=6, decimal_places=2, description="Annual percent, within the product's range."
    )
    term_months: int
    conditions: str = Field("", max_length=2000)


class RejectIn(Schema):
    reason_code: str = Field("", max_length=40, description="Required: one of the rejection reason codes.")
    text: str = Field("", max_length=2000)


class ReturnIn(Schema):
    request_text: str = Field("", max_length=2000)


class SectionOut(Schema):
    scope: str
    category: str
    label: str
    records: list[dict]


class CreditProfileOut(Schema):
    uscc: str
    name: str
    scopes: list[str]
    sections: list[SectionOut]
    grant_id: int | None
    call_log_id: int | None


def _application_out(application) -> dict:
    return {
        **{
            name: getattr(application, name)
            for name in (
                "enterprise_name",
                "uscc",
                "product_id",
                "product_name",
                "amount",
                "term_months",
                "purpose",
                "status",
                "returned_from",
                "return_reason",
                "submitted_at",
                "accepted_at",
                "decided_at",
                "current_step",
                "due_at",
                "approved_amount",
                "approved_rate",
                "approved_term_months",
                "conditions",
                "rejection_text",
                "demand_id",
                "previous_id",
                "consent_grant_id",
            )
        },
        "id": application.pk,
        "rejection_reason": application.rejection_reason.code if application.rejection_reason else None,
        "materials": [m.original_name for m in application.materials.all()],
    }


class _LazyApplications(_LazyOut):
    def __getitem__(self, item):
        return [_application_out(application) for application in self.queryset[item]]


@router.get(
    "/applications",
    response={200: list[ApplicationOut], **_READ_ERRORS},
    summary="List your institution's loan applications",
)
@paginate(PagePagination)
def list_applications(request: HttpRequest, filters: Query[ApplicationFilters]):
    queryset = selectors.applications_for(actor=request.auth, status=filters.status or None)
    return _LazyApplications(request, queryset.prefetch_related("materials"))


@router.get(
    "/applications/{application_id}",
    response={200: ApplicationOut, 404: ErrorOut, **_READ_ERRORS},
    summary="One loan application",
)
def get_application(request: HttpRequest, application_id: int):
    return _application_out(selectors.get_application_for(actor=request.auth, application_id=application_id))


@router.get(
    "/applications/{application_id}/credit-profile",
    response={200: CreditProfileOut, 404: ErrorOut, **_READ_ERRORS},
    summary="The applicant's credit profile, through the consent gate",
    description="Only the scopes the enterprise granted for this application; every read is logged. "
    "API keys sign the request as for the consent API (X-DFSP-Timestamp, X-DFSP-Nonce, "
    "X-DFSP-Signature); refusals are 403 with a reason code: signature_* from the signature check, "
    "the gate's consent_* (consent_no_grant, consent_grant_ended, …).",
)
def application_credit_profile(request: HttpRequest, application_id: int):
    from dfsp.consent.gate import read_credit_profile
    from dfsp.consent.signatures import verify_request

    verify_request(request)  # API keys sign credit-data reads; session callers pass (CSRF-checked)
    application = selectors.get_application_for(actor=request.auth, application_id=application_id)
    profile = read_credit_profile(
        actor=request.auth,
        uscc=application.uscc,
        elements_or_scopes=list(application.product.data_scopes or []),
        purpose_type="application",
        purpose_id=str(application.pk),
        channel="api",
    )
    return {
        "uscc": profile.uscc,
        "name": profile.name,
        "scopes": profile.scopes,
        "sections": [vars(section) for section in profile.sections],
        "grant_id": profile.grant_id,
        "call_log_id": profile.call_log_id,
    }


def _moved(request, application):
    return _application_out(selectors.get_application_for(actor=request.auth, application_id=application.pk))


@router.post(
    "/applications/{application_id}/accept",
    response={200: ApplicationOut, **_WRITE_ERRORS},
    summary="Accept an application (受理)",
)
def accept(request: HttpRequest, application_id: int, payload: AcceptIn):
    application = services.accept_application(
        actor=request.auth, application_id=application_id, comment=payload.comment
    )
    return _moved(request, application)


@router.post(
    "/applications/{application_id}/approve",
    response={200: ApplicationOut, **_WRITE_ERRORS},
    summary="Approve with amount, rate, term and conditions",
)
def approve(request: HttpRequest, application_id: int, payload: ApproveIn):
    application = services.approve_application(
        actor=request.auth, application_id=application_id, **payload.dict()
    )
    return _moved(request, application)


@router.post(
    "/applications/{application_id}/reject",
    response={200: ApplicationOut, **_WRITE_ERRORS},
    summary="Reject with a reason code (required) and an explanation",
)
def reject(request: HttpRequest, application_id: int, payload: RejectIn):
    application = services.reject_application(
        actor=request.auth, application_id=application_id, **payload.dict()
    )
    return _moved(request, application)


@router.post(
    "/applications/{application_id}/return",
    response={200: ApplicationOut, **_WRITE_ERRORS},
    summary="Return for more information (补充材料)",
)
def return_for_information(request: HttpRequest, application_id: int, payload: ReturnIn):
    application = services.return_application(
        actor=request.auth, application_id=application_id, request_text=payload.request_text
    )
    return _moved(request, application)


@router.post(
    "/applications/{application_id}/assessment",
    response={200: dict, **_WRITE_ERRORS},
    summary="Scores from the decision models (credit app), read through the consent gate",
    description="API keys sign the request (as for the consent and credit APIs); refusals are 403 "
    "with signature_* or the gate's consent_* code.",
)
def assessment(request: HttpRequest, application_id: int):
    from dfsp.consent.signatures import verify_request

    verify_request(request)  # it reads credit data through the gate: signed like the credit API
    result = services.assess_application(actor=request.auth, application_id=application_id)
    # The computation inputs (``features``) are never returned wholesale.
    return {
        name: getattr(result, name, None)
        for name in (
            "uscc",
            "score",
            "grade",
            "base",
            "reasons",
            "fraud_score",
            "fraud_rules",
            "limit",
            "limit_derivation",
            "model_versions",
            "assessment_key",
            "created_at",
        )
    }
