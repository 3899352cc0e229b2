"""Audit trail pages: search, detail, audited export, chain verification (audit administrator only)."""

import json
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dfsp.audit import exports, selectors, services
from dfsp.audit.forms import EventSearchForm
from dfsp.audit.models import AUDIT_ADMIN_ROLE
from dfsp.core.access import role_required
from dfsp.core.errors import AccessDenied, NotFound

PAGE_SIZE = 50


def _domain_errors_as_http(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except AccessDenied as exc:
            raise PermissionDenied(exc.code) from exc
        except NotFound as exc:
            raise Http404 from exc

    return wrapper


@role_required(AUDIT_ADMIN_ROLE)
@never_cache
@require_GET
@_domain_errors_as_http
def event_list(request):
    form = EventSearchForm(request.GET or None)
    page = None
    if not request.GET or form.is_valid():
        filters = form.to_filters() if request.GET else selectors.EventFilters()
        events = selectors.search_events(actor=request.user, filters=filters)
        page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/event_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "export_limit": exports.ROW_LIMIT},
    )


@role_required(AUDIT_ADMIN_ROLE)
@never_cache
@require_GET
@_domain_errors_as_http
def event_detail(request, seq: int):
    event = selectors.get_event(actor=request.user, seq=seq)
    details_pretty = json.dumps(event.details, ensure_ascii=False, indent=2, sort_keys=True)
    return render(request, "audit/event_detail.html", {"event": event, "details_pretty": details_pretty})


@role_required(AUDIT_ADMIN_ROLE)
@never_cache
@require_POST
@_domain_errors_as_http
def event_export(request, file_format: str):
    form = EventSearchForm(request.GET)
    if not form.is_valid():
        return render(
            request, "audit/event_list.html", {"form": form, "page": None, "export_limit": exports.ROW_LIMIT}
        )
    export = exports.export_events(actor=request.user, filters=form.to_filters(), file_format=file_format)
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["X-Export-Rows"] = str(export.rows)
    response["X-Export-Truncated"] = "true" if export.truncated else "false"
    return response


@role_required(AUDIT_ADMIN_ROLE)
@never_cache
@require_http_methods(["GET", "POST"])
@_domain_errors_as_http
def verify(request):
    result = None
    if request.method == "POST":
        result = selectors.verify_chain_for(actor=request.user)
        services.record_chain_verification(actor=request.user, ok=result.ok, result=result.as_dict())
    return render(
        request,
        "audit/verify.html",
        {"result": result, "guards_installed": selectors.guards_installed() if result else None},
    )
