"""Who is calling the JSON API, and how they proved it.

Two ways in, tried in this order:

* an organisation's API key, ``Authorization: Bearer dfsp_<prefix>_<secret>`` or ``X-API-Key``;
  a key that is presented but wrong or revoked is a 401 at once (no fall-back to the session);
* the browser session of a signed-in person, CSRF-checked like any form post.

Either way ``request.auth`` is an ``ApiCaller``. Turning a raw key or a user into a caller is the
accounts app's business; the kernel imports no app, so it reaches that code through the module
named by the ``API_CALLER_SOURCE`` setting, which provides ``caller_for_api_key(raw)`` and
``caller_for_user(user)``. The idempotency middleware asks the same question before the API
runs, so the answer is cached on the request and a key is verified once per request.
"""

import importlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja.errors import AuthenticationError, AuthorizationError
from ninja.security import APIKeyCookie, APIKeyHeader, HttpBearer
from ninja.utils import check_csrf

DEFAULT_API_CALLER_SOURCE = "dfsp.accounts.api_keys"
API_KEY_HEADER = "X-API-Key"
_CACHE_ATTRIBUTE = "_dfsp_api_key_caller"
_REJECTED = object()


@dataclass(frozen=True)
class ApiCaller:
    """The authenticated party of an API request: a person, or an organisation through its key.

    It answers the same role questions as a User, so that selectors scoped "to the actor" can take
    it; ``user`` is None for an API key, whose actions are attributed to its organisation.
    """

    organisation: Any | None
    roles: frozenset[str]
    user: Any | None = None
    api_key: Any | None = None

    is_authenticated: ClassVar[bool] = True

    def role_codes(self) -> frozenset[str]:
        return self.roles

    def has_role(self, role: str) -> bool:
        return role in self.roles

    def has_any_role(self, roles: Iterable[str]) -> bool:
        return bool(self.roles & set(roles))

    @property
    def idempotency_owner(self) -> str:
        """Namespace for Idempotency-Key values: two callers never see each other's keys."""
        if self.api_key is not None:
            return f"key:{self.api_key.prefix}"
        return f"user:{self.user.pk}"


class InvalidApiKey(AuthenticationError):
    def __init__(self) -> None:
        super().__init__(401, _("The API key is invalid or has been revoked."))


class CsrfFailed(AuthorizationError):
    def __init__(self) -> None:
        super().__init__(
            403, _("CSRF check failed: send the X-CSRFToken header with the value of the CSRF cookie.")
        )


def _caller_source():
    return importlib.import_module(getattr(settings, "API_CALLER_SOURCE", DEFAULT_API_CALLER_SOURCE))


def presented_api_key(request: HttpRequest) -> str | None:
    """The raw API key in the request headers, if any (Bearer first, then X-API-Key)."""
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return request.headers.get(API_KEY_HEADER, "").strip() or None


def api_key_caller(request: HttpRequest) -> ApiCaller | None:
    """The caller for the presented API key; None when no key or a bad key was presented."""
    cached = getattr(request, _CACHE_ATTRIBUTE, None)
    if cached is None:
        raw = presented_api_key(request)
        caller = _caller_source().caller_for_api_key(raw) if raw else None
        cached = caller or _REJECTED
        setattr(request, _CACHE_ATTRIBUTE, cached)
    return None if cached is _REJECTED else cached


def session_caller(request: HttpRequest) -> ApiCaller | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return _caller_source().caller_for_user(user)


def idempotency_owner(request: HttpRequest) -> str | None:
    """Who owns this request's Idempotency-Key; None when the request is not authenticated.

    Uses the same precedence as the API: a presented key decides alone, even when invalid.
    """
    if presented_api_key(request):
        caller = api_key_caller(request)
        return caller.idempotency_owner if caller else None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return None


def _required_api_key_caller(request: HttpRequest) -> ApiCaller:
    caller = api_key_caller(request)
    if caller is None:
        raise InvalidApiKey()
    return caller


class ApiKeyBearerAuth(HttpBearer):
    """``Authorization: Bearer dfsp_<prefix>_<secret>``: an institution's system."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiCaller:
        return _required_api_key_caller(request)


class ApiKeyHeaderAuth(APIKeyHeader):
    """``X-API-Key: dfsp_<prefix>_<secret>``, for clients that cannot set Authorization."""

    param_name = API_KEY_HEADER

    def authenticate(self, request: HttpRequest, key: str | None) -> ApiCaller | None:
        if not key:
            return None
        return _required_api_key_caller(request)


class SessionCallerAuth(APIKeyCookie):
    """The browser session of a signed-in person (the Swagger page, htmx).

    Unlike ninja's SessionAuth the CSRF check runs only once the session has authenticated
    someone, so an API client without cookies gets a clean 401 instead of a CSRF 403.
    """

    def __init__(self, csrf: bool = True) -> None:
        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__(csrf=csrf)

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> ApiCaller | None:
        caller = session_caller(request)
        if caller is None:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise CsrfFailed()
        return caller


def default_api_auth() -> list:
    """The auth list for every API operation: API key (two headers), then the session."""
    return [ApiKeyBearerAuth(), ApiKeyHeaderAuth(), SessionCallerAuth()]
