"""Timeliness pages: the late queue and urging (regulators, operators), urges and replies
(institutions; urgers see the replies), the 督办 list (regulators) and the public scorecard."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dfsp.accounts.roles import INSTITUTION_ROLES, Role
from dfsp.core.access import public_view, role_required
from dfsp.core.errors import DomainError
from dfsp.timeliness import scorecard as scorecards
from dfsp.timeliness import selectors, services
from dfsp.timeliness.forms import CloseForm, ReplyForm, UrgeForm
from dfsp.timeliness.states import EscalationStatus

URGERS = (Role.REGULATOR, Role.OPERATOR)


def _form_error(request, form, exc: DomainError | None = None) -> None:
    if exc is not None:
        for message in exc.field_errors.values() or [exc.message]:
            messages.error(request, message)
        return
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@role_required(*URGERS)
def late(request):
    return render(
        request,
        "timeliness/late.html",
        {"rows": selectors.late_queue(actor=request.user), "form": UrgeForm()},
    )


@role_required(*URGERS)
@require_POST
def urge(request, application_id: int):
    form = UrgeForm(request.POST)
    if not form.is_valid():
        _form_error(request, form)
        return redirect("timeliness:late")
    try:
        sent = services.urge_application(
            actor=request.user, application_id=application_id, **form.cleaned_data
        )
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        _form_error(request, form, exc)
    else:
        messages.success(request, _("Urge sent (level %(level)d).") % {"level": sent.level})
    return redirect("timeliness:late")


@role_required(*INSTITUTION_ROLES, *URGERS)
def urges(request):
    open_only = request.GET.get("open") == "1"
    page = Paginator(selectors.urges_for(actor=request.user, open_only=open_only), 20).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "timeliness/urges.html",
        {
            "page": page,
            "open_only": open_only,
            "can_reply": request.user.has_any_role(INSTITUTION_ROLES),
            "form": ReplyForm(),
        },
    )


@role_required(*INSTITUTION_ROLES)
@require_POST
def reply(request, urge_id: int):
    form = ReplyForm(request.POST)
    if not form.is_valid():
        _form_error(request, form)
        return redirect("timeliness:urges")
    try:
        services.reply_to_urge(actor=request.user, urge_id=urge_id, **form.cleaned_data)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        _form_error(request, form, exc)
    else:
        messages.success(request, _("Reply sent."))
    return redirect("timeliness:urges")


@role_required(*URGERS)
def supervision(request):
    status = request.GET.get("status", EscalationStatus.OPEN)
    items = selectors.escalations_for(actor=request.user, status=status)
    page = Paginator(items, 20).get_page(request.GET.get("page"))
    rows = [{"item": item, "urges": selectors.urges_of_escalation(item)} for item in page]
    return render(
        request,
        "timeliness/supervision.html",
        {
            "page": page,
            "rows": rows,
            "status": status,
            "statuses": EscalationStatus.choices,
            "can_close": request.user.has_role(Role.REGULATOR),
            "form": CloseForm(),
        },
    )


@role_required(Role.REGULATOR)
@require_POST
def close(request, escalation_id: int):
    form = CloseForm(request.POST)
    if not form.is_valid():
        _form_error(request, form)
        return redirect("timeliness:supervision")
    try:
        services.close_escalation(actor=request.user, escalation_id=escalation_id, **form.cleaned_data)
    except DomainError as exc:
        if exc.status in (403, 404, 409):
            raise
        _form_error(request, form, exc)
    else:
        messages.success(request, _("Supervision item closed."))
    return redirect("timeliness:supervision")


@public_view
def scorecard(request):
    data = scorecards.scorecard()
    return render(
        request, "timeliness/scorecard.html", {**data, "chart": scorecards.comparison_chart(data["cards"])}
    )
