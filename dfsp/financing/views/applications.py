"""Application pages shared by every side: the enterprise's list and apply form (with the consent
text), one detail page whose content follows the role, private materials, the enterprise's moves."""

from functools import wraps

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dfsp.accounts.roles import ENTERPRISE_ROLES, INSTITUTION_ROLES, Role
from dfsp.accounts.selectors import organisation_of
from dfsp.core.access import login_required_view, role_required
from dfsp.core.errors import DomainError, NotFound
from dfsp.core.net import client_ip
from dfsp.enterprises import selectors as enterprise_selectors
from dfsp.financing import selectors, services
from dfsp.financing.forms import ApplicationForm
from dfsp.financing.models import Application
from dfsp.financing.states import APPLICATION_TRANSITIONS, ApplicationStatus
from dfsp.financing.views import review_panel

A = ApplicationStatus


def audit_not_found(action: str):
    """Views on one application: a NotFound (not yours, or none) leaves a denial in the audit trail."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, application_id, *args, **kwargs):
            try:
                return view(request, application_id, *args, **kwargs)
            except NotFound:
                services.record_application_denial(
                    actor=request.user, application_id=application_id, action=action
                )
                raise

        return wrapper

    return decorator


def error_text(exc: DomainError) -> str:
    return " ".join(str(m) for m in exc.field_errors.values()) or str(exc.message)


@role_required(*ENTERPRISE_ROLES)
def my_applications(request):
    status = request.GET.get("status", "")
    queryset = selectors.applications_for(actor=request.user, status=status or None)
    page = Paginator(queryset, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "financing/my_applications.html",
        {
            "page": page,
            "status": status,
            "statuses": ApplicationStatus.choices,
            "invitations": selectors.invitations_for(actor=request.user),
        },
    )


def _prefill(request) -> dict:
    """Initial values from an invitation (its demand), an earlier application, or a demand."""
    initial = {}
    invitation_id = request.GET.get("invitation")
    if invitation_id:
        invitation = selectors.get_invitation_for(actor=request.user, invitation_id=invitation_id)
        demand = invitation.demand
        initial.update(
            product=invitation.product_id,
            amount=demand.amount,
            term_months=demand.term_months,
            purpose=demand.purpose,
            demand_id=demand.pk,
        )
    demand_id = request.GET.get("demand")
    if demand_id and not invitation_id:
        # From a match: only the enterprise's own demand prefills the form.
        demand = (
            selectors.own_demands(request.user).filter(pk=demand_id).first() if demand_id.isdigit() else None
        )
        if demand is not None:
            initial.update(
                amount=demand.amount,
                term_months=demand.term_months,
                purpose=demand.purpose,
                demand_id=demand.pk,
            )
    previous_id = request.GET.get("previous")
    if previous_id:
        previous = selectors.get_application_for(actor=request.user, application_id=previous_id)
        initial.update(
            product=previous.product_id,
            amount=previous.amount,
            term_months=previous.term_months,
            purpose=previous.purpose,
            previous_id=previous.pk,
            demand_id=previous.demand_id,
        )
    return initial


@role_required(*ENTERPRISE_ROLES)
@require_http_methods(["GET", "POST"])
def apply(request):
    organisation = organisation_of(request.user)
    if not enterprise_selectors.is_certified(organisation):
        return render(request, "financing/apply.html", {"certified": False}, status=403)
    initial = _prefill(request) if request.method == "GET" else {}
    product_id = request.POST.get("product") or initial.get("product") or request.GET.get("product")
    preview = services.preview_application(actor=request.user, product_id=product_id)
    initial.update(number=preview["number"], text_hash=preview["text_hash"])
    form = ApplicationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.submit_application(
                actor=request.user,
                product_id=preview["product"].pk,
                amount=data["amount"],
                term_months=data["term_months"],
                purpose=data["purpose"],
                materials=request.FILES.getlist("materials"),
                shown_text_hash=data["text_hash"] or "",
                confirmed=data["confirmed"],
                number=data["number"],
                demand_id=data["demand_id"],
                previous_id=data["previous_id"],
                ip=client_ip(request),
            )
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            if exc.field_errors:
                for name, message in exc.field_errors.items():
                    form.add_error(name if name in form.fields else None, message)
            else:
                form.add_error(None, exc.message)
        else:
            messages.success(request, _("Application submitted. The institution has been told."))
            return redirect("financing:application_detail", application_id=application.pk)
    product = preview["product"]
    return render(
        request,
        "financing/apply.html",
        {
            "certified": True,
            "form": form,
            "product": product,
            "preview": preview,
            "scope_names": review_panel.scope_names(preview["scopes"]),
            "amount_min": product.amount_min * 10000,
            "amount_max": product.amount_max * 10000,
        },
    )


@login_required_view
@audit_not_found("view")
def application_detail(request, application_id: int):
    application = selectors.get_application_for(actor=request.user, application_id=application_id)
    return render_detail(request, application)


def render_detail(request, application: Application, **extra):
    user = request.user
    is_enterprise = user.has_any_role(ENTERPRISE_ROLES)
    is_institution = user.has_any_role(INSTITUTION_ROLES)
    allowed = APPLICATION_TRANSITIONS.get(application.status, set())
    context = {
        "application": application,
        "is_enterprise": is_enterprise,
        "is_institution": is_institution,
        "is_staff_reader": user.has_any_role({Role.OPERATOR, Role.REGULATOR}),
        "materials": application.materials.all(),
        "can_withdraw": is_enterprise and A.WITHDRAWN in allowed,
        "can_resubmit": is_enterprise and application.status == A.RETURNED,
        "can_reapply": is_enterprise
        and application.status in (A.REJECTED, A.WITHDRAWN)
        and selectors.open_application_for_product(
            enterprise=application.enterprise, product=application.product
        )
        is None,
        "reason_advice": application.rejection_reason.advice if application.rejection_reason else "",
    }
    if is_institution:
        context.update(review_panel.desk_context(request, application, **extra))
        context["events"] = selectors.applications.events_for(application)
    else:
        context["events"] = selectors.applications.enterprise_events_for(application)
    return render(request, "financing/application_detail.html", context)


@role_required(*ENTERPRISE_ROLES)
@require_POST
@audit_not_found("withdraw")
def application_withdraw(request, application_id: int):
    services.withdraw_application(
        actor=request.user, application_id=application_id, reason=request.POST.get("reason", "")
    )
    messages.success(request, _("Application withdrawn. The data authorisation for it has ended."))
    return redirect("financing:application_detail", application_id=application_id)


@role_required(*ENTERPRISE_ROLES)
@require_POST
@audit_not_found("resubmit")
def application_resubmit(request, application_id: int):
    try:
        services.resubmit_application(
            actor=request.user,
            application_id=application_id,
            text=request.POST.get("text", ""),
            materials=request.FILES.getlist("materials"),
        )
    except DomainError as exc:
        if exc.status in (403, 404, 409):
            raise
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Information added. The institution continues its review."))
    return redirect("financing:application_detail", application_id=application_id)


@role_required(*ENTERPRISE_ROLES, *INSTITUTION_ROLES, Role.OPERATOR)
def material_download(request, material_id: int):
    try:
        material = selectors.get_material_for(actor=request.user, material_id=material_id)
    except NotFound:
        services.record_application_denial(
            actor=request.user, application_id=f"m{material_id}", action="material"
        )
        raise
    services.record_material_view(actor=request.user, material=material)
    response = FileResponse(material.file.open("rb"), content_type=material.content_type)
    extension = material.file.name.rsplit(".", 1)[-1]
    response["Content-Disposition"] = f'inline; filename="application-material-{material.pk}.{extension}"'
    response["Cache-Control"] = "private, no-store"
    return response
