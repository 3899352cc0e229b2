"""Operators fit a candidate scorecard from the platform's own loan outcomes (#6.3). The candidate
is a credit draft: it is reviewed and activated on credit's version page."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dfsp.accounts.roles import Role
from dfsp.core.access import role_required
from dfsp.core.errors import DomainError
from dfsp.postloan.services import fitting


@role_required(Role.OPERATOR)
@require_http_methods(["GET", "POST"])
def fit_from_history(request):
    error = ""
    if request.method == "POST":
        try:
            version = fitting.fit_scorecard_from_history(actor=request.user)
        except DomainError as exc:
            if exc.status != 400:
                raise
            error = str(exc.message)
        else:
            messages.success(
                request,
                _("A candidate scorecard was fitted from platform history. Review it before activating."),
            )
            return redirect("credit:version_detail", version_id=version.pk)
    return render(
        request,
        "postloan/fit_from_history.html",
        {
            "summary": fitting.history_summary(actor=request.user),
            "error": error,
            "bad_days": fitting.BAD_DAYS_PAST_DUE,
            "months": fitting.OBSERVATION_MONTHS,
        },
    )
