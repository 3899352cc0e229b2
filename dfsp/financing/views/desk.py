"""The institutions' review desk: the queue, the moves on one application, notes, assignment,
two-step approval, decision-model scores, invitations from taken demands and the review settings."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dfsp.accounts.roles import INSTITUTION_ROLES, Role
from dfsp.accounts.selectors import active_members, organisation_of
from dfsp.core.access import role_required
from dfsp.core.errors import DomainError
from dfsp.financing import selectors, services
from dfsp.financing.forms import ApproveForm, RejectForm
from dfsp.financing.selectors import applications as application_selectors
from dfsp.financing.states import ApplicationStatus
from dfsp.financing.views.applications import audit_not_found, error_text, render_detail


@role_required(*INSTITUTION_ROLES)
def desk(request):
    status = request.GET.get("status", "")
    order = request.GET.get("order", "waiting")
    product = request.GET.get("product", "")
    officer = request.GET.get("officer", "")
    queryset = selectors.application_queue(
        actor=request.user,
        status=status,
        product_id=int(product) if product.isdigit() else None,
        officer_id=officer if officer == "none" or officer.isdigit() else None,
        order=order,
    )
    organisation = organisation_of(request.user)
    page = Paginator(queryset, 30).get_page(request.GET.get("page"))
    rows = [
        {
            "application": application,
            "waiting_hours": application_selectors.waiting_hours(application),
            "late": application_selectors.is_late(application),
        }
        for application in page
    ]
    products = (
        selectors.applications_for(actor=request.user).values_list("product_id", "product_name").distinct()
    )
    return render(
        request,
        "financing/desk.html",
        {
            "page": page,
            "rows": rows,
            "status": status,
            "order": order,
            "product": product,
            "officer": officer,
            "statuses": ApplicationStatus.choices,
            "products": sorted(set(products), key=lambda item: item[1]),
            "officers": active_members(INSTITUTION_ROLES, organisation),
            "two_step": selectors.two_step_approval(organisation),
            "is_manager": request.user.has_role(Role.INSTITUTION_ADMIN),
        },
    )


def _done(request, application_id, message):
    messages.success(request, message)
    return redirect("financing:application_detail", application_id=application_id)


def _refused(request, application_id, exc):
    if exc.status in (403, 404, 409) and exc.code not in ("proposal_required", "no_pending_proposal"):
        raise exc
    messages.error(request, error_text(exc))
    return redirect("financing:application_detail", application_id=application_id)


@role_required(*INSTITUTION_ROLES)
@require_POST
@audit_not_found("accept")
def application_accept(request, application_id: int):
    services.accept_application(
        actor=request.user, application_id=application_id, comment=request.POST.get("comment", "")
    )
    return _done(request, application_id, _("Application accepted. The decision time limit now runs."))


@role_required(*INSTITUTION_ROLES)
@require_POST
@audit_not_found("return")
def application_return(request, application_id: int):
    try:
        services.return_application(
            actor=request.user,
            application_id=application_id,
            request_text=request.POST.get("request_text", ""),
        )
    except DomainError as exc:
        return _refused(request, application_id, exc)
    return _done(request, application_id, _("Returned to the enterprise for more information."))


def _decide(request, application_id, decision):
    """Approve or reject directly, or — with two-step approval for a loan officer — propose."""
    application = selectors.get_application_for(actor=request.user, application_id=application_id)
    reasons = list(selectors.rejection_reasons())
    form = ApproveForm(request.POST) if decision == "approve" else RejectForm(request.POST, reasons=reasons)
    propose = request.POST.get("propose") == "1"
    if form.is_valid():
        data = form.cleaned_data
        try:
            if propose:
                services.propose_decision(
                    actor=request.user, application_id=application_id, decision=decision, **data
                )
                return _done(
                    request, application_id, _("Proposal sent to an administrator for confirmation.")
                )
            if decision == "approve":
                services.approve_application(actor=request.user, application_id=application_id, **data)
                return _done(
                    request, application_id, _("Application approved. The enterprise has been told.")
                )
            services.reject_application(actor=request.user, application_id=application_id, **data)
            return _done(request, application_id, _("Application rejected. The enterprise sees the reason."))
        except DomainError as exc:
            if exc.status in (403, 404, 409) and exc.code != "proposal_required":
                raise
            for name, message in exc.field_errors.items() or [(None, exc.message)]:
                form.add_error(name if name in form.fields else None, message)
    key = "approve_form" if decision == "approve" else "reject_form"
    response = render_detail(request, application, **{key: form})
    response.status_code = 400
    return response


@role_required(*INSTITUTION_ROLES)
@require_POST
@audit_not_found("approve")
def application_approve(request, application_id: int):
    return _decide(request, application_id, "approve")


@role_required(*INSTITUTION_ROLES)
@require_POST
@audit_not_found("reject")
def application_reject(request, application_id: int):
    return _decide(request, application_id, "reject")


@role_required(Role.INSTITUTION_ADMIN)
@require_POST
@audit_not_found("decide_proposal")
def application_decide_proposal(request, application_id: int):
    confirm = request.POST.get("confirm") == "1"
    try:
        services.decide_proposal(
            actor=request.user,
            application_id=application_id,
            confirm=confirm,
            comment=request.POST.get("comment", ""),
        )
    except DomainError as exc:
        return _refused(request, application_id, exc)
    return _done(request, application_id, _("Proposal confirmed.") if confirm else _("Proposal sent back."))


@role_required(*INSTITUTION_ROLES)
@require_POST
@audit_not_found("assign")
def application_assign(request, application_id: int):
    try:
        services.assign_officer(
            actor=request.user, application_id=application_id, officer_id=request.POST.get("officer")
        )
    except DomainError as exc:
        return _refused(request, application_id, exc)
    return _done(request, application_id, _("Assignment saved."))


@role_required(*INSTITUTION_ROLES)
@require_POST
@audit_not_found("note")
def application_note(request, application_id: int):
    try:
        services.add_note(
            actor=request.user, application_id=application_id, text=request.POST.get("text", "")
        )
    except DomainError as exc:
        return _refused(request, application_id, exc)
    return _done(request, application_id, _("Note added (visible to your institution only)."))


@role_required(*INSTITUTION_ROLES)
@require_POST
@audit_not_found("assess")
def application_assessment(request, application_id: int):
    """Run the decision models; a refusal (no grant, model missing) shows a message, never a 500."""
    application = selectors.get_application_for(actor=request.user, application_id=application_id)
    assessment, problem = None, ""
    try:
        assessment = services.assess_application(actor=request.user, application_id=application_id)
    except DomainError as exc:
        problem = exc.code
    except (ImportError, AttributeError):
        problem = "decision_models_unavailable"
    return render_detail(request, application, assessment=assessment, assessment_error=problem)


@role_required(Role.INSTITUTION_ADMIN)
@require_POST
def review_settings(request):
    services.set_review_settings(actor=request.user, two_step_approval=request.POST.get("two_step") == "1")
    messages.success(request, _("Review settings saved."))
    return redirect("financing:desk")


@role_required(*INSTITUTION_ROLES)
@require_POST
def demand_invite(request, demand_id: int):
    try:
        services.invite_to_apply(
            actor=request.user,
            demand_id=demand_id,
            product_id=request.POST.get("product"),
            message=request.POST.get("message", ""),
        )
    except DomainError as exc:
        if exc.status in (403, 404) and exc.code != "product_not_live":
            raise
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Invitation sent. The enterprise sees it in its applications."))
    return redirect("financing:demand_detail", demand_id=demand_id)
