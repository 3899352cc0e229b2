"""Pages: enterprise (grants, requests, who used my data), institution (grants, requests, usage,
profile through the gate), regulator (audit, anomalies, CSV export), operator (scopes, texts)."""

import csv
from datetime import datetime, time

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dfsp.accounts import api_keys
from dfsp.audit.services import record_event
from dfsp.consent import gate, selectors, services
from dfsp.consent.forms import (
    AcceptForm,
    DeclineForm,
    GrantForm,
    LogFilterForm,
    RequestForm,
    ScopeForm,
    SignForm,
    TemplateForm,
)
from dfsp.consent.states import Channel, GrantStatus, RequestStatus
from dfsp.core.access import role_required
from dfsp.core.errors import AccessDenied, ValidationFailed
from dfsp.core.net import client_ip
from dfsp.datahub.catalogue import ELEMENTS_BY_CODE, Category

ENTERPRISE = ("enterprise_admin", "enterprise_user")
INSTITUTION = ("institution_admin", "institution_user")
SUPERVISORS = ("regulator", "operator")
EXPORT_LIMIT = 50000


def _scope_choices():
    return [(s.code, s.name) for s in selectors.active_scopes()]


def _add_errors(form, error: ValidationFailed) -> None:
    for name, errors in error.field_errors.items():
        for message in errors:
            form.add_error(name if name in form.fields else None, message)
    if not error.field_errors:
        form.add_error(None, error.message)


def _end_of_day(value):
    return timezone.make_aware(datetime.combine(value, time(23, 59, 59))) if value else None


def _log_page(request):
    form = LogFilterForm(request.GET or None)
    filters = selectors.LogFilters()
    if form.is_valid():
        data = {
            k: (v.isoformat() if hasattr(v, "isoformat") else (v or "")) for k, v in form.cleaned_data.items()
        }
        filters = selectors.LogFilters(**data)
    return form, filters


# --- Enterprise -------------------------------------------------------------------------------


GRANTS_PER_PAGE = 50


def _grant_page(request):
    return Paginator(selectors.grants_for(request.user), GRANTS_PER_PAGE).get_page(request.GET.get("page"))


@role_required(*ENTERPRISE)
def enterprise(request):
    page = _grant_page(request)
    return render(
        request,
        "consent/enterprise.html",
        {
            "grants": page.object_list,
            "page": page,
            "pending": selectors.pending_requests_for(request.user),
            "can_manage": request.user.has_role("enterprise_admin"),
            "active": GrantStatus.ACTIVE,
        },
    )


@role_required("enterprise_admin")
def grant_new(request):
    form = GrantForm(
        request.POST or None, institutions=selectors.institution_choices(), scopes=_scope_choices()
    )
    sign_form, preview = None, None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        arguments = {
            "institution_id": data["institution"],
            "scope_codes": data["scope_codes"],
            "purpose_type": data["purpose_type"],
            "purpose_id": data["purpose_id"],
            "valid_until": _end_of_day(data["valid_until"]),
            "query_limit": data["query_limit"],
        }
        try:
            preview = services.preview_grant(actor=request.user, **arguments)
            if "sign" in request.POST:
                sign_form = SignForm(request.POST)
                if sign_form.is_valid():
                    grant = services.grant_consent(
                        actor=request.user,
                        shown_text_hash=sign_form.cleaned_data["text_hash"],
                        confirmed=sign_form.cleaned_data["confirmed"],
                        ip=client_ip(request),
                        channel=Channel.WEB,
                        **arguments,
                    )
                    messages.success(request, _("Authorisation #%(id)s signed.") % {"id": grant.pk})
                    return redirect("consent:grant_detail", grant.pk)
            else:
                sign_form = SignForm(initial={"text_hash": preview["text_hash"]})
        except ValidationFailed as error:
            _add_errors(form, error)
            if preview is not None and error.code == "consent_text_changed":
                # Show the current text with its own hash: the enterprise reads it again and signs.
                sign_form = SignForm(initial={"text_hash": preview["text_hash"]})
    return render(
        request, "consent/grant_form.html", {"form": form, "sign_form": sign_form, "preview": preview}
    )


@require_POST
@role_required("enterprise_admin")
def grant_withdraw(request, grant_id):
    grant = services.withdraw_grant(actor=request.user, grant_id=grant_id)
    messages.success(
        request, _("Authorisation #%(id)s withdrawn; it no longer allows any read.") % {"id": grant.pk}
    )
    return redirect("consent:enterprise")


@role_required(*ENTERPRISE, *INSTITUTION, *SUPERVISORS)
def grant_detail(request, grant_id):
    grant = selectors.get_grant_for(request.user, grant_id)
    return render(
        request,
        "consent/grant_detail.html",
        {
            "grant": grant,
            "verified": services.verify_grant_evidence(grant),
            "show_signer": not request.user.has_any_role(INSTITUTION),
            "can_withdraw": request.user.has_role("enterprise_admin")
            and grant.status == GrantStatus.ACTIVE
            and selectors.acting_organisation(request.user) == grant.enterprise,
        },
    )


@role_required("enterprise_admin")
def request_accept(request, request_id):
    req = selectors.get_request_for(request.user, request_id)
    if req.status != RequestStatus.PENDING:
        return redirect("consent:enterprise")
    names = dict(_scope_choices())
    form = AcceptForm(request.POST or None, scopes=[(c, names.get(c, c)) for c in req.scope_codes])
    preview = None
    if request.method == "POST" and form.is_valid():
        codes = form.cleaned_data["scope_codes"]
        try:
            preview = services.preview_grant(
                actor=request.user,
                institution_id=req.institution_id,
                scope_codes=codes,
                purpose_type=req.purpose_type,
                purpose_id=req.purpose_id,
                valid_until=req.valid_until,
                query_limit=req.query_limit,
            )
            if "sign" in request.POST:
                grant = services.accept_request(
                    actor=request.user,
                    request_id=req.pk,
                    scope_codes=codes,
                    shown_text_hash=form.cleaned_data["text_hash"],
                    confirmed=form.cleaned_data["confirmed"],
                    ip=client_ip(request),
                )
                messages.success(request, _("Authorisation #%(id)s signed.") % {"id": grant.pk})
                return redirect("consent:grant_detail", grant.pk)
        except ValidationFailed as error:
            _add_errors(form, error)
    return render(request, "consent/request_accept.html", {"req": req, "form": form, "preview": preview})


@require_POST
@role_required("enterprise_admin")
def request_decline(request, request_id):
    form = DeclineForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    services.decline_request(actor=request.user, request_id=request_id, reason=reason)
    messages.success(request, _("Request declined."))
    return redirect("consent:enterprise")


@role_required(*ENTERPRISE)
def usage(request):
    form, filters = _log_page(request)
    page = Paginator(selectors.call_logs_for(request.user, filters), 50).get_page(request.GET.get("page"))
    return render(request, "consent/usage.html", {"form": form, "page": page, "title": _("Who used my data")})


# --- Institution ------------------------------------------------------------------------------


@role_required(*INSTITUTION)
def institution(request):
    page = _grant_page(request)
    return render(
        request,
        "consent/institution.html",
        {
            "grants": page.object_list,
            "page": page,
            "requests": selectors.requests_for(request.user)[:50],
            "logs": selectors.call_logs_for(request.user)[:20],
            "active": GrantStatus.ACTIVE,
        },
    )


@role_required(*INSTITUTION)
def request_new(request):
    form = RequestForm(
        request.POST or None,
        scopes=_scope_choices(),
        initial={k: request.GET.get(k, "")[:64] for k in ("uscc", "purpose_type", "purpose_id")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.request_grant(
                actor=request.user,
                uscc=data["uscc"],
                scope_codes=data["scope_codes"],
                purpose_type=data["purpose_type"],
                purpose_id=data["purpose_id"],
                reason=data["reason"],
                query_limit=data["query_limit"],
            )
            messages.success(request, _("Request sent to the enterprise."))
            return redirect("consent:institution")
        except ValidationFailed as error:
            _add_errors(form, error)
    return render(request, "consent/request_form.html", {"form": form})


@role_required(*INSTITUTION)
def institution_profile(request, grant_id):
    grant = selectors.get_grant_for(request.user, grant_id)
    refused, profile = "", None
    try:
        profile = gate.read_credit_profile(
            actor=request.user,
            uscc=grant.uscc,
            elements_or_scopes=grant.scope_codes,
            purpose_type=grant.purpose_type,
            purpose_id=grant.purpose_id,
            channel=Channel.WEB,
        )
    except gate.GateRefused as error:
        refused = error.code
    return render(request, "consent/profile.html", {"grant": grant, "profile": profile, "refused": refused})


# --- Regulator --------------------------------------------------------------------------------


@role_required(*SUPERVISORS)
def regulator(request):
    form, filters = _log_page(request)
    page = Paginator(selectors.call_logs_for(request.user, filters), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "consent/regulator.html",
        {
            "form": form,
            "page": page,
            "anomalies": selectors.anomaly_hints(actor=request.user),
            "query": request.GET.urlencode(),
        },
    )


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@role_required(*SUPERVISORS)
def regulator_export(request):
    _form, filters = _log_page(request)
    logs = list(selectors.call_logs_for(request.user, filters)[: EXPORT_LIMIT + 1])
    truncated = len(logs) > EXPORT_LIMIT
    logs = logs[:EXPORT_LIMIT]
    record_event(
        event_type="consent.calllog.export",
        actor=request.user,
        object_type="consent.calllog",
        details={"filters": filters.__dict__, "rows": len(logs), "truncated": truncated},
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = "consent-call-logs" + ("-partial" if truncated else "")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            "time",
            "reader",
            "user",
            "api_key",
            "uscc",
            "requested",
            "returned",
            "purpose",
            "purpose_id",
            "grant",
            "allowed",
            "reason",
            "channel",
            "request_id",
        ]
    )
    for log in logs:
        writer.writerow(
            [
                _cell(v)
                for v in (
                    timezone.localtime(log.occurred_at).isoformat(),
                    log.reader_org_name,
                    log.username,
                    log.api_key_prefix,
                    log.uscc,
                    " ".join(log.requested),
                    " ".join(log.returned),
                    log.purpose_type,
                    log.purpose_id,
                    log.grant_id,
                    int(log.allowed),
                    log.reason,
                    log.channel,
                    log.request_id,
                )
            ]
        )
    return response


# --- Operator configuration -------------------------------------------------------------------


def _scope_form(data, scope=None):
    initial = {"months_back": 36, "sensitivity": 2, "is_active": True}
    if scope is not None:
        initial = {
            "code": scope.code,
            "name": scope.name,
            "description": scope.description,
            "categories": scope.categories,
            "elements": ", ".join(scope.elements),
            "months_back": scope.months_back,
            "sensitivity": scope.sensitivity,
            "is_active": scope.is_active,
        }
    return ScopeForm(
        data, initial=initial, categories=Category.choices, element_codes=frozenset(ELEMENTS_BY_CODE)
    )


@role_required("operator")
def scopes(request):
    posted_template = request.method == "POST" and "template" in request.POST
    form = _scope_form(request.POST if request.method == "POST" and not posted_template else None)
    template_form = TemplateForm(request.POST if posted_template else None)
    if posted_template and template_form.is_valid():
        try:
            services.create_template_version(actor=request.user, **template_form.cleaned_data)
            messages.success(request, _("New consent text version saved."))
            return redirect("consent:scopes")
        except ValidationFailed as error:
            _add_errors(template_form, error)
    elif request.method == "POST" and not posted_template and form.is_valid():
        try:
            services.save_scope(actor=request.user, **form.cleaned_data)
            messages.success(request, _("Scope saved."))
            return redirect("consent:scopes")
        except ValidationFailed as error:
            _add_errors(form, error)
    templates = selectors.list_templates(actor=request.user)
    return render(
        request,
        "consent/scopes.html",
        {
            "scopes": selectors.list_scopes(actor=request.user),
            "form": form,
            "template_form": template_form,
            "templates": templates,
            "current": templates.first(),
        },
    )


@role_required("operator")
def scope_edit(request, scope_id):
    scope = selectors.get_scope(actor=request.user, scope_id=scope_id)
    form = _scope_form(request.POST if request.method == "POST" else None, scope)
    form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("code")
        try:
            services.save_scope(actor=request.user, code=scope.code, scope=scope, **data)
            messages.success(request, _("Scope saved."))
            return redirect("consent:scopes")
        except ValidationFailed as error:
            _add_errors(form, error)
    return render(request, "consent/scope_edit.html", {"form": form, "scope": scope})


# --- API signing secrets (institution admin) ----------------------------------------------------


@role_required("institution_admin")
def secrets(request):
    keys = [k for k in api_keys.list_api_keys_for(request.user) if k.revoked_at is None]
    issued = None
    if request.method == "POST":
        key = next((k for k in keys if k.prefix == request.POST.get("prefix", "")), None)
        if key is None:
            raise AccessDenied()
        issued = (key.prefix, services.issue_signing_secret(actor=request.user, api_key=key))
    return render(request, "consent/secrets.html", {"keys": keys, "issued": issued})
