"""Matching pages: matched products for an enterprise's live demands, matching demands for an
institution's live products, and the operators' overview with "recompute"."""

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dfsp.accounts.roles import ENTERPRISE_ROLES, INSTITUTION_ROLES, Role
from dfsp.core.access import role_required
from dfsp.matching import reasons, selectors, services

TOP_N = 10


def apply_url(demand, product) -> str | None:
    """financing's apply page for this product, prefilled from the demand (financing reads
    ``demand`` and copies amount, term and purpose from it); None if the page is missing."""
    try:
        base = reverse("financing:apply")
    except NoReverseMatch:
        return None
    return f"{base}?{urlencode({'product': product.pk, 'demand': demand.pk})}"


@role_required(*ENTERPRISE_ROLES)
def my_matches(request):
    services.ensure_matched(demand_ids=selectors.own_live_demand_ids(request.user))
    sections = selectors.enterprise_sections(request.user, limit=TOP_N)
    for section in sections:
        for match in section.matches:
            match.apply_url = apply_url(section.subject, match.product)
    return render(request, "matching/my_matches.html", {"sections": sections, "top_n": TOP_N})


@role_required(*ENTERPRISE_ROLES, Role.OPERATOR)
def demand_matches(request, demand_id):
    services.ensure_matched(demand_ids=[demand_id])
    demand, matches = selectors.matches_for_demand(request.user, demand_id, limit=selectors.MAX_LIMIT)
    owner = request.user.has_any_role(ENTERPRISE_ROLES)
    for match in matches:
        match.reason_rows = reasons.render(match, owner=True)
        match.apply_url = apply_url(demand, match.product) if owner else None
    return render(request, "matching/demand_matches.html", {"demand": demand, "matches": matches})


@role_required(*INSTITUTION_ROLES)
def product_matches(request):
    sections = selectors.institution_sections(request.user, limit=TOP_N)
    return render(request, "matching/product_matches.html", {"sections": sections, "top_n": TOP_N})


@role_required(Role.OPERATOR)
def overview(request):
    return render(request, "matching/overview.html", {"overview": selectors.overview()})


@role_required(Role.OPERATOR)
@require_POST
def recompute(request):
    run = services.recompute_all(actor=request.user)
    messages.success(
        request,
        _("Matches recomputed: %(demands)s demands × %(products)s products, %(matches)s matches.")
        % {"demands": run.demands_matched, "products": run.products_matched, "matches": run.matches_written},
    )
    return redirect("matching:overview")
