import re

from django.http import HttpRequest, HttpResponse

from dfsp.core import idempotency, request_context
from dfsp.core.net import client_ip

_INCOMING_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Give every request an id (or keep a well-formed incoming X-Request-ID) for logs and audit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _INCOMING_ID.match(incoming) else request_context.new_request_id()
        request.request_id = request_id
        token = request_context.activate(
            request_context.RequestContext(
                request_id=request_id,
                ip=client_ip(request),
                user_agent=request.headers.get("User-Agent", "")[:300],
                path=request.path[:500],
            )
        )
        try:
            response = self.get_response(request)
        finally:
            request_context.deactivate(token)
        response["X-Request-ID"] = request_id
        return response


class IdempotencyMiddleware:
    """Honour the Idempotency-Key header on mutating API requests (logic in dfsp.core.idempotency).

    Sits after authentication and session security, so that the key's owner is known and only a
    caller who may use the API ever sees a stored response.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not idempotency.applies_to(request):
            return self.get_response(request)
        return idempotency.handle(request, self.get_response)


class DomainErrorMiddleware:
    """Turn a DomainError escaping a page view into the matching error page (404, 403, 409, …)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from dfsp.core import views
        from dfsp.core.errors import DomainError

        if not isinstance(exception, DomainError) or request.path.startswith("/api/"):
            return None
        if exception.status == 404:
            return views.page_not_found(request, exception)
        if exception.status == 403:
            return views.permission_denied(request, exception)
        return views.domain_error_page(request, exception)
