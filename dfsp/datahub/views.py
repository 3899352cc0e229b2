"""Pages of the data platform: operators and regulators only (operators act, regulators read)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dfsp.core.access import role_required
from dfsp.core.errors import DomainError
from dfsp.datahub import access, selectors, services
from dfsp.datahub.catalogue import ELEMENTS_BY_CODE, SMALL_CODE_SETS
from dfsp.datahub.forms import FeedbackForm, RevealForm, UploadForm, WaiveForm
from dfsp.datahub.states import BatchStatus, IssueStatus

READERS = ("operator", "regulator")
PROFILE_PURPOSE = "datahub_profile"  # call-log purpose reference of a profile page view
REVEAL_PURPOSE = "datahub_reveal"  # … and of revealing one unmasked value


def _apply_errors(form, exc: DomainError) -> None:
    if exc.field_errors:
        for field, message in exc.field_errors.items():
            form.add_error(field if field in form.fields else None, message)
    else:
        form.add_error(None, exc.message)


def _page(request, queryset, size=30):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


@role_required(*READERS)
def home(request):
    return redirect("datahub:sources")


@role_required(*READERS)
def source_list(request):
    sources = selectors.list_sources(actor=request.user)
    return render(request, "datahub/sources.html", {"sources": sources, "tab": "sources"})


@role_required(*READERS)
def source_detail(request, source_id):
    source = selectors.get_source(actor=request.user, source_id=source_id)
    runs = _page(request, selectors.list_batches(actor=request.user, source=source), 20)
    trend = selectors.quality_trends(actor=request.user).get(source.code)
    chart = _trend_chart(trend) if trend else None
    items = [ELEMENTS_BY_CODE[c].name_zh if c in ELEMENTS_BY_CODE else c for c in source.items]
    return render(
        request,
        "datahub/source_detail.html",
        {
            "source": source,
            "page": runs,
            "form": UploadForm(),
            "chart": chart,
            "items": items,
            "tab": "sources",
        },
    )


@role_required("operator")
@require_POST
def source_upload(request, source_id):
    source = selectors.get_source(actor=request.user, source_id=source_id)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            batch = services.submit_upload(
                actor=request.user, source=source, uploaded_file=form.cleaned_data["file"]
            )
        except DomainError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Run #%(id)s queued.") % {"id": batch.pk})
            return redirect("datahub:run_detail", batch_id=batch.pk)
    runs = _page(request, selectors.list_batches(actor=request.user, source=source), 20)
    return render(
        request,
        "datahub/source_detail.html",
        {"source": source, "page": runs, "form": form, "tab": "sources"},
        status=400,
    )


@role_required("operator")
@require_POST
def source_pull(request, source_id):
    source = selectors.get_source(actor=request.user, source_id=source_id)
    try:
        batch = services.request_pull(actor=request.user, source=source)
    except DomainError as exc:
        messages.error(request, " ".join(str(m) for m in exc.field_errors.values()) or str(exc.message))
        return redirect("datahub:source_detail", source_id=source.pk)
    messages.success(request, _("Pull run #%(id)s queued.") % {"id": batch.pk})
    return redirect("datahub:run_detail", batch_id=batch.pk)


@role_required(*READERS)
def run_list(request):
    status = request.GET.get("status", "")
    runs = _page(request, selectors.list_batches(actor=request.user, status=status))
    return render(
        request,
        "datahub/runs.html",
        {"page": runs, "status": status, "statuses": BatchStatus.choices, "tab": "runs"},
    )


@role_required(*READERS)
def run_detail(request, batch_id):
    batch = selectors.get_batch(actor=request.user, batch_id=batch_id)
    rejected_only = request.GET.get("rejected") == "1"
    rows = _page(
        request, selectors.list_failed_rows(actor=request.user, batch=batch, rejected_only=rejected_only), 25
    )
    return render(
        request,
        "datahub/run_detail.html",
        {
            "batch": batch,
            "page": rows,
            "rejected_only": rejected_only,
            "issues": batch.issues.all(),
            "tab": "runs",
        },
    )


@role_required(*READERS)
def run_progress(request, batch_id):
    batch = selectors.get_batch(actor=request.user, batch_id=batch_id)
    return render(request, "datahub/_progress.html", {"batch": batch})


@role_required(*READERS)
def element_list(request):
    query = request.GET.get("q", "").strip()[:60]
    elements = selectors.list_elements(actor=request.user, query=query)
    return render(request, "datahub/elements.html", {"elements": elements, "query": query, "tab": "elements"})


@role_required(*READERS)
def code_set_list(request):
    return render(
        request,
        "datahub/code_sets.html",
        {"code_sets": selectors.list_code_sets(actor=request.user), "tab": "code_sets"},
    )


@role_required(*READERS)
def code_set_detail(request, code_set_id):
    code_set = selectors.get_code_set(actor=request.user, code_set_id=code_set_id)
    return render(
        request,
        "datahub/code_set_detail.html",
        {"code_set": code_set, "values": code_set.values.all(), "tab": "code_sets"},
    )


@role_required(*READERS)
def mapping_list(request):
    return render(
        request,
        "datahub/mappings.html",
        {"mappings": selectors.list_mappings(actor=request.user), "tab": "mappings"},
    )


DIMENSION_LABELS = {
    "completeness": "完整性",
    "validity": "有效性",
    "conformity": "规范性",
    "uniqueness": "唯一性",
    "consistency": "一致性",
    "timeliness": "及时性",
}


def _trend_chart(trend: dict) -> dict:
    series = [{"name": _("Overall"), "type": "line", "data": trend["overall"]}]
    series += [
        {"name": DIMENSION_LABELS.get(d, d), "type": "line", "data": values}
        for d, values in trend["dimensions"].items()
    ]
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"type": "scroll"},
        "xAxis": {"type": "category", "data": trend["runs"]},
        "yAxis": {"type": "value", "min": 0, "max": 100},
        "series": series,
    }


@role_required(*READERS)
def quality_dashboard(request):
    trends = selectors.quality_trends(actor=request.user)
    charts = [
        {"id": f"trend-{code}", "chart": _trend_chart(t), "name": t["name"], "score": t["latest_score"]}
        for code, t in trends.items()
    ]
    latest = {
        "tooltip": {},
        "legend": {"type": "scroll"},
        "radar": {"indicator": [{"name": label, "max": 100} for label in DIMENSION_LABELS.values()]},
        "series": [
            {
                "type": "radar",
                "data": [
                    {"name": t["name"], "value": [t["latest"].get(d, 100) for d in DIMENSION_LABELS]}
                    for t in trends.values()
                ],
            }
        ],
    }
    rules = selectors.list_rules(actor=request.user)
    return render(
        request,
        "datahub/quality.html",
        {
            "trends": trends,
            "charts": charts,
            "latest": latest,
            "rules": rules,
            "tab": "quality",
            "open_issues": selectors.list_issues(actor=request.user)
            .exclude(status__in=[IssueStatus.CLOSED, IssueStatus.WAIVED])
            .count(),
        },
    )


@role_required(*READERS)
def issue_list(request):
    status = request.GET.get("status", "")
    issues = _page(request, selectors.list_issues(actor=request.user, status=status))
    return render(
        request,
        "datahub/issues.html",
        {"page": issues, "status": status, "statuses": IssueStatus.choices, "tab": "issues"},
    )


def _issue_page(request, issue, *, feedback=None, waive=None, upload=None, status=200):
    return render(
        request,
        "datahub/issue_detail.html",
        {
            "issue": issue,
            "events": issue.events.select_related("actor"),
            "corrections": issue.corrections.all(),
            "feedback_form": feedback or FeedbackForm(),
            "waive_form": waive or WaiveForm(),
            "upload_form": upload or UploadForm(),
            "tab": "issues",
        },
        status=status,
    )


@role_required(*READERS)
def issue_detail(request, issue_id):
    return _issue_page(request, selectors.get_issue(actor=request.user, issue_id=issue_id))


@role_required("operator")
@require_POST
def issue_feedback(request, issue_id):
    issue = selectors.get_issue(actor=request.user, issue_id=issue_id)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        services.send_feedback(actor=request.user, issue=issue, note=form.cleaned_data["note"])
        messages.success(request, _("The issue was sent back to the source owner."))
        return redirect("datahub:issue_detail", issue_id=issue.pk)
    return _issue_page(request, issue, feedback=form, status=400)


@role_required("operator")
@require_POST
def issue_waive(request, issue_id):
    issue = selectors.get_issue(actor=request.user, issue_id=issue_id)
    form = WaiveForm(request.POST)
    if form.is_valid():
        try:
            services.waive_issue(actor=request.user, issue=issue, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            if exc.status == 409:
                raise
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The issue was waived."))
            return redirect("datahub:issue_detail", issue_id=issue.pk)
    return _issue_page(request, issue, waive=form, status=400)


@role_required("operator")
@require_POST
def issue_resubmit(request, issue_id):
    issue = selectors.get_issue(actor=request.user, issue_id=issue_id)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            batch = services.resubmit_correction(
                actor=request.user, issue=issue, uploaded_file=form.cleaned_data["file"]
            )
        except DomainError as exc:
            if exc.status == 409:
                raise
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Correction run #%(id)s queued.") % {"id": batch.pk})
            return redirect("datahub:run_detail", batch_id=batch.pk)
    return _issue_page(request, issue, upload=form, status=400)


@role_required(*READERS)
def profile_search(request):
    query = request.GET.get("q", "").strip()[:100]
    page = _page(request, selectors.search_enterprises(actor=request.user, query=query))
    statuses = SMALL_CODE_SETS["REG_STATUS"][1]
    for record in page:
        record.status_label = statuses.get(record.code, record.code)
    return render(request, "datahub/profiles.html", {"page": page, "query": query, "tab": "profiles"})


@role_required(*READERS)
def profile_detail(request, uscc):
    selectors.ensure_reader(request.user)
    access.require_logger()  # fail closed before anything is read
    profile = selectors.get_credit_profile(uscc=uscc)
    access.log_supervisor_read(
        actor=request.user, uscc=profile.uscc, elements=list(profile.sections), purpose=PROFILE_PURPOSE
    )
    policy, sensitivity = selectors.active_policy(), selectors.element_sensitivity()
    sections = []
    for view in profile.sections.values():
        columns = _columns(view, sensitivity)
        rows = [
            {"record": r, "cells": [(c, shown.get(c["code"], "")) for c in columns]}
            for r, shown in (
                (
                    r,
                    selectors.masked_values(
                        viewer=request.user, values=r.values, policy=policy, sensitivity=sensitivity
                    ),
                )
                for r in view.records
            )
        ]
        sections.append({"view": view, "columns": columns, "rows": rows})
    can_reveal = request.user.has_perm("datahub.reveal_sensitive")
    return render(
        request,
        "datahub/profile_detail.html",
        {
            "profile": profile,
            "sections": sections,
            "can_reveal": can_reveal,
            "tab": "profiles",
            "sensitivity": sensitivity,
        },
    )


def _columns(view, sensitivity) -> list[dict]:
    codes: list[str] = []
    for r in view.records:
        codes.extend(c for c in r.values if c not in codes)
    return [
        {
            "code": c,
            "label": ELEMENTS_BY_CODE[c].name_zh if c in ELEMENTS_BY_CODE else c,
            "sensitive": sensitivity.get(c, (5, ""))[0] >= 3,
        }
        for c in codes
    ]


@role_required(*READERS)
@require_POST
def profile_reveal(request, uscc):
    form = RevealForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    access.require_logger()  # fail closed before anything is read
    value = services.reveal_value(actor=request.user, uscc=uscc, **form.cleaned_data)
    access.log_supervisor_read(
        actor=request.user, uscc=uscc, elements=[form.cleaned_data["element"]], purpose=REVEAL_PURPOSE
    )
    return HttpResponse(f'<span class="mono">{escape(value)}</span>')
