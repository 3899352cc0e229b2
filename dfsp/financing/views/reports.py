"""Application statistics (an institution its own; operators and regulators the platform and a
table per institution) and the operators' list of rejection reasons."""

from datetime import datetime, time, timedelta

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dfsp.accounts.roles import INSTITUTION_ROLES, Role
from dfsp.accounts.selectors import organisation_of
from dfsp.core.access import role_required
from dfsp.core.errors import DomainError
from dfsp.financing import selectors, services
from dfsp.financing.forms import RejectionReasonForm

PERIODS = {"30": 30, "90": 90, "365": 365, "all": None}


def _window(request):
    period = request.GET.get("period", "90")
    if period not in PERIODS:
        period = "90"
    days = PERIODS[period]
    if days is None:
        return period, None
    start_day = timezone.localdate() - timedelta(days=days)
    return period, timezone.make_aware(datetime.combine(start_day, time.min))


def _percent(value):
    return None if value is None else round(value * 100, 1)


def _charts(stats: dict) -> dict:
    funnel = {
        "tooltip": {},
        "xAxis": {
            "type": "category",
            "data": [_("Applications"), _("Accepted"), _("Approved"), _("Rejected")],
        },
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {
                "type": "bar",
                "data": [stats["applications"], stats["accepted"], stats["approved"], stats["rejected"]],
            }
        ],
    }
    reasons = {
        "tooltip": {"trigger": "item"},
        "series": [
            {
                "type": "pie",
                "radius": ["35%", "65%"],
                "data": [{"name": r["label"], "value": r["count"]} for r in stats["rejection_reasons"]],
            }
        ],
    }
    on_time = {
        "tooltip": {},
        "xAxis": {"type": "category", "data": [_("Accept"), _("Decide"), _("Disburse")]},
        "yAxis": {"type": "value", "max": 100, "axisLabel": {"formatter": "{value}%"}},
        "series": [
            {
                "type": "bar",
                "data": [_percent(stats[step]["on_time_share"]) for step in ("accept", "decide", "disburse")],
            }
        ],
    }
    return {"funnel_chart": funnel, "reasons_chart": reasons, "on_time_chart": on_time}


@role_required(*INSTITUTION_ROLES, Role.OPERATOR, Role.REGULATOR)
def statistics(request):
    period, start = _window(request)
    platform_view = request.user.has_any_role({Role.OPERATOR, Role.REGULATOR})
    institution = None if platform_view else organisation_of(request.user)
    stats = selectors.application_statistics(institution=institution, start=start)
    context = {
        "stats": stats,
        "period": period,
        "platform_view": platform_view,
        "institution": institution,
        "acceptance_percent": _percent(stats["acceptance_rate"]),
        "approval_percent": _percent(stats["approval_rate"]),
        "steps": [
            (_("Accept"), stats["accept"]),
            (_("Decide"), stats["decide"]),
            (_("Disburse"), stats["disburse"]),
        ],
        **_charts(stats),
    }
    if platform_view:
        context["rows"] = [
            {
                **row,
                "acceptance_percent": _percent(row["acceptance_rate"]),
                "approval_percent": _percent(row["approval_rate"]),
                "accept_on_time": _percent(row["accept"]["on_time_share"]),
                "decide_on_time": _percent(row["decide"]["on_time_share"]),
            }
            for row in selectors.statistics_by_institution(start=start)
        ]
    return render(request, "financing/statistics.html", context)


@role_required(Role.OPERATOR)
@require_http_methods(["GET", "POST"])
def rejection_reasons(request):
    editing = None
    reason_id = request.GET.get("edit") or request.POST.get("reason_id")
    if reason_id:
        editing = (
            selectors.rejection_reasons(active_only=False)
            .filter(pk=reason_id if str(reason_id).isdigit() else 0)
            .first()
        )
    initial = (
        {
            "code": editing.code,
            "label": editing.label,
            "advice": editing.advice,
            "order": editing.order,
            "active": editing.active,
        }
        if editing
        else {"active": True, "order": 0}
    )
    form = RejectionReasonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_rejection_reason(
                actor=request.user, reason_id=editing.pk if editing else None, **form.cleaned_data
            )
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            for name, message in exc.field_errors.items() or [(None, exc.message)]:
                form.add_error(name if name in form.fields else None, message)
        else:
            messages.success(request, _("Rejection reason saved."))
            return redirect("financing:rejection_reasons")
    return render(
        request,
        "financing/rejection_reasons.html",
        {"reasons": selectors.rejection_reasons(active_only=False), "form": form, "editing": editing},
    )
