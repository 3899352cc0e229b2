"""The public portal on a phone (no sideways scrolling, the menu collapses, axe-core finds no
serious violation with real content), by keyboard (skip link, visible focus, search), and the data
overview's ECharts really drawn."""

import pytest
from django.urls import reverse

from dfsp.accounts.tests.factories import OrganisationFactory, member
from dfsp.portal.tests.helpers import draft_notice, policy, published
from tests.browser.axe import AXE, RUN_AXE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]

OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
FOCUS_STYLE = """() => {
  const style = getComputedStyle(document.activeElement);
  return {outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
          shadow: style.boxShadow !== "none", tag: document.activeElement.tagName,
          id: document.activeElement.id, href: document.activeElement.getAttribute("href")};
}"""


def _content():
    """Enough records for figures above the suppression threshold, a live product, a policy."""
    from dfsp.financing.tests.helpers import make_live_product

    for _ in range(6):
        OrganisationFactory(region_code="230602")
    officer = member("institution_user", username="phone_officer")
    make_live_product(officer, member("operator", username="phone_operator"), name="科技信用快贷")
    measures = policy(slug="measures", interpretation="<p>政策解读</p>")
    published(draft_notice(editor=None, title="关于开展政银企融资对接活动的通知", slug="match"))
    return measures


def test_public_pages_fit_a_phone_without_serious_accessibility_violations(browser, live_server):
    assert AXE.exists(), f"axe-core is missing: npm install; looked in {AXE}"
    measures = _content()
    paths = [
        "/",
        "/policies/",
        measures.url,
        reverse("institutions:supermarket"),
        "/complaints/",
        "/complaints/lookup/",
        "/data-overview/",
        "/search/?q=融资",
        "/questions/",
        "/notices/",
    ]
    context = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 812}, bypass_csp=True)
    page = context.new_page()
    overflowing, violations = {}, {}
    for path in paths:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        overflow = page.evaluate(OVERFLOW)
        if overflow > 1:
            overflowing[path] = overflow
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        found = page.evaluate(RUN_AXE)
        if found:
            violations[path] = found
    page.goto(f"{live_server.url}/")
    toggler = page.locator(".navbar-toggler")
    assert toggler.is_visible()
    context.close()
    assert overflowing == {}, f"pages scroll sideways on a phone: {overflowing}"
    assert violations == {}, "\n".join(f"{k}: {v}" for k, v in violations.items())


def test_keyboard_users_skip_to_content_see_focus_and_search(browser, live_server):
    published(draft_notice(editor=None, title="关于开展政银企融资对接活动的通知", slug="match"))
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUS_STYLE)
    assert first["href"] == "#main"
    assert page.locator("a[href='#main']").is_visible()  # visually hidden until focused
    for _ in range(80):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STYLE)
        if state["id"] == "home-search":
            break
    else:
        pytest.fail("the search box cannot be reached by keyboard")
    assert state["outline"] or state["shadow"], "the focused search box shows no focus indicator"
    page.keyboard.type("融资对接")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/**")
    assert page.locator("mark", has_text="融资对接").first.is_visible()
    context.close()


def test_data_overview_draws_its_charts(browser, live_server):
    from dfsp.portal import services as portal_services

    for _ in range(6):
        OrganisationFactory(region_code="230602")
    portal_services.refresh_data_overview()  # another test of this process may have cached an empty one
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/data-overview/")
    page.wait_for_selector("[data-chart][data-chart-ready] canvas")
    charts = page.locator("[data-chart]").count()
    suppressed = page.locator("[data-chart-suppressed]").count()
    assert charts >= 2 and suppressed >= 1  # six enterprises in one district: the rest is under 5
    assert charts + suppressed == page.locator("section.col-12").count()
    assert page.locator("[data-chart][data-chart-ready]").count() == charts
    assert errors == []
    context.close()
