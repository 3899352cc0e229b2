"""Consent API for institutions' systems: request a grant, read a profile under a grant, list own
grants and call logs. API-key callers sign every request (see ``signatures``); refusals are 403
with a reason code (``consent_*`` from the gate, ``signature_*`` from the signature check)."""

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from dfsp.consent import gate, selectors, services, signatures
from dfsp.consent.states import Channel, PurposeType
from dfsp.core.errors import AccessDenied
from dfsp.core.pagination import PagePagination
from dfsp.core.schemas import ErrorOut, InputSchema

router = Router(tags=["consent"])

_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _institution_only(request: HttpRequest) -> None:
    signatures.verify_request(request)
    if not request.auth.has_any_role(selectors.INSTITUTION_ROLES):
        raise AccessDenied()


class GrantRequestIn(InputSchema):
    uscc: str = Field(min_length=18, max_length=18)
    scope_codes: list[str] = Field(min_length=1, max_length=20)
    purpose_type: PurposeType
    purpose_id: str = Field(min_length=1, max_length=64)
    reason: str = Field(min_length=1, max_length=300)
    query_limit: int | None = Field(None, ge=1, le=100000)
    valid_until: datetime | None = None


class GrantRequestOut(Schema):
    id: int
    status: str
    uscc: str
    scope_codes: list[str]
    purpose_type: str
    purpose_id: str
    created_at: datetime


class ProfileQueryIn(InputSchema):
    uscc: str = Field(min_length=1, max_length=18)
    scopes: list[str] = Field(min_length=1, max_length=50, description="scope codes or data element codes")
    purpose_type: PurposeType
    purpose_id: str = Field(min_length=1, max_length=64)


class RecordOut(Schema):
    period: str
    event_date: date | None
    values: dict[str, str]


class SectionOut(Schema):
    scope: str
    category: str
    label: str
    records: list[RecordOut]


class ProfileOut(Schema):
    uscc: str
    name: str
    scopes: list[str]
    sections: list[SectionOut]
    grant_id: int | None
    remaining: int | None
    call_log_id: int | None


class GrantOut(Schema):
    id: int
    uscc: str
    enterprise_name: str = Field(alias="enterprise.name")
    scope_codes: list[str]
    purpose_type: str
    purpose_id: str
    status: str
    valid_until: datetime
    query_limit: int | None
    query_count: int
    template_version: int = Field(alias="template.version")
    text_hash: str
    signed_at: datetime


class CallLogOut(Schema):
    id: int
    occurred_at: datetime
    username: str
    api_key_prefix: str
    uscc: str
    requested: list[str]
    returned: list[str]
    purpose_type: str
    purpose_id: str
    grant_id: int | None
    allowed: bool
    reason: str
    channel: str
    request_id: str


@router.post("/requests", response={201: GrantRequestOut, **_ERRORS}, summary="Ask an enterprise for a grant")
def create_request(request: HttpRequest, payload: GrantRequestIn):
    _institution_only(request)
    req = services.request_grant(
        actor=request.auth,
        uscc=payload.uscc,
        scope_codes=payload.scope_codes,
        purpose_type=payload.purpose_type.value,
        purpose_id=payload.purpose_id,
        reason=payload.reason,
        query_limit=payload.query_limit,
        valid_until=payload.valid_until,
    )
    return Status(201, req)


@router.post(
    "/profile-queries", response={200: ProfileOut, **_ERRORS}, summary="Read a credit profile under a grant"
)
def query_profile(request: HttpRequest, payload: ProfileQueryIn):
    _institution_only(request)
    profile = gate.read_credit_profile(
        actor=request.auth,
        uscc=payload.uscc,
        elements_or_scopes=payload.scopes,
        purpose_type=payload.purpose_type.value,
        purpose_id=payload.purpose_id,
        channel=Channel.API,
    )
    return profile


@router.get("/grants", response={200: list[GrantOut], **_ERRORS}, summary="Own grants")
@paginate(PagePagination)
def list_grants(request: HttpRequest):
    _institution_only(request)
    return selectors.grants_for(request.auth)


@router.get("/call-logs", response={200: list[CallLogOut], **_ERRORS}, summary="Own call logs")
@paginate(PagePagination)
def list_call_logs(request: HttpRequest):
    _institution_only(request)
    return selectors.call_logs_for(request.auth)
