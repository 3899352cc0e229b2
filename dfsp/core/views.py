"""Kernel views: health check and the error pages (HTML for pages, the JSON error body for the API)."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from dfsp.core import request_context
from dfsp.core.access import public_view, role_required
from dfsp.core.signals import access_denied

logger = logging.getLogger(__name__)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def error_body(code: str, message: str, errors: list | None = None) -> dict:
    return {
        "code": code,
        "message": str(message),
        "errors": errors or [],
        "request_id": request_context.current_request_id(),
    }


def _error(request, status: int, code: str, message: str, template: str):
    if _is_api(request):
        return JsonResponse(
            error_body(code, message), status=status, json_dumps_params={"ensure_ascii": False}
        )
    return render(request, template, {"message": message}, status=status)


def bad_request(request, exception=None):
    return _error(request, 400, "bad_request", _("The request could not be understood."), "400.html")


def permission_denied(request, exception=None):
    access_denied.send(sender=None, request=request, reason=str(exception or ""))
    return _error(request, 403, "permission_denied", _("You do not have permission to do this."), "403.html")


def page_not_found(request, exception=None):
    return _error(request, 404, "not_found", _("The page you asked for does not exist."), "404.html")


def server_error(request):
    if _is_api(request):
        return JsonResponse(
            error_body("internal_error", _("An internal error occurred. It has been logged.")),
            status=500,
            json_dumps_params={"ensure_ascii": False},
        )
    # Rendered without context processors: the failure may lie in one of them.
    from django.http import HttpResponseServerError
    from django.template import loader

    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"request_id": request_context.current_request_id()}))


def _check_database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()[0] == 1
    except Exception:
        logger.warning("healthz: database unavailable")
        return False


def _check_cache() -> bool:
    try:
        cache.set("healthz", "ok", 10)
        return cache.get("healthz") == "ok"
    except Exception:
        logger.warning("healthz: cache unavailable")
        return False


def _check_broker() -> bool:
    from config.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        logger.warning("healthz: broker unavailable")
        return False


@public_view
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {
        "database": _check_database(),
        "cache": _check_cache(),
        "broker": _check_broker(),
    }
    healthy = all(checks.values())
    body = {
        "status": "ok" if healthy else "degraded",
        "mode": "embedded" if settings.EMBEDDED else "production",
        "checks": {name: "ok" if passed else "fail" for name, passed in checks.items()},
    }
    return JsonResponse(body, status=200 if healthy else 503)


@role_required("system_admin")
def system_status(request):
    """Health checks and the latest runs of scheduled jobs, so the system admin sees the scheduler working."""
    from django_celery_beat.models import PeriodicTask

    from dfsp.core.models import JobRun

    checks = {
        _("Database"): _check_database(),
        _("Cache"): _check_cache(),
        _("Task broker"): _check_broker(),
    }
    return render(
        request,
        "core/system_status.html",
        {
            "checks": checks,
            "mode": "embedded" if settings.EMBEDDED else "production",
            "job_runs": JobRun.objects.all()[:50],
            "periodic_tasks": PeriodicTask.objects.order_by("name"),
        },
    )


def domain_error_page(request, exception):
    """A business rule refused the request (e.g. an illegal state transition): say which, change nothing."""
    return render(request, "400.html", {"message": exception.message}, status=exception.status)
