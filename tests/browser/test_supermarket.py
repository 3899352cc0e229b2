"""Browser test: on a phone-width screen a visitor filters the financial supermarket and compares
two products side by side."""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from dfsp.accounts.tests.factories import OrganisationFactory, member
from dfsp.institutions import services

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


def _content(**overrides):
    data = {
        "name": "经营快贷", "product_type": "credit_loan", "amount_min": "10", "amount_max": "300",
        "term_min": 1, "term_max": 12, "rate_min": "3.45", "rate_max": "4.35",
        "repayment_methods": ["interest_first"], "guarantee_methods": ["credit"], "tags": ["online"],
        "target_regions": ["230600"], "response_days": 2, "description": "线上申请，随借随还。",
        "contact_name": "陈经理", "contact_phone": "0459-6382100",
    }  # fmt: skip
    data.update(overrides)
    return data


def _live(officer, operator, **overrides):
    product = services.create_product(actor=officer, content=_content(**overrides))
    services.submit_product(actor=officer, product_id=product.pk)
    services.approve_product(actor=operator, product_id=product.pk)
    return product


def test_a_visitor_filters_on_a_phone_and_compares_two_products(live_server, browser):
    cache.clear()
    bank = OrganisationFactory(institution=True, name="工商银行大庆分行", short_name="工行大庆分行")
    officer = member("institution_user", bank, username="b_officer")
    operator = member("operator", username="b_operator")
    _live(officer, operator)
    _live(officer, operator, name="惠农e贷", tags=["agriculture", "online"], rate_min="4.35", rate_max="6.5")
    _live(
        officer,
        operator,
        name="e抵快贷",
        product_type="mortgage",
        guarantee_methods=["mortgage"],
        tags=["renewal"],
    )

    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/institutions/")
    assert page.locator(".product-card").count() == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    # the filters fold away on a phone; open them and tick a tag (htmx swaps the results)
    page.locator('[data-bs-target="#market-filters"]').click()
    page.locator('input[name="tag"][value="online"]').check()
    expect(page.locator(".product-card")).to_have_count(2)
    assert "tag=online" in page.url
    assert page.locator('[data-facet="product_type-credit_loan"]').first.inner_text() == "2"

    # tick both for comparison and compare them side by side
    page.locator('input[name="ids"]').nth(0).check()
    page.locator('input[name="ids"]').nth(1).check()
    page.locator("#compare-form button").click()
    page.wait_for_url("**/institutions/compare/**")
    header = page.locator("#compare-table thead").inner_text()
    assert "经营快贷" in header and "惠农e贷" in header
    assert "e抵快贷" not in header
    context.close()
