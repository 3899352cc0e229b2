"""Portal reads. Public content is only ever read from live pages (drafts and withdrawn pages never
leave these functions); questions are public only once published."""

import html
from collections import Counter
from datetime import date, datetime

import nh3
from django.db.models import Q, QuerySet
from django.utils import timezone
from wagtail.models import Page

from dfsp.accounts import selectors as account_selectors
from dfsp.accounts.roles import OrganisationKind
from dfsp.accounts.selectors import organisation_of
from dfsp.core.errors import NotFound
from dfsp.core.industries import GBT4754_SECTIONS
from dfsp.enterprises import selectors as enterprise_selectors
from dfsp.financing import selectors as financing_selectors
from dfsp.institutions import selectors as institution_selectors
from dfsp.portal.models import (
    ARTICLE_TYPES,
    SEARCHABLE_FIELDS,
    CasePage,
    CoursePage,
    HotServicePage,
    NewsPage,
    NoticePage,
    PolicyAttachment,
    PolicyPage,
    PortalRootPage,
    Question,
    SectionPage,
    VideoPage,
)
from dfsp.portal.states import QuestionStatus

SUPPRESSION_THRESHOLD = 5


def _organisations():
    return account_selectors.active_organisations()


def live_children(section: Page) -> list[Page]:
    return list(section.get_children().live().public().specific().order_by("-first_published_at"))


def latest(model, limit: int = 5) -> list:
    return list(model.objects.live().public().order_by("-first_published_at")[:limit])


def portal_sections() -> list[Page]:
    """The live sections under the portal root (notices … the IND, ASSOC and EDU boards), in tree order."""
    root = PortalRootPage.objects.first()
    if root is None:
        return []
    return list(SectionPage.objects.child_of(root).live().public().order_by("path"))


def home_content() -> dict:
    return {
        "sections": portal_sections(),
        "notices": latest(NoticePage, 6),
        "news": latest(NewsPage, 5),
        "policies": list(PolicyPage.objects.live().public().order_by("-issue_date")[:5]),
        "cases": latest(CasePage, 3),
        "services": latest(HotServicePage, 8),
        "videos": latest(VideoPage, 2),
        "courses": list(
            CoursePage.objects.live().filter(starts_at__gte=timezone.now()).order_by("starts_at")[:3]
        ),
    }


def url_or_empty(name: str) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def _product_cards(products) -> list[dict]:
    from django.urls import NoReverseMatch, reverse

    cards = []
    for product in products:
        try:
            url = reverse("institutions:product", args=[product.pk])
        except NoReverseMatch:
            url = ""
        cards.append(
            {
                "name": product.name,
                "institution": getattr(product, "institution_name", ""),
                "rate_min": getattr(product, "rate_min", None),
                "rate_max": getattr(product, "rate_max", None),
                "url": url,
            }
        )
    return cards


def hot_products(limit: int = 6) -> list[dict]:
    """The supermarket's highlights, when the institutions module provides them."""
    return _product_cards(institution_selectors.hot_products(limit))


def matching_products(*, industries: list[str], region: str = "", limit: int = 6) -> list[dict]:
    """Live products for these industries (any, when empty) and region, via the supermarket search."""
    search = institution_selectors.search_products
    found: dict[int, object] = {}
    for industry in industries or [""]:
        for product in search(institution_selectors.MarketFilters(industry=industry, region=region))[:limit]:
            found.setdefault(product.pk, product)
    return _product_cards(list(found.values())[:limit])


# --- Policy library -----------------------------------------------------------------------------


def _json_contains(field: str, code: str) -> Q:
    # JSON lists of short codes: an empty list means "applies to all"; a quoted code is exact.
    return Q(**{field: []}) | Q(**{f"{field}__icontains": f'"{code}"'})


def search_policies(
    *,
    authority: str = "",
    region: str = "",
    industry: str = "",
    policy_type: str = "",
    issued_from: date | None = None,
    issued_to: date | None = None,
) -> QuerySet[PolicyPage]:
    queryset = PolicyPage.objects.live().public().order_by("-issue_date", "-pk")
    if authority:
        queryset = queryset.filter(authority__icontains=authority)
    if region:
        # City- and province-wide policies apply to every district beneath them.
        queryset = queryset.filter(region_code__in={region, region[:4] + "00", region[:2] + "0000"})
    if industry:
        queryset = queryset.filter(_json_contains("industries", industry))
    if policy_type:
        queryset = queryset.filter(policy_type=policy_type)
    if issued_from:
        queryset = queryset.filter(issue_date__gte=issued_from)
    if issued_to:
        queryset = queryset.filter(issue_date__lte=issued_to)
    return queryset


def authorities() -> list[str]:
    return sorted(set(PolicyPage.objects.live().values_list("authority", flat=True)))


def enterprise_profile(user) -> dict:
    """Industry, region and scale of the user's enterprise, from enterprises' selector if present."""
    organisation = organisation_of(user)
    if organisation is None or organisation.kind != OrganisationKind.ENTERPRISE:
        return {}
    profile = {"region": organisation.region_code, "industry": "", "scale": ""}
    found = enterprise_selectors.profile_of(organisation)
    if found is not None:
        profile["industry"] = found.industry or ""
        profile["scale"] = found.scale or ""
    return profile


def policies_for_enterprise(user) -> list[PolicyPage]:
    profile = enterprise_profile(user)
    if not profile:
        return []
    queryset = search_policies(region=profile["region"], industry=profile["industry"])
    if profile["scale"]:
        queryset = queryset.filter(_json_contains("scales", profile["scale"]))
    return list(queryset[:10])


def products_for_policy(policy: PolicyPage, limit: int = 6) -> list[dict]:
    return matching_products(industries=policy.industries, region=policy.region_code, limit=limit)


def live_chain_policies(chain) -> list[PolicyPage]:
    ids = [item.policy_id for item in chain.chain_policies.all()]
    return list(PolicyPage.objects.live().public().filter(pk__in=ids))


def products_for_industry(industry_code: str, limit: int = 6) -> list[dict]:
    return matching_products(industries=[industry_code], limit=limit) if industry_code else []


def document_is_public(document_id: int) -> bool:
    return (
        PolicyAttachment.objects.filter(document_id=document_id, page__live=True).exists()
        or VideoPage.objects.live().filter(video_id=document_id).exists()
    )


# --- Search (Chinese has no word boundaries: substring match over live pages) ------------------


# Type-specific fields searched besides title, summary and body.
SEARCH_EXTRA_FIELDS = {
    PolicyPage: ("authority", "document_number", "interpretation"),
    CasePage: ("enterprise_name", "institution_name"),
    VideoPage: ("transcript",),
    CoursePage: ("location",),
}
SNIPPET_WIDTH = 40


def plain_text(value) -> str:
    """Rich text as the reader sees it: tags (and script/style content) dropped, entities decoded."""
    text = html.unescape(nh3.clean(str(value or ""), tags=set()))
    return " ".join(text.split())


def _snippet(page, query: str) -> str | None:
    """The text around the first occurrence of ``query`` in what the reader sees of the page;
    None when the query only matched markup (a tag name or an attribute)."""
    needle = query.lower()
    fields = ("title", "summary", "body", *SEARCH_EXTRA_FIELDS.get(type(page), ()))
    for field in fields:
        text = plain_text(getattr(page, field, ""))
        at = text.lower().find(needle)
        if at < 0:
            continue
        if field == "title":
            return plain_text(page.summary)
        start, end = max(0, at - SNIPPET_WIDTH), min(len(text), at + len(query) + SNIPPET_WIDTH)
        return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
    return None


def search_content(query: str, limit: int = 50) -> list:
    """Live public pages whose visible text contains ``query`` (a substring: Chinese has no word
    boundaries), newest first; each carries ``search_snippet``, the text around the match."""
    query = (query or "").strip()[:50]
    if not query:
        return []
    results = []
    for model in ARTICLE_TYPES:
        condition = Q()
        for field in (*SEARCHABLE_FIELDS, *SEARCH_EXTRA_FIELDS.get(model, ())):
            condition |= Q(**{f"{field}__icontains": query})
        for page in model.objects.live().public().filter(condition).order_by("-first_published_at")[:limit]:
            snippet = _snippet(page, query)
            if snippet is not None:
                page.search_snippet = snippet
                results.append(page)
    results.sort(key=lambda page: page.first_published_at or timezone.now(), reverse=True)
    return results[:limit]


# --- Questions ------------------------------------------------------------------------------------


def public_questions() -> QuerySet[Question]:
    return Question.objects.filter(status=QuestionStatus.PUBLISHED).order_by("-views", "-created_at")


def get_public_question(question_id) -> Question:
    question = public_questions().filter(pk=question_id).first()
    if question is None:
        raise NotFound()
    return question


def questions_of(user) -> QuerySet[Question]:
    return Question.objects.filter(asker=user)


def questions_to_handle(actor) -> QuerySet[Question]:
    from dfsp.accounts.roles import INSTITUTION_ROLES, Role

    queryset = Question.objects.exclude(status=QuestionStatus.REJECTED).select_related("asker")
    if actor.has_any_role({Role.OPERATOR}):
        return queryset
    if actor.has_any_role(INSTITUTION_ROLES):
        own = organisation_of(actor)
        return queryset.filter(institution=own) if own else queryset.none()
    return queryset.none()


def get_question_to_handle(actor, question_id) -> Question:
    question = questions_to_handle(actor).filter(pk=question_id).first()
    if question is None:
        raise NotFound()
    return question


def institutions() -> QuerySet:
    return _organisations().filter(kind=OrganisationKind.INSTITUTION).order_by("institution_subtype", "name")


# --- Data overview --------------------------------------------------------------------------------


def suppress(counter: dict) -> list[dict]:
    """Series cells below the threshold are shown as suppressed (value None), never as a number."""
    return [
        {"label": label, "value": value if value >= SUPPRESSION_THRESHOLD else None}
        for label, value in sorted(counter.items())
    ]


def suppress_amounts(table: dict, label=str) -> list[dict]:
    """Money cells (in 10,000 yuan) from rows {count, amount in yuan}; a cell made of fewer than
    5 loans is suppressed like a small count."""
    return [
        {
            "label": label(key),
            "value": round(float(row["amount"]) / 10_000, 1)
            if row["count"] >= SUPPRESSION_THRESHOLD
            else None,
        }
        for key, row in sorted(table.items())
    ]


def _month_starts(months: int) -> list[datetime]:
    """The first instants of the last ``months`` months (local time), oldest first, plus the next."""
    today = timezone.localdate()
    index = today.year * 12 + today.month - 1 - (months - 1)
    starts = []
    for offset in range(months + 1):
        year, month = divmod(index + offset, 12)
        starts.append(timezone.make_aware(datetime(year, month + 1, 1)))
    return starts


def _application_figures(months: int = 12) -> tuple[int, dict]:
    """All applications submitted, and those of the last ``months`` months by month (financing's
    own statistics selector is the single source of these numbers)."""
    total = financing_selectors.application_statistics()["applications"]
    starts = _month_starts(months)
    by_month = {
        start.strftime("%Y-%m"): financing_selectors.application_statistics(start=start, end=end)[
            "applications"
        ]
        for start, end in zip(starts, starts[1:], strict=False)
    }
    return total, {month: n for month, n in by_month.items() if n}


def _lending_figures() -> dict:
    """Loans granted (post-loan's lending statistics over every loan disbursed on the platform)."""
    from dfsp.postloan import selectors as postloan_selectors
    from dfsp.postloan.selectors.statistics import labels

    stats = postloan_selectors.platform_lending_statistics()
    names = labels()
    return {
        "count": stats["total"]["count"],
        "amount": stats["total"]["amount"],
        "credit_count": stats["credit"]["count"],
        "credit_share": stats["credit"]["share"],
        "by_month": stats["by_month"],
        "by_district": {
            names["region"](code) if code else "—": row for code, row in stats["by_region"].items()
        },
        "by_industry": {
            str(names["industry"].get(code, code)) if code else "—": row
            for code, row in stats["by_industry"].items()
        },
        "by_institution_type": {
            str(names["institution_type"].get(code, code)) if code else "—": row
            for code, row in stats["by_institution_type"].items()
        },
    }


def compute_data_overview() -> dict:
    """Every figure from its owning app's selectors. Totals carry ``basis``, the number of records
    behind them: a figure resting on fewer than 5 records is suppressed (value None)."""
    from dfsp.accounts.roles import InstitutionSubtype
    from dfsp.core.regions import region_name

    organisations = _organisations()
    enterprises = organisations.filter(kind=OrganisationKind.ENTERPRISE)
    institution_rows = organisations.filter(kind=OrganisationKind.INSTITUTION)
    by_month = Counter(
        timezone.localtime(created).strftime("%Y-%m")
        for created in enterprises.values_list("created_at", flat=True)
    )
    by_district = Counter(region_name(code) for code in enterprises.values_list("region_code", flat=True))
    subtype_labels = dict(InstitutionSubtype.choices)
    by_type = Counter(
        str(subtype_labels.get(code, code))
        for code in institution_rows.values_list("institution_subtype", flat=True)
    )
    demands = financing_selectors.demand_statistics()
    industries = enterprise_selectors.count_by_industry()
    products = institution_selectors.search_products(institution_selectors.MarketFilters()).count()
    applications, applications_by_month = _application_figures()
    lending = _lending_figures()

    def count(key: str, value: int) -> dict:
        return {"key": key, "value": value, "basis": value}

    totals = [
        count("enterprises", enterprises.count()),
        count("certified_enterprises", enterprise_selectors.certified_count()),
        count("institutions", institution_rows.count()),
        count("products", products),
        count("demands", demands["count"]),
        count("applications", applications),
        count("loans", lending["count"]),
        # 10,000 yuan, one decimal; suppressed below 5 loans.
        {
            "key": "amount_granted",
            "value": round(float(lending["amount"]) / 10_000, 1),
            "basis": lending["count"],
        },
        # Percent, one decimal; suppressed unless both the credit loans and all loans reach 5.
        {
            "key": "credit_loan_share",
            "value": round(lending["credit_share"] * 100, 1),
            "basis": min(lending["credit_count"], lending["count"]),
        },
    ]
    for total in totals:
        if total["basis"] < SUPPRESSION_THRESHOLD:
            total["value"] = None
    return {
        "totals": totals,
        "series": {
            "enterprises_by_month": suppress(by_month),
            "enterprises_by_district": suppress(by_district),
            "enterprises_by_industry": suppress(
                Counter({GBT4754_SECTIONS.get(code, code): n for code, n in industries.items()})
            ),
            "institutions_by_type": suppress(by_type),
            "demands_by_month": suppress(Counter(demands["by_month"])),
            "applications_by_month": suppress(Counter(applications_by_month)),
            "amount_granted_by_month": suppress_amounts(lending["by_month"]),
            "amount_granted_by_district": suppress_amounts(lending["by_district"]),
            "amount_granted_by_industry": suppress_amounts(lending["by_industry"]),
            "amount_granted_by_institution_type": suppress_amounts(lending["by_institution_type"]),
        },
        "computed_at": timezone.now().isoformat(),
    }


DATA_OVERVIEW_KEY = "portal:data-overview"


def data_overview() -> dict:
    """The cached figures (refreshed by the scheduled job); computed on a cold cache."""
    from django.core.cache import cache

    cached = cache.get(DATA_OVERVIEW_KEY)
    if cached is None:
        cached = compute_data_overview()
        cache.set(DATA_OVERVIEW_KEY, cached, 2 * 3600)
    return cached
