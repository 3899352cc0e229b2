"""Pages of the institutions module: the public financial supermarket, product management for
institutions, review and ranking for operators, onboarding and staff administration."""

import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dfsp.accounts.roles import INSTITUTION_ROLES, Role
from dfsp.accounts.selectors import list_users_for, organisation_of
from dfsp.core.access import login_required_view, public_view, role_required
from dfsp.core.errors import DomainError
from dfsp.institutions import selectors, services
from dfsp.institutions.codes import AMOUNT_BUCKETS, RATE_BUCKETS, TERM_BUCKETS
from dfsp.institutions.forms import (
    BranchForm,
    MarketFilterForm,
    OfficerForm,
    OnboardForm,
    ProductForm,
    ReasonForm,
    WeightsForm,
)
from dfsp.institutions.models import RankingConfig
from dfsp.institutions.states import ProductStatus, RevisionStatus

PAGE_SIZE = 12
INSTITUTION_FACET_SIZE = 12


def _apply_errors(form, exc: DomainError) -> None:
    if exc.field_errors:
        for name, message in exc.field_errors.items():
            form.add_error(name if name in form.fields else None, message)
    else:
        form.add_error(None, exc.message)


# --- Public supermarket ---------------------------------------------------------------------------


def _market_context(request):
    form = MarketFilterForm(request.GET or None, institutions=selectors.market_institutions())
    filters = form.filters()
    products = selectors.search_products(filters)
    counts = selectors.market_facet_counts(filters)
    page = Paginator(products, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "form": form,
        "page": page,
        "counts": counts,
        "total": page.paginator.count,
        "facets": _facet_groups(form, counts),
        "querystring": query.urlencode(),
        "favourites": selectors.favourite_ids(request.user),
    }


def _facet_groups(form, counts):
    groups = []
    for name, key in (
        ("product_type", "product_type"),
        ("tag", "tag"),
        ("institution_type", "institution_type"),
        ("guarantee", "guarantee"),
        ("institution", "institution"),
    ):
        field = form[name]
        selected = {str(value) for value in (field.value() or [])}
        options = []
        for value, label in form.fields[name].choices:
            count = counts[key].get(value, 0)
            if isinstance(count, dict):
                count = count["count"]
            options.append(
                {"value": value, "label": label, "count": count, "checked": str(value) in selected}
            )
        if name == "institution":
            # Long lists help no one: the institutions with most matches, plus the ones ticked.
            top = sorted(options, key=lambda option: -option["count"])[:INSTITUTION_FACET_SIZE]
            options = [option for option in options if option in top or option["checked"]]
        groups.append({"name": name, "label": field.label, "options": options})
    buckets = []
    for prefix, label, spec in (
        ("amount", _("Maximum amount"), AMOUNT_BUCKETS),
        ("term", _("Maximum term"), TERM_BUCKETS),
        ("rate", _("Lowest rate"), RATE_BUCKETS),
    ):
        buckets.append({"label": label, "items": [(text, counts[prefix][key]) for key, text, _l, _h in spec]})
    return {"groups": groups, "buckets": buckets}


@public_view
def supermarket(request):
    context = _market_context(request)
    template = (
        "institutions/_results.html" if request.headers.get("HX-Request") else "institutions/supermarket.html"
    )
    return render(request, template, context)


@public_view
def supermarket_results(request):
    """The result list alone (htmx fragment), for the filter form's live updates."""
    return render(request, "institutions/_results.html", _market_context(request))


@public_view
def product_detail(request, product_id: int):
    product = selectors.get_live_product(product_id)
    return render(
        request,
        "institutions/product_detail.html",
        {
            "product": product,
            "profile": selectors.institution_profile(product.organisation_id),
            "is_favourite": product.pk in selectors.favourite_ids(request.user),
        },
    )


@public_view
def compare(request):
    products = selectors.compare_products(request.GET.getlist("ids"))
    return render(request, "institutions/compare.html", {"products": products, "max": selectors.MAX_COMPARE})


@login_required_view
@require_POST
def toggle_favourite(request, product_id: int):
    if product_id in selectors.favourite_ids(request.user):
        services.unfavourite_product(user=request.user, product_id=product_id)
        messages.info(request, _("Removed from your favourites."))
    else:
        services.favourite_product(user=request.user, product_id=product_id)
        messages.success(request, _("Added to your favourites."))
    return redirect("institutions:product", product_id=product_id)


@login_required_view
def favourites(request):
    return render(
        request, "institutions/favourites.html", {"favourites": selectors.favourites_for(request.user)}
    )


# --- Institution product management ----------------------------------------------------------------


@role_required(INSTITUTION_ROLES, Role.OPERATOR)
def my_products(request):
    products = selectors.list_products_for(request.user)
    status = request.GET.get("status", "")
    if status in ProductStatus.values:
        products = products.filter(status=status)
    page = Paginator(products, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "institutions/my_products.html",
        {"page": page, "status": status, "statuses": ProductStatus.choices},
    )


@role_required(INSTITUTION_ROLES)
@require_http_methods(["GET", "POST"])
def product_create(request):
    form = ProductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            product = services.create_product(actor=request.user, content=form.content())
        except DomainError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Product saved as a draft."))
            return redirect("institutions:manage_product", product_id=product.pk)
    return render(request, "institutions/product_form.html", {"form": form})


@role_required(INSTITUTION_ROLES)
@require_http_methods(["GET", "POST"])
def product_edit(request, product_id: int):
    product = selectors.get_product_for(request.user, product_id)
    revision = selectors.open_revision(product) or product.revisions.first()
    form = ProductForm(request.POST or None, initial=ProductForm.initial_from(revision.content))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_product(actor=request.user, product_id=product.pk, content=form.content())
        except DomainError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Changes saved as a draft revision."))
            return redirect("institutions:manage_product", product_id=product.pk)
    return render(request, "institutions/product_form.html", {"form": form, "product": product})


@role_required(INSTITUTION_ROLES, Role.OPERATOR)
def manage_product(request, product_id: int):
    product = selectors.get_product_for(request.user, product_id)
    revisions = list(product.revisions.select_related("created_by", "reviewed_by"))
    return render(
        request,
        "institutions/manage_product.html",
        {
            "product": product,
            "revisions": revisions,
            "open_revision": selectors.open_revision(product),
            "events": product.events.select_related("actor")[:50],
            "reason_form": ReasonForm(),
            "is_owner": request.user.has_any_role(INSTITUTION_ROLES),
            "is_operator": request.user.has_role(Role.OPERATOR),
            "RevisionStatus": RevisionStatus,
        },
    )


def _product_action(request, product_id, action, success):
    try:
        action()
    except DomainError as exc:
        messages.error(request, "; ".join([str(exc.message), *map(str, exc.field_errors.values())]))
        status = exc.status
        if status in (403, 404):
            raise
    else:
        messages.success(request, success)
    return redirect("institutions:manage_product", product_id=product_id)


@role_required(INSTITUTION_ROLES)
@require_POST
def product_submit(request, product_id: int):
    return _product_action(
        request,
        product_id,
        lambda: services.submit_product(actor=request.user, product_id=product_id),
        _("Submitted for review."),
    )


@role_required(INSTITUTION_ROLES)
@require_POST
def product_offline(request, product_id: int):
    reason = request.POST.get("reason", "")[:500]
    return _product_action(
        request,
        product_id,
        lambda: services.take_product_offline(actor=request.user, product_id=product_id, reason=reason),
        _("The product is offline."),
    )


@role_required(INSTITUTION_ROLES)
@require_POST
def product_online(request, product_id: int):
    return _product_action(
        request,
        product_id,
        lambda: services.bring_product_online(actor=request.user, product_id=product_id),
        _("The product is online again."),
    )


@role_required(INSTITUTION_ROLES, Role.OPERATOR)
def revision_diff(request, product_id: int):
    product = selectors.get_product_for(request.user, product_id)
    revisions = list(product.revisions.all())
    if not revisions:
        return redirect("institutions:manage_product", product_id=product.pk)
    new = selectors.get_revision_for(request.user, product, request.GET.get("b") or revisions[0].number)
    older = [revision for revision in revisions if revision.number < new.number]
    old_number = request.GET.get("a") or (older[0].number if older else None)
    old = selectors.get_revision_for(request.user, product, old_number) if old_number else None
    return render(
        request,
        "institutions/revision_diff.html",
        {
            "product": product,
            "old": old,
            "new": new,
            "rows": selectors.revision_diff(old, new),
            "revisions": revisions,
        },
    )


# --- Operator review and ranking --------------------------------------------------------------------


@role_required(Role.OPERATOR)
def review_queue(request):
    return render(
        request, "institutions/review_queue.html", {"revisions": selectors.review_queue(request.user)}
    )


@role_required(Role.OPERATOR)
@require_POST
def product_approve(request, product_id: int):
    return _product_action(
        request,
        product_id,
        lambda: services.approve_product(actor=request.user, product_id=product_id),
        _("Approved."),
    )


@role_required(Role.OPERATOR)
@require_POST
def product_reject(request, product_id: int):
    reason = request.POST.get("reason", "")[:500]
    return _product_action(
        request,
        product_id,
        lambda: services.reject_product(actor=request.user, product_id=product_id, reason=reason),
        _("Rejected."),
    )


@role_required(Role.OPERATOR)
@require_http_methods(["GET", "POST"])
def ranking(request):
    config = selectors.current_weights()
    form = WeightsForm(request.POST or None, initial={f"weight_{k}": v for k, v in config.weights().items()})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_ranking_weights(actor=request.user, weights=form.weights())
        except DomainError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Weights saved; scores recomputed."))
            return redirect("institutions:ranking")
    products = selectors.ranking_table(50)
    factor_labels = {
        name: str(WeightsForm.base_fields[f"weight_{name}"].label) for name in RankingConfig.FACTORS
    }
    top = products[:10]
    chart = {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"top": 0},
        "grid": {"left": 8, "right": 16, "bottom": 8, "top": 40, "containLabel": True},
        "xAxis": {"type": "value"},
        "yAxis": {"type": "category", "inverse": True, "data": [p.name for p in top]},
        "series": [
            {
                "name": factor_labels[name],
                "type": "bar",
                "stack": "score",
                "data": [p.score_factors.get(name, {}).get("points", 0) for p in top],
            }
            for name in RankingConfig.FACTORS
        ],
    }
    return render(
        request,
        "institutions/ranking.html",
        {
            "form": form,
            "products": products,
            "factors": factor_labels,
            "chart": json.loads(json.dumps(chart)),
        },
    )


@role_required(Role.OPERATOR)
@require_POST
def product_pin(request, product_id: int):
    pinned = request.POST.get("pinned") == "1"
    try:
        services.set_product_pinned(actor=request.user, product_id=product_id, pinned=pinned)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.message)
    return redirect("institutions:ranking")


# --- Onboarding and staff ----------------------------------------------------------------------------


@role_required(Role.OPERATOR)
@require_http_methods(["GET", "POST"])
def institutions(request):
    profiles = selectors.list_profiles_for(request.user)
    parents = [(p.pk, p.organisation.name) for p in profiles]
    form = OnboardForm(request.POST or None, parents=parents)
    if request.method == "POST" and form.is_valid():
        try:
            profile, admin, password = services.onboard_institution(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            _apply_errors(form, exc)
        else:
            return render(
                request,
                "institutions/one_time_password.html",
                {"subject": admin, "password": password, "profile": profile},
            )
    return render(request, "institutions/institutions.html", {"form": form, "profiles": profiles})


@role_required(Role.INSTITUTION_ADMIN)
@require_http_methods(["GET", "POST"])
def staff(request):
    organisation = organisation_of(request.user)
    branches = list(selectors.list_branches_for(request.user))
    branch_choices = [(b.pk, b.name) for b in branches]
    officer_form = OfficerForm(
        request.POST if "add_officer" in request.POST else None, branches=branch_choices
    )
    branch_form = BranchForm(request.POST if "add_branch" in request.POST else None)
    if request.method == "POST" and "add_branch" in request.POST and branch_form.is_valid():
        try:
            services.create_branch(actor=request.user, **branch_form.cleaned_data)
        except DomainError as exc:
            _apply_errors(branch_form, exc)
        else:
            messages.success(request, _("Branch added."))
            return redirect("institutions:staff")
    if request.method == "POST" and "add_officer" in request.POST and officer_form.is_valid():
        try:
            user, password = services.add_officer(actor=request.user, **officer_form.cleaned_data)
        except DomainError as exc:
            _apply_errors(officer_form, exc)
        else:
            return render(
                request, "institutions/one_time_password.html", {"subject": user, "password": password}
            )
    assignments = selectors.officer_branches(organisation)
    members = [(user, assignments.get(user.pk)) for user in list_users_for(request.user)]
    return render(
        request,
        "institutions/staff.html",
        {
            "branches": branches,
            "members": members,
            "officer_form": officer_form,
            "branch_form": branch_form,
            "branch_choices": branch_choices,
        },
    )


@role_required(Role.INSTITUTION_ADMIN)
@require_POST
def staff_assign(request, member_id: int):
    branch = request.POST.get("branch_id") or None
    try:
        services.assign_officer(actor=request.user, member_id=member_id, branch_id=branch)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Branch assignment saved."))
    return redirect("institutions:staff")


@role_required(Role.INSTITUTION_ADMIN)
@require_POST
def staff_active(request, member_id: int):
    active = request.POST.get("active") == "1"
    try:
        services.set_officer_active(
            actor=request.user,
            member_id=member_id,
            active=active,
            reason=request.POST.get("reason", "")[:200],
        )
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Account enabled.") if active else _("Account disabled."))
    return redirect("institutions:staff")
