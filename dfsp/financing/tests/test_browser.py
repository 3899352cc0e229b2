"""Browser journey: an enterprise applies with its data authorisation (nothing pre-ticked), a loan
officer accepts, runs the decision models and approves; the enterprise sees the approved terms."""

import pytest
from django.conf import settings
from django.test import Client

from conftest import log_in
from dfsp.credit.tests.conftest import credit_data, good_records, platform_models  # noqa: F401
from dfsp.financing.models import Application

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


def test_apply_accept_assess_approve_in_the_browser(
    signed_in,
    live_server,
    credit_data,  # noqa: F811
    platform_models,  # noqa: F811
    certified_admin,
    loan_officer,
    product,
    tmp_path,
):
    from dfsp.accounts.selectors import organisation_of

    credit_data.set(organisation_of(certified_admin).uscc, good_records())

    enterprise = signed_in(certified_admin)
    enterprise.goto(f"{live_server.url}/financing/applications/new/?product={product.pk}")
    assert enterprise.locator("#consent-text").inner_text().strip()
    checkbox = enterprise.locator("#id_confirmed")
    assert not checkbox.is_checked()
    enterprise.fill("#id_amount", "800000")
    enterprise.fill("#id_term_months", "12")
    enterprise.fill("#id_purpose", "采购聚丙烯原料")
    checkbox.check()
    enterprise.click("#submit-application")
    enterprise.wait_for_selector("#application-status [data-status='submitted']")
    application = Application.objects.get()

    officer = signed_in(loan_officer)
    officer.goto(f"{live_server.url}/financing/desk/")
    officer.click(f"tr[data-application='{application.pk}'] a")
    officer.click("#accept-application")
    officer.wait_for_selector("#application-status [data-status='accepted']")
    officer.click("#run-assessment")
    officer.wait_for_selector(".credit-grade, #assessment-error")
    assert officer.locator(".credit-grade").count() == 1, officer.locator("#assessment").inner_text()
    officer.click("#approve-toggle")
    officer.fill("#id_amount", "800000")
    officer.fill("#id_rate", "3.90")
    officer.fill("#id_term_months", "12")
    officer.click("#approve-application")
    officer.wait_for_selector("#application-status [data-status='approved']")
    officer.screenshot(path=str(tmp_path / "approved.png"), full_page=True)

    enterprise.reload()
    enterprise.wait_for_selector("#approved-terms")
