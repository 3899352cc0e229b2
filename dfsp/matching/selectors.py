"""Reads of matches, scoped to the actor; "not yours" and "does not exist" are the same 404.

* a demand's matched products: the enterprise that published it (and operators);
* a product's matching demands: the institution that owns it (and operators), showing only what
  the financing market already shows institutions (no contact details);
* the operators' overview.
"""

from dataclasses import dataclass, field

from django.db.models import Avg, Count
from django.utils import timezone

from dfsp.accounts.roles import ENTERPRISE_ROLES, INSTITUTION_ROLES, Role
from dfsp.accounts.selectors import organisation_of
from dfsp.core.api_auth import ApiCaller
from dfsp.core.errors import NotFound
from dfsp.core.jobs import last_run
from dfsp.financing import selectors as financing_selectors
from dfsp.financing.states import DemandStatus
from dfsp.institutions import selectors as institution_selectors
from dfsp.institutions.states import ProductStatus
from dfsp.matching import frames, reasons
from dfsp.matching.models import Match, MatchedDemand, MatchRun

DEFAULT_LIMIT = 10
MAX_LIMIT = 50


def _limit(limit) -> int:
    try:
        return max(1, min(int(limit), MAX_LIMIT))
    except (TypeError, ValueError):
        return DEFAULT_LIMIT


def _acting_organisation(actor):
    return actor.organisation if isinstance(actor, ApiCaller) else organisation_of(actor)


def _live_products_matches():
    return Match.objects.filter(product__status=ProductStatus.LIVE)


def _live_demands_matches():
    return Match.objects.filter(
        demand__status=DemandStatus.LIVE, demand__valid_until__gte=timezone.localdate()
    )


def get_own_demand(actor, demand_id):
    """The demand, if the actor's enterprise published it (operators: any)."""
    demand = financing_selectors.get_demand_for(actor, demand_id)
    if actor.has_role(Role.OPERATOR):
        return demand
    organisation = _acting_organisation(actor)
    if (
        not actor.has_any_role(ENTERPRISE_ROLES)
        or organisation is None
        or demand.organisation_id != organisation.pk
    ):
        raise NotFound()
    return demand


def matches_for_demand(actor, demand_id, *, limit=DEFAULT_LIMIT) -> tuple:
    """(demand, its best matches among live products, best first)."""
    demand = get_own_demand(actor, demand_id)
    matches = (
        _live_products_matches()
        .filter(demand=demand)
        .select_related("product", "demand")
        .order_by("-score", "product_id")[: _limit(limit)]
    )
    return demand, list(matches)


def get_own_product(actor, product_id):
    """The product, if the actor's institution owns it (operators: any)."""
    return institution_selectors.get_product_for(actor, product_id)


def matches_for_product(actor, product_id, *, limit=DEFAULT_LIMIT) -> tuple:
    """(product, the live demands it matches best first)."""
    product = get_own_product(actor, product_id)
    matches = (
        _live_demands_matches()
        .filter(product=product)
        .select_related("demand", "demand__organisation", "product")
        .order_by("-score", "demand_id")[: _limit(limit)]
    )
    return product, list(matches)


@dataclass
class Section:
    """One demand (enterprise view) or one product (institution view) with its matches."""

    subject: object
    matches: list
    total: int
    computed: bool = True
    rows: list = field(default_factory=list)


def own_live_demand_ids(actor) -> list[int]:
    return list(financing_selectors.own_demands(actor, status=DemandStatus.LIVE).values_list("pk", flat=True))


def _with_reasons(matches, *, owner: bool) -> list:
    for match in matches:
        match.reason_rows = reasons.render(match, owner=owner)
    return matches


def enterprise_sections(actor, *, limit=DEFAULT_LIMIT) -> list[Section]:
    demands = list(financing_selectors.own_demands(actor, status=DemandStatus.LIVE))
    demands = [demand for demand in demands if demand.valid_until >= timezone.localdate()]
    counts = dict(
        _live_products_matches()
        .filter(demand__in=demands)
        .values_list("demand_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    computed = set(MatchedDemand.objects.filter(demand__in=demands).values_list("demand_id", flat=True))
    sections = []
    for demand in demands:
        _, matches = matches_for_demand(actor, demand.pk, limit=limit)
        sections.append(
            Section(
                demand, _with_reasons(matches, owner=True), counts.get(demand.pk, 0), demand.pk in computed
            )
        )
    return sections


def institution_sections(actor, *, limit=DEFAULT_LIMIT) -> list[Section]:
    organisation = _acting_organisation(actor)
    if organisation is None or not actor.has_any_role(INSTITUTION_ROLES):
        return []
    products = list(
        institution_selectors.list_products_for(actor).filter(
            organisation=organisation, status=ProductStatus.LIVE
        )
    )
    counts = dict(
        _live_demands_matches()
        .filter(product__in=products)
        .values_list("product_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    sections = []
    for product in products:
        _, matches = matches_for_product(actor, product.pk, limit=limit)
        sections.append(Section(product, _with_reasons(matches, owner=False), counts.get(product.pk, 0)))
    return sections


def overview() -> dict:
    """Counts for operators: live demands and products, matched or not, and the last runs."""
    live_demand_count = frames.live_demands().count()
    live_product_count = frames.live_products().count()
    live = _live_demands_matches().filter(product__status=ProductStatus.LIVE)
    matched_demands = live.values("demand_id").distinct().count()
    matched_products = live.values("product_id").distinct().count()
    return {
        "matches": live.count(),
        "average_score": live.aggregate(avg=Avg("score"))["avg"],
        "live_demands": live_demand_count,
        "matched_demands": matched_demands,
        "unmatched_demands": live_demand_count - matched_demands,
        "never_computed": frames.live_demands()
        .exclude(pk__in=MatchedDemand.objects.values("demand_id"))
        .count(),
        "live_products": live_product_count,
        "matched_products": matched_products,
        "runs": list(MatchRun.objects.select_related("started_by")[:10]),
        "last_job": last_run("matching.match_changes"),
    }
