"""Overdue reports (institutions file and update them), the blacklist proposal review (operators),
post-loan monitoring, and the borrower-history fragment of the application review desk."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dfsp.accounts.roles import INSTITUTION_ROLES, Role
from dfsp.core.access import role_required
from dfsp.core.errors import DomainError
from dfsp.postloan import parties, selectors, services
from dfsp.postloan.forms import DecisionForm, OverdueReportForm, OverdueUpdateForm, ProposalForm
from dfsp.postloan.states import COLLECTION_TRANSITIONS, CollectionStatus, ProposalStatus
from dfsp.postloan.views.loans import apply_errors, flash_error

READER_ROLES = (*INSTITUTION_ROLES, Role.OPERATOR, Role.REGULATOR)


@role_required(*READER_ROLES)
def report_list(request):
    status = request.GET.get("status", "")
    page = Paginator(selectors.overdue_reports_for(request.user, status=status), 20).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "postloan/report_list.html",
        {"page": page, "status": status, "statuses": CollectionStatus.choices},
    )


@role_required(*INSTITUTION_ROLES)
@require_http_methods(["GET", "POST"])
def report_create(request, loan_id: int):
    loan = parties.loan_as_party(request.user, loan_id, side=parties.INSTITUTION)
    form = OverdueReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.file_overdue_report(actor=request.user, loan_id=loan.pk, **form.cleaned_data)
        except DomainError as exc:
            if exc.status == 409:
                flash_error(request, exc)
                return redirect("postloan:loan_detail", loan_id=loan.pk)
            apply_errors(form, exc)
        else:
            messages.success(request, _("Overdue report filed."))
            return redirect("postloan:report_detail", report_id=report.pk)
    return render(request, "postloan/report_form.html", {"loan": loan, "form": form})


@role_required(*READER_ROLES)
def report_detail(request, report_id: int):
    report = selectors.get_overdue_report_for(request.user, report_id)
    is_lender = parties.side_of(request.user, report.loan) == parties.INSTITUTION
    allowed = COLLECTION_TRANSITIONS.get(report.status, set())
    open_report = bool(allowed)
    update_form = None
    if is_lender and open_report:
        update_form = OverdueUpdateForm(initial={"status": report.status})
        update_form.fields["status"].choices = [
            (value, label)
            for value, label in CollectionStatus.choices
            if value in allowed or value == report.status
        ]
    pending = report.proposals.filter(status=ProposalStatus.PENDING).exists()
    return render(
        request,
        "postloan/report_detail.html",
        {
            "report": report,
            "history": selectors.report_history(report),
            "proposals": report.proposals.all(),
            "update_form": update_form,
            "proposal_form": ProposalForm() if is_lender and open_report and not pending else None,
        },
    )


@role_required(*INSTITUTION_ROLES)
@require_POST
def report_update(request, report_id: int):
    form = OverdueUpdateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the collection status."))
        return redirect("postloan:report_detail", report_id=report_id)
    try:
        services.update_overdue_report(actor=request.user, report_id=report_id, **form.cleaned_data)
    except DomainError as exc:
        flash_error(request, exc)
    else:
        messages.success(request, _("Overdue report updated."))
    return redirect("postloan:report_detail", report_id=report_id)


@role_required(*INSTITUTION_ROLES)
@require_POST
def report_propose(request, report_id: int):
    try:
        services.propose_blacklist(
            actor=request.user, report_id=report_id, reason=request.POST.get("reason", "")
        )
    except DomainError as exc:
        flash_error(request, exc)
    else:
        messages.success(request, _("Blacklist proposal sent to the platform operators for review."))
    return redirect("postloan:report_detail", report_id=report_id)


@role_required(Role.OPERATOR, *INSTITUTION_ROLES)
def proposal_list(request):
    status = request.GET.get("status", "pending" if request.user.has_role(Role.OPERATOR) else "")
    page = Paginator(selectors.proposals_for(request.user, status=status), 20).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "postloan/proposal_list.html",
        {
            "page": page,
            "status": status,
            "statuses": ProposalStatus.choices,
            "decision_form": DecisionForm() if request.user.has_role(Role.OPERATOR) else None,
        },
    )


@role_required(Role.OPERATOR)
@require_POST
def proposal_review(request, proposal_id: int):
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
        return redirect("postloan:proposal_list")
    try:
        if form.cleaned_data["decision"] == "approve":
            services.approve_blacklist_proposal(
                actor=request.user, proposal_id=proposal_id, comment=form.cleaned_data["reason"]
            )
        else:
            services.reject_blacklist_proposal(
                actor=request.user, proposal_id=proposal_id, reason=form.cleaned_data["reason"]
            )
    except DomainError as exc:
        flash_error(request, exc)
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("postloan:proposal_list")


@role_required(*INSTITUTION_ROLES, Role.REGULATOR, Role.OPERATOR)
def monitoring(request, loan_id: int):
    result = selectors.monitoring_for(request.user, loan_id)
    return render(
        request,
        "postloan/monitoring.html",
        {"m": result, "can_request": parties.side_of(request.user, result.loan) == parties.INSTITUTION},
    )


@role_required(*INSTITUTION_ROLES)
@require_POST
def monitoring_request(request, loan_id: int):
    try:
        services.request_monitoring_consent(
            actor=request.user, loan_id=loan_id, reason=request.POST.get("reason", "")
        )
    except DomainError as exc:
        flash_error(request, exc)
    else:
        messages.success(
            request, _("Monitoring consent requested. The enterprise signs it on its consent page.")
        )
    return redirect("postloan:monitoring", loan_id=loan_id)


@role_required(*INSTITUTION_ROLES)
def borrower_history(request):
    """An htmx fragment for the application review desk (``?application=<id>``)."""
    history = selectors.borrower_history_for(request.user, request.GET.get("application"))
    return render(request, "postloan/_borrower_history.html", history)
