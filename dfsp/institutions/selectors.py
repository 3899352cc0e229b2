"""Reads of the institutions module, scoped to the actor; the public supermarket reads live
products only. Facet counts are aggregate queries over the filtered set."""

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from dfsp.accounts.roles import INSTITUTION_ROLES, Role
from dfsp.accounts.selectors import organisation_of
from dfsp.core.api_auth import ApiCaller
from dfsp.core.errors import NotFound
from dfsp.institutions.codes import AMOUNT_BUCKETS, RATE_BUCKETS, TERM_BUCKETS
from dfsp.institutions.content import FIELDS, LABELS
from dfsp.institutions.models import (
    Branch,
    Favourite,
    InstitutionProfile,
    OfficerBranch,
    Product,
    ProductFacet,
    ProductRevision,
    RankingConfig,
)
from dfsp.institutions.states import ProductStatus, RevisionStatus

SORTS = {
    "recommended": ["-pinned", "-score", "-id"],
    "newest": ["-listed_at", "-id"],
    "rate": ["rate_min", "-score", "id"],
    "applied": ["-applications_count", "-score", "id"],
    "rated": ["-rating", "-score", "id"],
}
MAX_COMPARE = 3


@dataclass
class MarketFilters:
    q: str = ""
    product_type: list[str] = field(default_factory=list)
    tag: list[str] = field(default_factory=list)
    institution: list[int] = field(default_factory=list)
    institution_type: list[str] = field(default_factory=list)
    guarantee: list[str] = field(default_factory=list)
    region: str = ""
    industry: str = ""
    amount: Decimal | None = None  # 10k yuan wanted
    term: int | None = None  # months wanted
    rate_max: Decimal | None = None  # highest acceptable annual rate (%)
    sort: str = "recommended"


def _live() -> QuerySet[Product]:
    return Product.objects.filter(status=ProductStatus.LIVE)


def _has_facet(kind: str, codes: list[str]):
    return Exists(ProductFacet.objects.filter(product=OuterRef("pk"), kind=kind, code__in=codes))


def search_products(filters: MarketFilters) -> QuerySet[Product]:
    """Live products matching the filters, in the requested order."""
    queryset = _live()
    if filters.q:
        q = filters.q[:50]
        queryset = queryset.filter(
            Q(name__icontains=q) | Q(description__icontains=q) | Q(institution_name__icontains=q)
        )
    if filters.product_type:
        queryset = queryset.filter(product_type__in=filters.product_type)
    if filters.institution:
        queryset = queryset.filter(organisation_id__in=filters.institution)
    if filters.institution_type:
        queryset = queryset.filter(institution_subtype__in=filters.institution_type)
    if filters.tag:
        queryset = queryset.filter(_has_facet("tag", filters.tag))
    if filters.guarantee:
        queryset = queryset.filter(_has_facet("guarantee", filters.guarantee))
    if filters.region:
        # A product serving the city or the province serves every district in it.
        codes = {filters.region, filters.region[:4] + "00", filters.region[:2] + "0000"}
        queryset = queryset.filter(_has_facet("region", sorted(codes)))
    if filters.industry:
        queryset = queryset.filter(_has_facet("industry", [filters.industry]))
    if filters.amount is not None:
        queryset = queryset.filter(amount_min__lte=filters.amount, amount_max__gte=filters.amount)
    if filters.term is not None:
        queryset = queryset.filter(term_min__lte=filters.term, term_max__gte=filters.term)
    if filters.rate_max is not None:
        queryset = queryset.filter(rate_min__lte=filters.rate_max)
    return queryset.order_by(*SORTS.get(filters.sort, SORTS["recommended"]))


def _bucket_q(field_name: str, low, high) -> Q:
    condition = Q()
    if low is not None:
        condition &= Q(**{f"{field_name}__gte": low})
    if high is not None:
        condition &= Q(**{f"{field_name}__lt": high})
    return condition


def facet_counts(queryset: QuerySet[Product]) -> dict:
    """Counts per facet value within ``queryset`` (drill-down counts), by aggregate queries only."""
    base = queryset.order_by()
    ids = base.values("pk")
    counts: dict = {"product_type": {}, "institution_type": {}, "institution": {}}
    # One GROUP BY over the single-valued columns; the (few) groups are folded per facet.
    grouped = base.values(
        "product_type", "institution_subtype", "organisation_id", "institution_name"
    ).annotate(n=Count("pk"))
    for row in grouped:
        counts["product_type"][row["product_type"]] = (
            counts["product_type"].get(row["product_type"], 0) + row["n"]
        )
        subtype = row["institution_subtype"]
        counts["institution_type"][subtype] = counts["institution_type"].get(subtype, 0) + row["n"]
        entry = counts["institution"].setdefault(
            row["organisation_id"], {"name": row["institution_name"], "count": 0}
        )
        entry["count"] += row["n"]
    for kind in ("tag", "guarantee", "region", "industry"):
        counts[kind] = {}
    for row in (
        ProductFacet.objects.filter(product__in=ids).values("kind", "code").annotate(n=Count("product"))
    ):
        counts[row["kind"]][row["code"]] = row["n"]
    buckets = {}
    for prefix, field_name, spec in (
        ("amount", "amount_max", AMOUNT_BUCKETS),
        ("term", "term_max", TERM_BUCKETS),
        ("rate", "rate_min", RATE_BUCKETS),
    ):
        for key, _label, low, high in spec:
            buckets[f"{prefix}__{key}"] = Count("pk", filter=_bucket_q(field_name, low, high))
    totals = base.aggregate(total=Count("pk"), **buckets)
    counts["total"] = totals.pop("total")
    for prefix in ("amount", "term", "rate"):
        counts[prefix] = {
            key.split("__")[1]: value for key, value in totals.items() if key.startswith(prefix + "__")
        }
    return counts


FACET_CACHE_SECONDS = 30


def market_facet_counts(filters: MarketFilters) -> dict:
    """facet_counts of the live listing for ``filters``, cached briefly: popular filter
    combinations repeat, and counts that are half a minute old are fine for a public listing."""
    key = "institutions:facets:" + hashlib.sha256(repr(filters).encode()).hexdigest()
    return cache.get_or_set(key, lambda: facet_counts(search_products(filters)), FACET_CACHE_SECONDS)


def market_institutions() -> list[tuple[int, str]]:
    """Institutions with live products, for the institution filter (cached for a minute)."""

    def load():
        rows = (
            _live().order_by("institution_name").values_list("organisation_id", "institution_name").distinct()
        )
        return list(rows)

    return cache.get_or_set("institutions:market_institutions", load, 60)


def hot_products(limit: int = 6) -> list[Product]:
    """The portal's “hot services”: most applied, then recommended."""
    return list(_live().order_by("-applications_count", "-pinned", "-score", "-id")[:limit])


def get_live_product(product_id) -> Product:
    try:
        return _live().get(pk=product_id)
    except (Product.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def compare_products(product_ids) -> list[Product]:
    ids = []
    for value in product_ids:
        try:
            ids.append(int(value))
        except (TypeError, ValueError):
            continue
    ids = list(dict.fromkeys(ids))[:10]
    products = {product.pk: product for product in _live().filter(pk__in=ids)}
    return [products[pk] for pk in ids if pk in products][:MAX_COMPARE]


def institution_profile(organisation_id) -> InstitutionProfile | None:
    return InstitutionProfile.objects.filter(organisation_id=organisation_id).select_related("parent").first()


# --- Scoped reads --------------------------------------------------------------------------------


def _acting_organisation(actor):
    return actor.organisation if isinstance(actor, ApiCaller) else organisation_of(actor)


def list_products_for(actor) -> QuerySet[Product]:
    """Operators see every product; institution staff their own institution's; others none."""
    queryset = Product.objects.order_by("-updated_at", "-id")
    if actor.has_role(Role.OPERATOR):
        return queryset
    if actor.has_any_role(INSTITUTION_ROLES):
        organisation = _acting_organisation(actor)
        return queryset.filter(organisation=organisation) if organisation else queryset.none()
    return queryset.none()


def get_product_for(actor, product_id) -> Product:
    try:
        return list_products_for(actor).get(pk=product_id)
    except (Product.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def open_revision(product) -> ProductRevision | None:
    return product.revisions.filter(status__in=[RevisionStatus.DRAFT, RevisionStatus.SUBMITTED]).first()


def review_queue(actor) -> QuerySet[ProductRevision]:
    if not actor.has_role(Role.OPERATOR):
        return ProductRevision.objects.none()
    return (
        ProductRevision.objects.filter(status=RevisionStatus.SUBMITTED)
        .select_related("product", "created_by")
        .order_by("submitted_at", "id")
    )


def get_revision_for(actor, product, number) -> ProductRevision:
    try:
        return product.revisions.get(number=number)
    except (ProductRevision.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def revision_diff(old: ProductRevision | None, new: ProductRevision) -> list[dict]:
    """Field-by-field rows for a side-by-side comparison."""
    rows = []
    for name in FIELDS:
        before = old.content.get(name) if old else None
        after = new.content.get(name)
        rows.append(
            {"field": name, "label": LABELS[name], "old": before, "new": after, "changed": before != after}
        )
    return rows


def favourites_for(user) -> QuerySet[Favourite]:
    if not getattr(user, "is_authenticated", False):
        return Favourite.objects.none()
    return Favourite.objects.filter(user=user).select_related("product")


def favourite_ids(user) -> set[int]:
    return set(favourites_for(user).values_list("product_id", flat=True))


def list_profiles_for(actor) -> QuerySet[InstitutionProfile]:
    queryset = InstitutionProfile.objects.select_related("organisation", "parent__organisation").order_by(
        "pk"
    )
    if actor.has_role(Role.OPERATOR):
        return queryset
    organisation = _acting_organisation(actor)
    return queryset.filter(organisation=organisation) if organisation else queryset.none()


def list_branches_for(actor) -> QuerySet[Branch]:
    organisation = _acting_organisation(actor)
    if not actor.has_any_role(INSTITUTION_ROLES) or organisation is None:
        return Branch.objects.none()
    return Branch.objects.filter(organisation=organisation).annotate(officer_count=Count("officers"))


def officer_branches(organisation) -> dict[int, Branch]:
    return {
        row.user_id: row.branch
        for row in OfficerBranch.objects.filter(branch__organisation=organisation).select_related("branch")
    }


def ranking_table(limit: int = 50) -> list[Product]:
    return list(Product.objects.filter(status=ProductStatus.LIVE).order_by(*SORTS["recommended"])[:limit])


def current_weights() -> RankingConfig:
    return RankingConfig.objects.filter(pk=1).first() or RankingConfig(pk=1)
