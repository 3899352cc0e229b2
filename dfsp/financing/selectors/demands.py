"""Reads of financing demands, scoped to the actor (a User or an ApiCaller).

Who sees a demand: the publishing enterprise's people; platform operators and regulators;
institutions see live demands, and those they took or were shown contact details for.
Contact details only reach the enterprise itself, operators, and institutions it revealed them to.
"""

from django.db.models import Q, QuerySet
from django.utils import timezone

from dfsp.accounts.roles import ENTERPRISE_ROLES, INSTITUTION_ROLES, Role
from dfsp.core.errors import AccessDenied, NotFound
from dfsp.financing.actors import acting
from dfsp.financing.models import Demand, DemandFavourite, DemandReveal
from dfsp.financing.states import DemandStatus

STAFF_ROLES = frozenset({Role.OPERATOR, Role.REGULATOR})


def _base() -> QuerySet[Demand]:
    return Demand.objects.select_related("organisation", "taken_by_organisation", "taken_by_user")


def _live(queryset):
    return queryset.filter(status=DemandStatus.LIVE, valid_until__gte=timezone.localdate())


def demands_for(actor) -> QuerySet[Demand]:
    who = acting(actor)
    queryset = _base()
    if actor.has_any_role(STAFF_ROLES):
        return queryset
    if who.organisation is None:
        return queryset.none()
    if actor.has_any_role(ENTERPRISE_ROLES):
        return queryset.filter(organisation=who.organisation)
    if actor.has_any_role(INSTITUTION_ROLES):
        return queryset.filter(
            Q(status=DemandStatus.LIVE, valid_until__gte=timezone.localdate())
            | Q(taken_by_organisation=who.organisation)
            | Q(reveals__institution=who.organisation)
        ).distinct()
    return queryset.none()


def get_demand_for(actor, demand_id) -> Demand:
    try:
        return demands_for(actor).get(pk=demand_id)
    except (Demand.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def own_demands(actor, *, status: str = "") -> QuerySet[Demand]:
    if not actor.has_any_role(ENTERPRISE_ROLES):
        raise AccessDenied()
    queryset = demands_for(actor)
    if status in DemandStatus.values:
        queryset = queryset.filter(status=status)
    return queryset


def live_demands(
    actor,
    *,
    region_code: str = "",
    industry: str = "",
    scale: str = "",
    urgency: str = "",
    guarantee: str = "",
    min_amount=None,
    max_amount=None,
    query: str = "",
) -> QuerySet[Demand]:
    """Live demands for institutions to browse (newest first), with the usual filters."""
    if not actor.has_any_role(INSTITUTION_ROLES | STAFF_ROLES):
        raise AccessDenied()
    queryset = _live(_base())
    if region_code:
        # A city or county code also matches the districts under it (2260 prefix rule).
        prefix = region_code[:4] if region_code.endswith("00") else region_code
        queryset = queryset.filter(region_code__startswith=prefix)
    for name, value in (
        ("industry", industry),
        ("scale", scale),
        ("urgency", urgency),
        ("guarantee", guarantee),
    ):
        if value:
            queryset = queryset.filter(**{name: value})
    if min_amount is not None:
        queryset = queryset.filter(amount__gte=min_amount)
    if max_amount is not None:
        queryset = queryset.filter(amount__lte=max_amount)
    if query:
        queryset = queryset.filter(Q(title__icontains=query) | Q(organisation__name__icontains=query))
    return queryset.order_by("-published_at", "-pk")


def review_queue(actor, *, order: str = "oldest") -> QuerySet[Demand]:
    if not actor.has_role(Role.OPERATOR):
        raise AccessDenied()
    return (
        _base()
        .filter(status=DemandStatus.PENDING_REVIEW)
        .order_by("-submitted_at" if order == "newest" else "submitted_at", "pk")
    )


def favourites_for(actor) -> QuerySet[DemandFavourite]:
    who = acting(actor)
    if who.user is None or not actor.has_any_role(INSTITUTION_ROLES):
        raise AccessDenied()
    return DemandFavourite.objects.filter(user=who.user).select_related("demand__organisation")


def is_favourite(actor, demand) -> bool:
    who = acting(actor)
    return who.user is not None and DemandFavourite.objects.filter(user=who.user, demand=demand).exists()


def contact_visible(actor, demand) -> bool:
    who = acting(actor)
    if actor.has_role(Role.OPERATOR):
        return True
    if who.organisation is None:
        return False
    if demand.organisation_id == who.organisation.pk and actor.has_any_role(ENTERPRISE_ROLES):
        return True
    return DemandReveal.objects.filter(demand=demand, institution=who.organisation).exists()


def interested_institutions(actor, demand) -> list[dict]:
    """For the publishing enterprise: who took or saved the demand, and whether each was shown contact."""
    who = acting(actor)
    if (
        not actor.has_any_role(ENTERPRISE_ROLES)
        or getattr(who.organisation, "pk", None) != demand.organisation_id
    ):
        return []
    revealed = set(demand.reveals.values_list("institution_id", flat=True))
    found = {}
    if demand.taken_by_organisation_id:
        found[demand.taken_by_organisation_id] = {
            "organisation": demand.taken_by_organisation,
            "took": True,
        }
    for favourite in demand.favourites.select_related("institution"):
        found.setdefault(favourite.institution_id, {"organisation": favourite.institution, "took": False})
    return [{**item, "revealed": pk in revealed, "pk": pk} for pk, item in found.items()]


def demand_statistics() -> dict:
    """Public statistics: demands that passed review (live, taken or expired), count and amount by month."""
    from collections import defaultdict

    from dfsp.financing.models import Demand
    from dfsp.financing.states import DemandStatus

    published = Demand.objects.filter(published_at__isnull=False).exclude(status=DemandStatus.REJECTED)
    by_month: dict[str, int] = defaultdict(int)
    amount_by_month: dict[str, float] = defaultdict(float)
    for published_at, amount in published.values_list("published_at", "amount"):
        month = timezone.localtime(published_at).strftime("%Y-%m")
        by_month[month] += 1
        amount_by_month[month] += float(amount)
    return {
        "count": published.count(),
        "taken": published.filter(status=DemandStatus.TAKEN).count(),
        "by_month": dict(by_month),
        "amount_by_month": {month: round(value / 10_000, 1) for month, value in amount_by_month.items()},
    }
