"""Pages around one loan for its parties: the list, the post-loan page (ratings, deferral and
renewal requests, overdue reports), and the deferral decision pages."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dfsp.accounts.roles import ENTERPRISE_ROLES, INSTITUTION_ROLES, Role
from dfsp.core.access import role_required
from dfsp.core.errors import DomainError
from dfsp.financing import services as financing_services
from dfsp.postloan import parties, selectors, services
from dfsp.postloan.forms import DecisionForm, DeferralForm, RatingForm, RenewalForm
from dfsp.postloan.models import CaseEvent
from dfsp.postloan.states import DeferralStatus

PARTY_ROLES = (*ENTERPRISE_ROLES, *INSTITUTION_ROLES)
VIEWER_ROLES = (*PARTY_ROLES, Role.OPERATOR, Role.REGULATOR)


def apply_errors(form, exc: DomainError) -> None:
    """400s become form errors; anything else (403/404/409) goes to the error page."""
    if exc.status != 400:
        raise exc
    if exc.field_errors:
        for name, message in exc.field_errors.items():
            form.add_error(name if name in form.fields else None, message)
    else:
        form.add_error(None, exc.message)


def flash_error(request, exc: DomainError) -> None:
    if exc.status not in (400, 409):
        raise exc
    text = " ".join(str(m) for m in exc.field_errors.values()) if exc.field_errors else str(exc.message)
    messages.error(request, text)


@role_required(*VIEWER_ROLES)
def loan_list(request):
    page = Paginator(selectors.party_loans(request.user).order_by("-start_date", "-pk"), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "postloan/loan_list.html", {"page": page})


@role_required(*VIEWER_ROLES)
def loan_detail(request, loan_id: int):
    loan = selectors.get_loan_for(request.user, loan_id)
    side = parties.side_of(request.user, loan)
    direction = selectors.own_direction(request.user, loan)
    ratings = selectors.ratings_of_loan(loan)
    rating_form = None
    if direction and ratings.get(direction) is None:
        rating_form = RatingForm(tag_choices=selectors.tag_choices(direction))
    context = {
        "loan": loan,
        "side": side,
        "ratings": [
            (d, r, selectors.tag_labels(r.tags) if r else [], "★" * r.stars if r else "")
            for d, r in ratings.items()
        ],
        "rating_form": rating_form,
        "deferrals": selectors.deferrals_of_loan(loan),
        "renewals": selectors.renewals_of_loan(loan),
        "reports": loan.overdue_reports.all(),
        "deferral_form": DeferralForm() if side == parties.ENTERPRISE and loan.status != "settled" else None,
    }
    return render(request, "postloan/loan_detail.html", context)


@role_required(*PARTY_ROLES)
@require_POST
def loan_rate(request, loan_id: int):
    loan = parties.loan_as_party(request.user, loan_id)
    form = RatingForm(
        request.POST, tag_choices=selectors.tag_choices(selectors.own_direction(request.user, loan))
    )
    if not form.is_valid():
        messages.error(request, _("Choose 1 to 5 stars and tags from the list."))
        return redirect("postloan:loan_detail", loan_id=loan.pk)
    try:
        services.rate_loan(actor=request.user, loan_id=loan.pk, **form.cleaned_data)
    except DomainError as exc:
        flash_error(request, exc)
        return redirect("postloan:loan_detail", loan_id=loan.pk)
    messages.success(request, _("Thank you for your rating."))
    return redirect("postloan:loan_detail", loan_id=loan.pk)


@role_required(*ENTERPRISE_ROLES)
@require_POST
def deferral_request(request, loan_id: int):
    loan = parties.loan_as_party(request.user, loan_id, side=parties.ENTERPRISE)
    form = DeferralForm(request.POST)
    if form.is_valid():
        try:
            deferral = services.request_deferral(actor=request.user, loan_id=loan.pk, **form.cleaned_data)
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Deferral requested. The institution will decide by the date shown."))
            return redirect("postloan:deferral_detail", deferral_id=deferral.pk)
    for errors in form.errors.values():
        messages.error(request, " ".join(errors))
    return redirect("postloan:loan_detail", loan_id=loan.pk)


@role_required(*ENTERPRISE_ROLES)
@require_http_methods(["GET", "POST"])
def renewal_request(request, loan_id: int):
    loan = parties.loan_as_party(request.user, loan_id, side=parties.ENTERPRISE)
    if request.method == "POST":
        form = RenewalForm(request.POST)
        preview = None
    else:
        preview = financing_services.preview_application(
            actor=request.user, product_id=loan.application.product_id
        )
        form = RenewalForm(
            initial={
                "amount": loan.principal,
                "term_months": loan.term_months,
                "purpose": _("Renewal of loan %(contract)s") % {"contract": loan.contract_number},
                "number": preview["number"],
                "shown_text_hash": preview["text_hash"],
            }
        )
    if request.method == "POST" and form.is_valid():
        try:
            renewal = services.request_renewal(
                actor=request.user, loan_id=loan.pk, ip=request.META.get("REMOTE_ADDR"), **form.cleaned_data
            )
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Renewal application submitted."))
            return redirect("postloan:loan_detail", loan_id=renewal.loan_id)
    if preview is None:
        preview = financing_services.preview_application(
            actor=request.user, product_id=loan.application.product_id
        )
        form.data = form.data.copy()
        form.data.update({"number": preview["number"], "shown_text_hash": preview["text_hash"]})
    return render(request, "postloan/renewal_form.html", {"loan": loan, "form": form, "preview": preview})


@role_required(*VIEWER_ROLES)
def deferral_list(request):
    status = request.GET.get("status", "")
    queryset = selectors.deferrals_for(request.user, status=status)
    page = Paginator(queryset, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "postloan/deferral_list.html",
        {"page": page, "status": status, "statuses": DeferralStatus.choices},
    )


@role_required(*VIEWER_ROLES)
def deferral_detail(request, deferral_id: int):
    deferral = selectors.get_deferral_for(request.user, deferral_id)
    side = parties.side_of(request.user, deferral.loan)
    return render(
        request,
        "postloan/deferral_detail.html",
        {
            "deferral": deferral,
            "side": side,
            "events": selectors.case_events(CaseEvent.Kind.DEFERRAL, deferral.pk),
            "decision_form": DecisionForm() if side == parties.INSTITUTION else None,
        },
    )


@role_required(*INSTITUTION_ROLES)
@require_POST
def deferral_decide(request, deferral_id: int):
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
        return redirect("postloan:deferral_detail", deferral_id=deferral_id)
    try:
        if form.cleaned_data["decision"] == "approve":
            services.approve_deferral(
                actor=request.user, deferral_id=deferral_id, comment=form.cleaned_data["reason"]
            )
        else:
            services.reject_deferral(
                actor=request.user, deferral_id=deferral_id, reason=form.cleaned_data["reason"]
            )
    except DomainError as exc:
        flash_error(request, exc)
        return redirect("postloan:deferral_detail", deferral_id=deferral_id)
    messages.success(request, _("Decision recorded."))
    return redirect("postloan:deferral_detail", deferral_id=deferral_id)


@role_required(*ENTERPRISE_ROLES)
@require_POST
def deferral_withdraw(request, deferral_id: int):
    try:
        services.withdraw_deferral(actor=request.user, deferral_id=deferral_id)
    except DomainError as exc:
        flash_error(request, exc)
    else:
        messages.success(request, _("Deferral request withdrawn."))
    return redirect("postloan:deferral_detail", deferral_id=deferral_id)
