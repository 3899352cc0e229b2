"""Accounts API: who am I, organisations visible to the caller, and the institution's API keys.

Thin: parse, call one selector or service from dfsp.accounts.api_keys, render. ``request.auth``
is the ApiCaller (a signed-in person or an API key); every operation requires one.
"""

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from dfsp.accounts import api_keys
from dfsp.core.api_auth import ApiCaller
from dfsp.core.pagination import PagePagination
from dfsp.core.schemas import ErrorOut, InputSchema

router = Router(tags=["accounts"])

# Documented error responses; the body is the same for all (see docs/api.md).
_READ_ERRORS = {401: ErrorOut, 403: ErrorOut, 422: ErrorOut}
_WRITE_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class OrganisationOut(Schema):
    id: int
    kind: str
    institution_subtype: str
    name: str
    short_name: str
    region_code: str
    region_name: str
    uscc: str
    is_active: bool


class UserOut(Schema):
    id: int
    username: str
    full_name: str


class ApiKeyOut(Schema):
    id: int
    name: str
    prefix: str
    created_by: str = Field(description="Display name of the person who created the key.")
    created_at: datetime
    last_used_at: datetime | None = Field(description="Recorded with one-minute resolution.")
    revoked_at: datetime | None
    is_active: bool

    @staticmethod
    def resolve_created_by(key) -> str:
        return str(key.created_by)


class ApiKeyRefOut(Schema):
    id: int
    name: str
    prefix: str


class MeOut(Schema):
    kind: str = Field(description='"user" for a signed-in person, "api_key" for an API key.')
    user: UserOut | None
    api_key: ApiKeyRefOut | None
    organisation: OrganisationOut | None
    roles: list[str]


class ApiKeyIn(InputSchema):
    name: str = Field(min_length=1, max_length=api_keys.NAME_MAX_LENGTH, description="What the key is for.")


class ApiKeyCreatedOut(ApiKeyOut):
    key: str = Field(description="The full key. It is shown only in this response: store it securely now.")


@router.get("/me", response={200: MeOut, **_READ_ERRORS}, summary="Who is calling")
def me(request: HttpRequest):
    caller: ApiCaller = request.auth
    return {
        "kind": "api_key" if caller.api_key is not None else "user",
        "user": caller.user,
        "api_key": caller.api_key,
        "organisation": caller.organisation,
        "roles": sorted(caller.roles),
    }


@router.get(
    "/organisations", response={200: list[OrganisationOut], **_READ_ERRORS}, summary="List organisations"
)
@paginate(PagePagination)
def list_organisations(request: HttpRequest):
    return api_keys.organisations_for(request.auth).order_by("kind", "name", "pk")


@router.get(
    "/organisations/{organisation_id}",
    response={200: OrganisationOut, 404: ErrorOut, **_READ_ERRORS},
    summary="One organisation",
)
def get_organisation(request: HttpRequest, organisation_id: int):
    return api_keys.get_organisation_for(request.auth, organisation_id)


@router.get(
    "/api-keys", response={200: list[ApiKeyOut], **_READ_ERRORS}, summary="List your institution's API keys"
)
@paginate(PagePagination)
def list_keys(request: HttpRequest):
    return api_keys.list_api_keys_for(request.auth)


@router.post("/api-keys", response={201: ApiKeyCreatedOut, **_WRITE_ERRORS}, summary="Create an API key")
def create_key(request: HttpRequest, payload: ApiKeyIn):
    key, plaintext = api_keys.create_api_key(actor=request.auth, name=payload.name)
    key.key = plaintext
    return Status(201, key)


@router.post(
    "/api-keys/{key_id}/revoke", response={200: ApiKeyOut, **_WRITE_ERRORS}, summary="Revoke an API key"
)
def revoke_key(request: HttpRequest, key_id: int):
    return api_keys.revoke_api_key(actor=request.auth, key_id=key_id)
