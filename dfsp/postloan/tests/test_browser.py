"""Browser journey: the enterprise rates its lender and asks for a deferral; the lender approves it
(the schedule is regenerated); the regulator sees the statistics charts."""

import pytest
from django.conf import settings
from django.test import Client

from conftest import log_in
from dfsp.postloan.models import Deferral

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
            [{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
              "url": live_server.url}]
        )  # fmt: skip
        contexts.append(context)
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()


def test_rate_request_and_approve_a_deferral_then_see_statistics(
    live_server, signed_in, loan, certified_admin, loan_officer, regulator
):
    page = signed_in(certified_admin)
    page.goto(f"{live_server.url}/postloan/loans/{loan.pk}/")
    page.locator("#rating-form input[name=stars][value='5']").check()
    page.locator("#rating-form input[name=tags][value='fast']").check()
    page.locator("#rating-form button[type=submit]").click()
    page.wait_for_selector("#ratings .text-warning")
    page.select_option("#deferral-form select[name=kind]", "principal")
    page.fill("#deferral-form input[name=proposed_maturity_date]", "2027-07-20")
    page.fill("#deferral-form textarea[name=reason]", "下游回款周期延长")
    page.locator("#deferral-form button[type=submit]").click()
    page.wait_for_selector("#deferral-status")
    deferral_url = page.url

    officer = signed_in(loan_officer)
    officer.goto(deferral_url)
    officer.fill("textarea[name=reason]", "同意")
    officer.locator("#approve-deferral").click()
    officer.wait_for_selector("#deferral-status")
    assert Deferral.objects.get().status == "approved"
    officer.goto(f"{live_server.url}/postloan/loans/{loan.pk}/")
    assert "2027-07" in officer.locator("#loan-maturity").inner_text()

    supervisor = signed_in(regulator)
    supervisor.goto(f"{live_server.url}/postloan/statistics/")
    supervisor.wait_for_selector("[data-chart='pl-by-month'] canvas")
