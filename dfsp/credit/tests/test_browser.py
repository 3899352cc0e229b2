"""Browser journeys: an enterprise admin authorises its pre-assessment (nothing pre-ticked) and sees
grade, factors, tips and offers; an operator reviews a fitted candidate's charts and activates it."""

import pytest
from django.conf import settings
from django.test import Client

from conftest import log_in
from dfsp.credit.models import ModelVersion
from dfsp.credit.tests.conftest import good_records

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


@pytest.fixture
def _consent_defaults(db):
    from dfsp.consent import defaults
    from dfsp.consent.models import ConsentTemplate, Scope

    defaults.install(Scope, ConsentTemplate)  # a transactional test starts from flushed tables


def test_enterprise_pre_assessment_in_the_browser(
    signed_in,
    live_server,
    _consent_defaults,
    credit_data,
    platform_models,
    enterprise,
    enterprise_admin,
    product,
    tmp_path,
):
    credit_data.set(enterprise.uscc, good_records(tax_grade="C"))
    page = signed_in(enterprise_admin)
    page.goto(f"{live_server.url}/credit/pre-assessment/")
    checkbox = page.locator("#self-assessment-form input[type=checkbox]")
    assert not checkbox.is_checked()
    checkbox.check()
    page.click("#run-self-assessment")
    page.wait_for_selector(".credit-grade")
    assert page.locator("#improvement-tips li").count() >= 1
    page.wait_for_selector("[data-chart='reasons-chart'] canvas")
    assert page.locator("#offers-table tbody tr[data-eligible='1']").count() == 1
    page.screenshot(path=str(tmp_path / "pre-assessment.png"), full_page=True)


def test_operator_reviews_and_activates_a_fitted_candidate(
    signed_in, live_server, _consent_defaults, platform_models, operator_user, tmp_path
):
    page = signed_in(operator_user)
    page.goto(f"{live_server.url}/credit/")
    page.select_option("#fit-form select[name=source]", "synthetic")
    page.fill("#fit-form input[name=rows]", "2000")
    page.click("#fit-form button[type=submit]")
    page.wait_for_selector("#val-auc")
    page.wait_for_selector("[data-chart='calibration-chart'] canvas")
    page.screenshot(path=str(tmp_path / "version.png"), full_page=True)
    page.click("#activate-version")
    page.wait_for_selector("#version-status")
    assert ModelVersion.objects.get(method="fitted").status == "active"
