"""Browser journey: the officer disburses an approved application, the enterprise sees the
schedule, the officer records a repayment, and after the overdue job (run for a later date) the
loan shows as overdue."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from conftest import log_in
from dfsp.accounts.tests.factories import member

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


def _approved_application(enterprise_admin, officer):
    from dfsp.consent import defaults
    from dfsp.consent.models import ConsentTemplate, Scope
    from dfsp.enterprises.tests.helpers import certify
    from dfsp.financing import services as financing_services
    from dfsp.financing.tests.helpers import apply, make_live_product

    defaults.install(Scope, ConsentTemplate)  # a transactional test starts from flushed tables
    certify(enterprise_admin, member("operator", username="loans_browser_operator"))
    product = make_live_product(officer, member("operator", username="loans_browser_operator2"))
    application = apply(enterprise_admin, product, amount="240000")
    financing_services.accept_application(actor=officer, application_id=application.pk)
    return financing_services.approve_application(
        actor=officer,
        application_id=application.pk,
        amount=Decimal("240000"),
        rate=Decimal("4"),
        term_months=12,
    )


def test_disburse_see_schedule_repay_and_overdue(live_server, signed_in):
    from dfsp.loans import services
    from dfsp.loans.models import Loan

    enterprise_admin = member("enterprise_admin", username="loans_browser_ent")
    officer = member("institution_user", username="loans_browser_officer")
    application = _approved_application(enterprise_admin, officer)
    today = timezone.localdate()

    bank = signed_in(officer)
    bank.goto(f"{live_server.url}/loans/disburse/{application.pk}/")
    bank.locator("#id_contract_number").fill("GH-BROWSER-0001")
    bank.locator("#id_method").select_option("equal_principal")
    bank.locator("#id_repayment_day").fill(str(min(today.day, 28)))
    bank.locator("#disburse-submit").click()
    bank.wait_for_selector("#schedule")
    loan = Loan.objects.get(contract_number="GH-BROWSER-0001")
    assert bank.locator("#schedule tbody tr").count() == 12

    ent = signed_in(enterprise_admin)
    ent.goto(f"{live_server.url}/loans/mine/")
    assert "GH-BROWSER-0001" in ent.locator("#my-loans").inner_text()
    ent.locator("#my-loans a").first.click()
    ent.wait_for_selector("#schedule")
    assert "20,000.00" in ent.locator("#schedule").inner_text()  # 240 000 / 12
    assert ent.locator("#record-repayment").count() == 0

    bank.locator("#record-repayment").click()
    bank.locator("#id_amount").fill("20800")  # the first instalment: 20 000 + 240 000 × 4 % / 12
    bank.locator("#repayment-submit").click()
    bank.wait_for_selector("#repayments")
    assert "20,800.00" in bank.locator("#repayments").inner_text()

    services.run_overdue_job(today=today + timedelta(days=75))  # the second instalment is past due
    ent.reload()
    assert ent.locator("#loan-dpd").count() == 1
    assert Loan.objects.get(pk=loan.pk).status == "overdue"
    assert "table-danger" in (ent.locator("#schedule tbody tr").nth(1).get_attribute("class") or "")
