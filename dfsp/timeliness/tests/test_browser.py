"""Browser: an anonymous visitor opens the scorecard from the navigation and the chart draws."""

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


def test_public_scorecard_chart_renders(page, live_server, handled, bank):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(live_server.url + "/")
    page.locator("a[href='/timeliness/scorecard/']").first.click()  # the public navigation entry
    page.wait_for_selector("#scorecard")
    assert bank.name in page.inner_text("#scorecard")
    page.wait_for_selector("[data-chart='timeliness-compare'] canvas")
    assert errors == []
