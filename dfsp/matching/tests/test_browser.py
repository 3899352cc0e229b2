"""Browser: the enterprise opens its matched products, reads why, and goes to apply; the operator
recomputes from the overview."""

import pytest
from django.conf import settings
from django.test import Client

from conftest import log_in
from dfsp.matching.models import MatchRun

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


@pytest.fixture
def signed_in(browser, live_server):
    contexts = []

    def _open(user):
        client = Client()
        log_in(client, user)
        context = browser.new_context(locale="zh-CN")
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        contexts.append(context)
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()


def test_matched_products_reasons_apply_and_recompute(
    signed_in, live_server, certified_admin, operator_user, demand, fitting_product
):
    enterprise = signed_in(certified_admin)
    enterprise.goto(f"{live_server.url}/matching/")
    card = enterprise.locator(
        f".demand-section[data-demand='{demand.pk}'] .match[data-product='{fitting_product.pk}']"
    )
    card.locator("summary").click()
    assert card.locator("[data-factor='amount']").is_visible()
    card.locator("a.apply").click()
    enterprise.wait_for_url(f"**/financing/applications/new/?product={fitting_product.pk}&demand={demand.pk}")

    operator = signed_in(operator_user)
    operator.goto(f"{live_server.url}/matching/overview/")
    operator.click("#recompute")
    operator.wait_for_selector("#count-matches")
    assert operator.locator("#count-matches").inner_text().strip() == "1"
    assert MatchRun.objects.filter(trigger=MatchRun.Trigger.OPERATOR).count() == 1
