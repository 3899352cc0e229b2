"""The one NinjaAPI at /api/v1; each app adds its router at the bottom of this file.

Everything an institution's developer relies on is decided here, once:

* authentication: API key (``Authorization: Bearer`` or ``X-API-Key``) or the browser session with
  CSRF (dfsp.core.api_auth); no operation is anonymous;
* one error body for every 4xx/5xx, ``{"code", "message", "errors": [{"field", "message"}],
  "request_id"}``, with translated messages; client input never causes a 500;
* request bodies are JSON only (415 otherwise, 400 ``malformed_json`` when unparsable);
* the OpenAPI page is served from local static files (no CDN, no inline script) to platform
  staff and institution users only.
"""

import json
import logging
from functools import wraps

from django.conf import settings
from django.core.exceptions import (
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, UnreadablePostError
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.docs import Swagger
from ninja.parser import Parser
from ninja.renderers import JSONRenderer

from dfsp.accounts.api import router as accounts_router
from dfsp.accounts.roles import INSTITUTION_ROLES, ROLES_BY_ORGANISATION_KIND, OrganisationKind
from dfsp.complaints.api import router as complaints_router
from dfsp.consent.api import router as consent_router
from dfsp.core.access import AUTHENTICATED, public_view, role_required
from dfsp.core.api_auth import default_api_auth
from dfsp.core.errors import DomainError
from dfsp.core.signals import access_denied
from dfsp.core.views import error_body
from dfsp.credit.api import router as credit_router
from dfsp.datahub.api import router as datahub_router
from dfsp.enterprises.api import router as enterprises_router
from dfsp.financing.api import router as financing_router
from dfsp.institutions.api import router as institutions_router
from dfsp.loans.api import router as loans_router
from dfsp.matching.api import router as matching_router
from dfsp.postloan.api import router as postloan_router
from dfsp.timeliness.api import router as timeliness_router
from dfsp.workdays.api import router as workdays_router

logger = logging.getLogger("dfsp.api")

# Who may read the API documentation: platform staff and institutions' people.
DOCS_ROLES = ROLES_BY_ORGANISATION_KIND[OrganisationKind.OPERATOR] | INSTITUTION_ROLES


# --- Request parsing and rendering ------------------------------------------------------------


class UnsupportedMediaType(Exception):
    pass


class MalformedJson(Exception):
    pass


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")


class JsonOnlyParser(Parser):
    """Request bodies are JSON objects sent as application/json; anything else is refused."""

    def parse_body(self, request: HttpRequest):
        content_type = request.content_type or ""
        if content_type != "application/json" and not content_type.endswith("+json"):
            raise UnsupportedMediaType(content_type)
        try:
            return json.loads(request.body, parse_constant=_refuse_constant)
        except (ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
            raise MalformedJson() from exc


class Utf8JSONRenderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}


class LocalSwagger(Swagger):
    """Swagger UI from ninja's bundled static files.

    ninja falls back to a CDN template when "ninja" is missing from INSTALLED_APPS; on a
    government intranet with ``script-src 'self'`` that page cannot work, so this class always
    renders the local template (which has no inline script: its settings travel in a JSON block
    read by ninja/swagger-ui-init.js).
    """

    template = "ninja/swagger.html"
    default_settings = {
        "layout": "BaseLayout",
        "deepLinking": True,
        # The default validator badge would call validator.swagger.io from the intranet.
        "validatorUrl": None,
    }

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs) -> HttpResponse:
        page_settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        context = {
            "swagger_settings": json.dumps(page_settings),
            "api": api,
            "add_csrf": any(getattr(auth, "csrf", False) for auth in api.auth or []),
        }
        return render(request, self.template, context)


# --- Validation messages ------------------------------------------------------------------------

_VALIDATION_MESSAGES = {
    "missing": gettext_lazy("This field is required."),
    "extra_forbidden": gettext_lazy(
        "This field is not allowed here; check its spelling against the API documentation."
    ),
    "string_too_long": gettext_lazy("Ensure this value has at most %(max_length)s characters."),
    "string_too_short": gettext_lazy("Ensure this value has at least %(min_length)s characters."),
    "string_type": gettext_lazy("Enter a text value."),
    "string_pattern_mismatch": gettext_lazy("Enter a value in the expected format."),
    "int_parsing": gettext_lazy("Enter a whole number."),
    "int_type": gettext_lazy("Enter a whole number."),
    "int_from_float": gettext_lazy("Enter a whole number."),
    "float_parsing": gettext_lazy("Enter a number."),
    "float_type": gettext_lazy("Enter a number."),
    "decimal_parsing": gettext_lazy("Enter a number."),
    "decimal_type": gettext_lazy("Enter a number."),
    "bool_parsing": gettext_lazy("Enter true or false."),
    "bool_type": gettext_lazy("Enter true or false."),
    "greater_than": gettext_lazy("Ensure this value is greater than %(gt)s."),
    "greater_than_equal": gettext_lazy("Ensure this value is greater than or equal to %(ge)s."),
    "less_than": gettext_lazy("Ensure this value is less than %(lt)s."),
    "less_than_equal": gettext_lazy("Ensure this value is less than or equal to %(le)s."),
    "model_type": gettext_lazy("Send a JSON object here."),
    "model_attributes_type": gettext_lazy("Send a JSON object here."),
    "dict_type": gettext_lazy("Send a JSON object here."),
    "list_type": gettext_lazy("Send a JSON list here."),
    "enum": gettext_lazy("Choose one of: %(expected)s."),
    "literal_error": gettext_lazy("Choose one of: %(expected)s."),
    "date_parsing": gettext_lazy("Enter a valid date (YYYY-MM-DD)."),
    "date_from_datetime_parsing": gettext_lazy("Enter a valid date (YYYY-MM-DD)."),
    "date_type": gettext_lazy("Enter a valid date (YYYY-MM-DD)."),
    "datetime_parsing": gettext_lazy("Enter a valid date and time (ISO 8601)."),
    "datetime_from_date_parsing": gettext_lazy("Enter a valid date and time (ISO 8601)."),
    "datetime_type": gettext_lazy("Enter a valid date and time (ISO 8601)."),
    "uuid_parsing": gettext_lazy("Enter a valid UUID."),
    "uuid_type": gettext_lazy("Enter a valid UUID."),
}
_DEFAULT_VALIDATION_MESSAGE = gettext_lazy("Enter a valid value.")


def _validation_message(error: dict) -> str:
    ctx = error.get("ctx") or {}
    if error["type"] in ("value_error", "assertion_error") and "error" in ctx:
        # Raised by our own validators, with a message already translated.
        return str(ctx["error"])
    template = _VALIDATION_MESSAGES.get(error["type"], _DEFAULT_VALIDATION_MESSAGE)
    try:
        return str(template) % ctx if ctx else str(template)
    except (KeyError, TypeError, ValueError):
        return str(_DEFAULT_VALIDATION_MESSAGE)


# --- The API -----------------------------------------------------------------------------------


def _json_method_not_allowed(view):
    """ninja answers a wrong method with a plain-text 405; give it the common error body."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            replacement = _error(
                request,
                405,
                "method_not_allowed",
                _("The %(method)s method is not allowed here; use %(allowed)s.")
                % {"method": request.method, "allowed": allowed},
            )
            replacement["Allow"] = allowed
            return replacement
        return response

    wrapper.dfsp_access = AUTHENTICATED  # enforced by the API's auth; see test_every_operation_needs_auth
    return wrapper


class DfspNinjaAPI(NinjaAPI):
    def validation_error_from_error_contexts(self, error_contexts) -> ValidationError:
        """Field paths as clients know them: ``name``, ``items.0.amount``, ``page``."""
        errors = []
        for context in error_contexts:
            model = context.model
            single_body_param = getattr(model, "__read_from_single_attr__", None)
            reverse_map = getattr(model, "__ninja_flatten_map_reverse__", {})
            for error in context.pydantic_validation_error.errors(include_url=False):
                loc = tuple(reverse_map.get(error["loc"], error["loc"]))
                if single_body_param and loc[:1] == (single_body_param,):
                    loc = loc[1:]
                field = ".".join(str(part) for part in loc) or str(model.__ninja_param_source__)
                errors.append({"field": field, "message": _validation_message(error)})
        return ValidationError(errors)

    def _get_urls(self):
        patterns = super()._get_urls()
        for pattern in patterns:
            if pattern.name == "api-root":
                # ninja's root view only answers 404 with a pointer to the docs.
                public_view(pattern.callback)
            elif not hasattr(pattern.callback, "dfsp_access"):
                pattern.callback = _json_method_not_allowed(pattern.callback)
        return patterns


api = DfspNinjaAPI(
    title="DFSP API",
    version="1",
    description=(
        "JSON API of the Digital Financial Service Platform. Authenticate with an API key "
        "(`Authorization: Bearer dfsp_…`) or a browser session. See docs/api.md."
    ),
    urls_namespace="api",
    auth=default_api_auth(),
    parser=JsonOnlyParser(),
    renderer=Utf8JSONRenderer(),
    docs=LocalSwagger(),
    docs_decorator=role_required(DOCS_ROLES),
)


# --- Errors: every 4xx/5xx has the same body ----------------------------------------------------


def _error(request: HttpRequest, status: int, code: str, message, errors: list | None = None) -> HttpResponse:
    return api.create_response(request, error_body(code, str(message), errors), status=status)


def _signal_denial(request: HttpRequest, reason: str) -> None:
    """Tell the audit trail; a key's denial names the key, as request.user is anonymous then."""
    api_key = getattr(getattr(request, "auth", None), "api_key", None)
    if api_key is not None:
        reason = f"{reason} (API key {api_key.prefix})"
    access_denied.send(sender=None, request=request, reason=reason)


def _denied(request: HttpRequest, message, reason: str) -> HttpResponse:
    _signal_denial(request, reason)
    return _error(request, 403, "permission_denied", message)


_STATUS_CODES = {
    400: ("bad_request", gettext_lazy("The request could not be understood.")),
    401: ("not_authenticated", gettext_lazy("Authentication required: send an API key or log in.")),
    403: ("permission_denied", gettext_lazy("You do not have permission to do this.")),
    404: ("not_found", gettext_lazy("The requested object does not exist.")),
    405: ("method_not_allowed", gettext_lazy("This method is not allowed here.")),
    409: ("conflict", gettext_lazy("The request conflicts with the current state.")),
    413: ("payload_too_large", gettext_lazy("The request body is too large.")),
    415: ("unsupported_media_type", gettext_lazy("Send the request body as application/json.")),
    429: ("too_many_requests", gettext_lazy("Too many requests; slow down and retry later.")),
}


@api.exception_handler(ValidationError)
def _on_validation_error(request, exc: ValidationError):
    return _error(request, 422, "validation_error", _("Some fields are invalid."), exc.errors)


@api.exception_handler(AuthenticationError)
def _on_authentication_error(request, exc: AuthenticationError):
    message = exc.message if isinstance(exc.message, Promise) else _STATUS_CODES[401][1]
    response = _error(request, 401, "not_authenticated", message)
    response["WWW-Authenticate"] = 'Bearer realm="DFSP API"'
    return response


@api.exception_handler(HttpError)
def _on_http_error(request, exc: HttpError):
    cause = exc.__cause__
    if isinstance(cause, UnsupportedMediaType):
        return _error(request, 415, "unsupported_media_type", _STATUS_CODES[415][1])
    if isinstance(cause, MalformedJson):
        return _error(request, 400, "malformed_json", _("The request body is not valid JSON."))
    status = exc.status_code
    code, default_message = _STATUS_CODES.get(status, ("error" if status < 500 else "internal_error", ""))
    # Our own HttpErrors carry translated (lazy) messages; ninja's English ones are replaced.
    message = exc.message if isinstance(exc.message, Promise) else default_message
    if status == 403:
        return _denied(request, message, reason=code)
    return _error(request, status, code, message or _STATUS_CODES[400][1])


@api.exception_handler(Http404)
@api.exception_handler(ObjectDoesNotExist)
def _on_not_found(request, exc):
    return _error(request, 404, "not_found", _STATUS_CODES[404][1])


@api.exception_handler(PermissionDenied)
def _on_permission_denied(request, exc: PermissionDenied):
    return _denied(request, _STATUS_CODES[403][1], reason=str(exc))


@api.exception_handler(DomainError)
def _on_domain_error(request, exc: DomainError):
    errors = [{"field": field, "message": str(message)} for field, message in exc.field_errors.items()]
    if exc.status == 403:
        _signal_denial(request, exc.code)
    return _error(request, exc.status, exc.code, exc.message, errors)


@api.exception_handler(DjangoValidationError)
def _on_django_validation_error(request, exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        errors = [
            {"field": field, "message": str(message)}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"field": "", "message": str(message)} for message in exc.messages]
    return _error(request, 422, "validation_error", _("Some fields are invalid."), errors)


@api.exception_handler(RequestDataTooBig)
def _on_request_too_big(request, exc):
    message = _("The request body is larger than the limit of %(limit)d bytes.") % {
        "limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    }
    return _error(request, 413, "payload_too_large", message)


@api.exception_handler(SuspiciousOperation)
@api.exception_handler(UnreadablePostError)
def _on_bad_request(request, exc):
    # A malformed or cut-off request is the client's problem, never a 500.
    return _error(request, 400, "bad_request", _STATUS_CODES[400][1])


@api.exception_handler(Exception)
def _on_unexpected(request, exc: Exception):
    logger.exception("unhandled API error", extra={"path": request.path, "method": request.method})
    return _error(request, 500, "internal_error", _("An internal error occurred. It has been logged."))


# --- Routers -------------------------------------------------------------------------------------

api.add_router("/accounts", accounts_router, url_name_prefix="accounts")
api.add_router("/enterprises", enterprises_router, url_name_prefix="enterprises")
api.add_router("/institutions", institutions_router, url_name_prefix="institutions")
api.add_router("/financing", financing_router, url_name_prefix="financing")
api.add_router("/data", datahub_router, url_name_prefix="datahub")
api.add_router("/complaints", complaints_router, url_name_prefix="complaints")
api.add_router("/consent", consent_router, url_name_prefix="consent")
api.add_router("/credit", credit_router, url_name_prefix="credit")
api.add_router("/matching", matching_router, url_name_prefix="matching")
api.add_router("/loans", loans_router, url_name_prefix="loans")
api.add_router("/workdays", workdays_router, url_name_prefix="workdays")
api.add_router("/timeliness", timeliness_router, url_name_prefix="timeliness")
api.add_router("/postloan", postloan_router, url_name_prefix="postloan")
