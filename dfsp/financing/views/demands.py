"""Demand pages: my demands and publishing (enterprises), the demand market and favourites
(institutions), the review queue (operators), and one detail page whose actions follow the role."""

from functools import wraps

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dfsp.accounts.roles import ENTERPRISE_ROLES, INSTITUTION_ROLES, Role
from dfsp.accounts.selectors import organisation_of
from dfsp.core.access import login_required_view, role_required
from dfsp.core.errors import DomainError, NotFound
from dfsp.enterprises import selectors as enterprise_selectors
from dfsp.financing import selectors, services
from dfsp.financing.forms import DemandForm, MarketFilterForm, ReviewForm
from dfsp.financing.states import DemandStatus


def _audit_not_found(action: str):
    """Views on one demand: a NotFound (not yours, or none) leaves a denial in the audit trail."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, demand_id, *args, **kwargs):
            try:
                return view(request, demand_id, *args, **kwargs)
            except NotFound:
                services.record_demand_denial(actor=request.user, demand_id=demand_id, action=action)
                raise

        return wrapper

    return decorator


def _apply_errors(form, exc: DomainError) -> None:
    if exc.field_errors:
        for name, message in exc.field_errors.items():
            form.add_error(name if name in form.fields else None, message)
    else:
        form.add_error(None, exc.message)


@role_required(*ENTERPRISE_ROLES)
def my_demands(request):
    status = request.GET.get("status", "")
    page = Paginator(selectors.own_demands(request.user, status=status), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "financing/my_demands.html",
        {
            "page": page,
            "status": status,
            "statuses": DemandStatus.choices,
            "certified": enterprise_selectors.is_certified(organisation_of(request.user)),
        },
    )


@role_required(*ENTERPRISE_ROLES)
@require_http_methods(["GET", "POST"])
def demand_create(request):
    organisation = organisation_of(request.user)
    certified = enterprise_selectors.is_certified(organisation)
    profile = enterprise_selectors.profile_of(organisation)
    initial = {"urgency": "normal", "valid_until": timezone.localdate() + timezone.timedelta(days=60)}
    if profile:
        initial.update(contact_name=profile.contact_name, contact_mobile=profile.contact_mobile)
    form = DemandForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            demand = services.publish_demand(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            if exc.status == 403:
                raise
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Demand published. It goes live once the platform has reviewed it."))
            return redirect("financing:demand_detail", demand_id=demand.pk)
    return render(request, "financing/demand_form.html", {"form": form, "certified": certified})


@login_required_view
@_audit_not_found("view")
def demand_detail(request, demand_id: int):
    demand = selectors.get_demand_for(request.user, demand_id)
    user = request.user
    is_owner = user.has_any_role(ENTERPRISE_ROLES)
    is_institution = user.has_any_role(INSTITUTION_ROLES)
    return render(
        request,
        "financing/demand_detail.html",
        {
            "demand": demand,
            "events": demand.events.select_related("actor", "organisation"),
            "contact_visible": selectors.contact_visible(user, demand),
            "is_owner": is_owner,
            "is_institution": is_institution,
            "is_operator": user.has_role(Role.OPERATOR),
            "is_favourite": is_institution and selectors.is_favourite(user, demand),
            "interested": selectors.interested_institutions(user, demand) if is_owner else [],
            "review_form": ReviewForm(),
            "live": demand.status == DemandStatus.LIVE,
            **_invitation_context(user, demand, is_institution),
        },
    )


def _invitation_context(user, demand, is_institution) -> dict:
    """The institution that took the demand may invite the enterprise to apply for a product."""
    if not (is_institution and selectors.applications.demand_can_invite(actor=user, demand=demand)):
        return {"can_invite": False}
    from dfsp.institutions.selectors import list_products_for

    sent = selectors.applications.invitations_sent(demand=demand, institution=organisation_of(user))
    return {
        "can_invite": True,
        "invite_products": list_products_for(user).filter(status="live"),
        "invitations_sent": sent,
    }


@role_required(*ENTERPRISE_ROLES)
@require_POST
@_audit_not_found("withdraw")
def demand_withdraw(request, demand_id: int):
    services.withdraw_demand(actor=request.user, demand_id=demand_id)
    messages.success(request, _("Demand withdrawn."))
    return redirect("financing:demand_detail", demand_id=demand_id)


@role_required(*ENTERPRISE_ROLES)
@require_POST
@_audit_not_found("reveal")
def demand_reveal(request, demand_id: int):
    try:
        services.reveal_contact(
            actor=request.user, demand_id=demand_id, institution_id=request.POST.get("institution")
        )
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, " ".join(str(m) for m in exc.field_errors.values()) or exc.message)
    else:
        messages.success(request, _("Your contact details are now visible to this institution."))
    return redirect("financing:demand_detail", demand_id=demand_id)


@role_required(*INSTITUTION_ROLES)
@require_POST
@_audit_not_found("take")
def demand_take(request, demand_id: int):
    services.take_demand(actor=request.user, demand_id=demand_id)
    messages.success(request, _("You took this demand. The enterprise has been told."))
    return redirect("financing:demand_detail", demand_id=demand_id)


@role_required(*INSTITUTION_ROLES)
@require_POST
@_audit_not_found("favourite")
def demand_favourite(request, demand_id: int):
    if request.POST.get("action") == "remove":
        services.unfavourite_demand(actor=request.user, demand_id=demand_id)
        messages.success(request, _("Removed from your favourites."))
        if request.POST.get("next") == "favourites":
            return redirect("financing:favourites")
    else:
        services.favourite_demand(actor=request.user, demand_id=demand_id)
        messages.success(request, _("Saved to your favourites."))
    return redirect("financing:demand_detail", demand_id=demand_id)


@role_required(Role.OPERATOR)
@require_POST
def demand_review(request, demand_id: int):
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
        return redirect("financing:demand_detail", demand_id=demand_id)
    try:
        if form.cleaned_data["decision"] == "approve":
            services.approve_demand(
                reviewer=request.user, demand_id=demand_id, comment=form.cleaned_data["reason"]
            )
        else:
            services.reject_demand(
                reviewer=request.user, demand_id=demand_id, reason=form.cleaned_data["reason"]
            )
    except DomainError as exc:
        if exc.status != 400:
            raise
        messages.error(request, " ".join(str(m) for m in exc.field_errors.values()) or exc.message)
        return redirect("financing:demand_detail", demand_id=demand_id)
    messages.success(request, _("Decision recorded."))
    return redirect("financing:review_queue")


@role_required(*INSTITUTION_ROLES, Role.OPERATOR, Role.REGULATOR)
def market(request):
    form = MarketFilterForm(request.GET or None)
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "query": data["q"],
            "region_code": data["region_code"],
            "industry": data["industry"],
            "scale": data["scale"],
            "urgency": data["urgency"],
            "min_amount": data["min_amount"],
            "max_amount": data["max_amount"],
        }
    elif request.GET:
        filters = None
    queryset = selectors.live_demands(request.user, **filters) if filters is not None else []
    page = Paginator(queryset, 20).get_page(request.GET.get("page"))
    return render(request, "financing/market.html", {"page": page, "form": form})


@role_required(*INSTITUTION_ROLES)
def favourites(request):
    page = Paginator(selectors.favourites_for(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "financing/favourites.html", {"page": page})


@role_required(Role.OPERATOR)
def review_queue(request):
    order = request.GET.get("order", "oldest")
    page = Paginator(selectors.review_queue(request.user, order=order), 30).get_page(request.GET.get("page"))
    return render(request, "financing/review_queue.html", {"page": page, "order": order})
