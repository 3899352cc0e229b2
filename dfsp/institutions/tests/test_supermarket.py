"""The supermarket's filters, sorts and facet counts against a small hand-checked fixture set.

#  institution  type           tags                       guarantee         amount   term   rate       regions  industries  applied rating
A  bank (bank)  credit_loan    pure_credit, online        credit            10–300   1–12   3.45–4.35  230600   C           50      4.5
B  bank (bank)  mortgage       online, renewal            mortgage          50–1000  12–120 3.60–4.80  230602   C, F        10      4.8
C  other (mlc)  credit_loan    pure_credit, fast          credit, guarantee 5–100    3–24   8.00–15.40 230606   F           30      3.9
D  other (mlc)  leasing        renewal                    mortgage          30–500   12–60  9.50–14.00 230000   B           0       0
E  bank (bank)  credit_loan    online                     credit            1–20     1–6    4.00–5.00  230600   —           0       0   (offline: never counted)
"""

from decimal import Decimal

import pytest

from dfsp.accounts.tests.factories import OrganisationFactory, member
from dfsp.institutions import selectors, services
from dfsp.institutions.models import Product
from dfsp.institutions.selectors import MarketFilters

pytestmark = pytest.mark.django_db


@pytest.fixture
def market(bank_officer, make_live):
    micro = OrganisationFactory(
        institution=True, institution_subtype="micro_loan", name="鑫源小额贷款公司", short_name="鑫源小贷"
    )
    micro_officer = member("institution_user", micro, username="t_micro")
    a = make_live(bank_officer, name="经营快贷", description="工行小微企业线上信用贷款")
    b = make_live(
        bank_officer, name="e抵快贷", product_type="mortgage", amount_min="50", amount_max="1000", term_min=12,
        term_max=120, rate_min="3.60", rate_max="4.80", tags=["online", "renewal"], guarantee_methods=["mortgage"],
        target_regions=["230602"], industries=["C", "F"],
    )  # fmt: skip
    c = make_live(
        micro_officer, name="税易贷", amount_min="5", amount_max="100", term_min=3, term_max=24, rate_min="8.00",
        rate_max="15.40", tags=["pure_credit", "fast"], guarantee_methods=["credit", "guarantee"],
        target_regions=["230606"], industries=["F"], description="凭纳税记录申请",
    )  # fmt: skip
    d = make_live(
        micro_officer, name="设备融资租赁", product_type="leasing", amount_min="30", amount_max="500", term_min=12,
        term_max=60, rate_min="9.50", rate_max="14.00", tags=["renewal"], guarantee_methods=["mortgage"],
        target_regions=["230000"], industries=["B"],
    )  # fmt: skip
    e = make_live(bank_officer, name="下架产品", amount_min="1", amount_max="20", term_max=6, rate_min="4", rate_max="5",
                  tags=["online"], industries=[])  # fmt: skip
    services.take_product_offline(actor=bank_officer, product_id=e.pk)
    Product.objects.filter(pk=a.pk).update(applications_count=50, rating=Decimal("4.5"))
    Product.objects.filter(pk=b.pk).update(applications_count=10, rating=Decimal("4.8"))
    Product.objects.filter(pk=c.pk).update(applications_count=30, rating=Decimal("3.9"))
    services.recompute_scores()
    return {"A": a, "B": b, "C": c, "D": d, "E": e, "bank": a.organisation, "micro": micro}


def names(queryset) -> list[str]:
    return list(queryset.values_list("name", flat=True))


def test_facet_counts_of_the_whole_market(market):
    counts = selectors.facet_counts(selectors.search_products(MarketFilters()))
    assert counts["total"] == 4
    assert counts["product_type"] == {"credit_loan": 2, "mortgage": 1, "leasing": 1}
    assert counts["institution_type"] == {"bank": 2, "micro_loan": 2}
    assert {k: v["count"] for k, v in counts["institution"].items()} == {
        market["bank"].pk: 2,
        market["micro"].pk: 2,
    }
    assert counts["tag"] == {"pure_credit": 2, "online": 2, "renewal": 2, "fast": 1}
    assert counts["guarantee"] == {"credit": 2, "mortgage": 2, "guarantee": 1}
    assert counts["region"] == {"230600": 1, "230602": 1, "230606": 1, "230000": 1}
    assert counts["industry"] == {"C": 2, "F": 2, "B": 1}
    # amount by maximum: 300 → 200to1000, 1000 → ge1000, 100 → 50to200, 500 → 200to1000
    assert counts["amount"] == {"lt50": 0, "50to200": 1, "200to1000": 2, "ge1000": 1}
    # term by maximum: 12 → le12, 120 → gt36, 24 → 13to36, 60 → gt36
    assert counts["term"] == {"le12": 1, "13to36": 1, "gt36": 2}
    # rate by minimum: 3.45, 3.60 → lt4; 8.00, 9.50 → 6to10
    assert counts["rate"] == {"lt4": 2, "4to6": 0, "6to10": 2, "ge10": 0}


def test_filters_narrow_the_listing_and_the_counts(market):
    online_credit = selectors.search_products(
        MarketFilters(tag=["pure_credit"], product_type=["credit_loan"])
    )
    assert sorted(names(online_credit)) == sorted(["经营快贷", "税易贷"])
    counts = selectors.facet_counts(online_credit)
    assert counts["total"] == 2
    assert counts["institution_type"] == {"bank": 1, "micro_loan": 1}
    assert counts["tag"] == {"pure_credit": 2, "online": 1, "fast": 1}
    # institution type and guarantee method
    assert names(
        selectors.search_products(MarketFilters(institution_type=["micro_loan"], guarantee=["mortgage"]))
    ) == ["设备融资租赁"]
    assert sorted(names(selectors.search_products(MarketFilters(institution=[market["bank"].pk])))) == sorted(
        ["经营快贷", "e抵快贷"]
    )
    # industry F: B and C
    assert sorted(names(selectors.search_products(MarketFilters(industry="F")))) == sorted(
        ["e抵快贷", "税易贷"]
    )


def test_amount_term_and_rate_filters(market):
    # 200 (10k yuan) fits A (10–300), B? no (min 50 ≤ 200 ≤ 1000 yes), C no (max 100), D yes (30–500)
    assert sorted(names(selectors.search_products(MarketFilters(amount=Decimal("200"))))) == sorted(
        ["经营快贷", "e抵快贷", "设备融资租赁"]
    )
    # a 36-month term: B (12–120), D (12–60)
    assert sorted(names(selectors.search_products(MarketFilters(term=36)))) == sorted(
        ["e抵快贷", "设备融资租赁"]
    )
    # at most 5%: A and B
    assert sorted(names(selectors.search_products(MarketFilters(rate_max=Decimal("5"))))) == sorted(
        ["经营快贷", "e抵快贷"]
    )


def test_region_filter_includes_city_and_province_wide_products(market):
    # 萨尔图区 230602: B (230602), A (大庆市 230600), D (黑龙江省 230000); not C (大同区)
    assert sorted(names(selectors.search_products(MarketFilters(region="230602")))) == sorted(
        ["e抵快贷", "经营快贷", "设备融资租赁"]
    )


def test_keyword_search_matches_chinese_in_name_description_and_institution(market):
    assert names(selectors.search_products(MarketFilters(q="快贷", sort="newest"))) == ["e抵快贷", "经营快贷"]
    assert names(selectors.search_products(MarketFilters(q="纳税"))) == ["税易贷"]
    assert sorted(names(selectors.search_products(MarketFilters(q="鑫源")))) == sorted(
        ["税易贷", "设备融资租赁"]
    )
    assert names(selectors.search_products(MarketFilters(q="不存在的词"))) == []


def test_sorts(market):
    assert names(selectors.search_products(MarketFilters(sort="rate"))) == [
        "经营快贷",
        "e抵快贷",
        "税易贷",
        "设备融资租赁",
    ]
    assert names(selectors.search_products(MarketFilters(sort="applied"))) == [
        "经营快贷",
        "税易贷",
        "e抵快贷",
        "设备融资租赁",
    ]
    assert names(selectors.search_products(MarketFilters(sort="rated"))) == [
        "e抵快贷",
        "经营快贷",
        "税易贷",
        "设备融资租赁",
    ]
    assert names(selectors.search_products(MarketFilters(sort="newest"))) == [
        "设备融资租赁",
        "税易贷",
        "e抵快贷",
        "经营快贷",
    ]


def test_recommended_puts_pinned_first_then_the_score(market, operator):
    ordered = list(selectors.search_products(MarketFilters()))
    assert [p.score for p in ordered] == sorted((p.score for p in ordered), reverse=True)
    services.set_product_pinned(actor=operator, product_id=market["D"].pk, pinned=True)
    assert names(selectors.search_products(MarketFilters()))[0] == "设备融资租赁"


def test_hot_products_and_comparison(market):
    assert [p.name for p in selectors.hot_products(2)] == ["经营快贷", "税易贷"]
    compared = selectors.compare_products(
        [market["C"].pk, market["A"].pk, market["E"].pk, "x", market["B"].pk]
    )
    # the offline product and the junk id are dropped; at most three
    assert [p.name for p in compared] == ["税易贷", "经营快贷", "e抵快贷"]


def test_facet_counts_take_a_fixed_number_of_queries(market, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        selectors.facet_counts(selectors.search_products(MarketFilters(tag=["online"])))
