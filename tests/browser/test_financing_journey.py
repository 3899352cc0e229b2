# ruff: noqa: F811  (fixtures imported from the credit tests are used as fixture parameters)
"""Browser journeys across the financing chain, in the Chinese UI, with real sign-ins.

1. A certified enterprise runs its pre-assessment (grade, indicative limit), applies to a live
   product signing the data authorisation in the same step; the loan officer accepts, requests the
   assessment (grade, score reasons) and approves; the enterprise sees the approval. The officer
   then records the loan, the enterprise sees the schedule, the officer records a repayment, the
   overdue job runs after a later due date, the loan shows overdue and the bank files an overdue
   report.
2. An application left past its acceptance deadline is urged by a regulator on the late queue; the
   officer sees the urge and replies; the regulator sees the reply.
"""

import contextlib
import datetime as dt
import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from dfsp.accounts.selectors import organisation_of
from dfsp.accounts.tests.factories import member
from dfsp.consent.tests.conftest import default_scopes  # noqa: F401  (autouse: scopes and template)
from dfsp.credit.tests.conftest import (  # noqa: F401  (fixtures)
    credit_data,
    good_records,
    make_live_product,
    platform_models,
)
from dfsp.enterprises.tests.conftest import _private_files_and_sms  # noqa: F401  (autouse)
from dfsp.enterprises.tests.helpers import certify
from tests.browser.test_onboarding_journey import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


@pytest.fixture(autouse=True)
def _calendar(transactional_db):
    """The working-day calendar is seeded by a migration; a transactional flush empties it."""
    from dfsp.core.errors import DomainError
    from dfsp.workdays import selectors as workdays_selectors
    from dfsp.workdays import services as workdays_services

    today = timezone.localdate()
    for year in (today.year - 1, today.year, today.year + 1):
        with contextlib.suppress(DomainError):  # no holiday data for that year: weekends only
            workdays_services.seed_year(year=year)
    workdays_selectors.invalidate()
    yield
    workdays_selectors.invalidate()


@pytest.fixture
def signed_in(browser, live_server):
    """Sign a user in through the login page (password, then TOTP for staff) in a fresh context."""
    contexts = []

    def _open(user):
        context = browser.new_context(locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        needs_code = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        log_in(page, live_server.url, user.username, user if needs_code else None)
        return page

    yield _open
    for context in contexts:
        context.close()


def staff(role, username, full_name, organisation=None):
    user = member(role, organisation=organisation, username=username, full_name=full_name)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


def test_pre_assess_apply_approve_disburse_repay_overdue_and_report(
    live_server,
    signed_in,
    credit_data,
    platform_models,
):
    base = live_server.url
    operator = member("operator", username="journey_fin_operator")
    enterprise_admin = member("enterprise_admin", username="journey_fin_ent", full_name="王建国")
    certify(enterprise_admin, operator)
    enterprise = organisation_of(enterprise_admin)
    credit_data.set(enterprise.uscc, good_records(), name=enterprise.name)
    officer = staff("institution_user", "journey_fin_officer", "刘海峰")
    product = make_live_product(officer, operator, name="旅程经营快贷")

    # 1. the enterprise runs its pre-assessment: nothing pre-ticked, a grade and a limit
    ent = signed_in(enterprise_admin)
    ent.goto(f"{base}/credit/pre-assessment/")
    assert ent.locator("#consent-text").inner_text().strip()
    checkbox = ent.locator("#self-assessment-form input[type=checkbox]")
    assert not checkbox.is_checked()
    checkbox.check()
    ent.click("#run-self-assessment")
    ent.wait_for_selector(".credit-grade")
    assert re.fullmatch(r"A{1,3}|B{1,3}|C{1,3}|D", ent.locator(".credit-grade").inner_text().strip())
    limit = ent.locator(".credit-limit").inner_text().strip()
    assert re.fullmatch(r"[\d,]+\.\d\d", limit) and limit != "0.00"
    offer = ent.locator("#offers-table tbody tr[data-eligible='1']", has_text="旅程经营快贷")
    assert re.search(r"[1-9]", offer.locator("td").nth(3).inner_text())  # an indicative limit

    # 2. it applies to the product: the authorisation text is shown and confirmed in the same form
    offer.locator("a.btn").click()
    ent.wait_for_url(f"**/financing/applications/new/?product={product.pk}")
    ent.wait_for_selector("#apply-form")
    assert ent.locator("#consent-text").inner_text().strip()
    confirmed = ent.locator("#id_confirmed")
    assert not confirmed.is_checked()
    ent.fill("#id_amount", "800000")
    ent.fill("#id_term_months", "12")
    ent.fill("#id_purpose", "采购聚丙烯原料")
    confirmed.check()
    ent.click("#submit-application")
    ent.wait_for_selector("#application-status [data-status='submitted']")
    application_url = ent.url
    application_id = int(re.search(r"/(\d+)/?$", application_url).group(1))

    # 3. the loan officer accepts, requests the assessment and sees grade and reasons, approves
    bank = signed_in(officer)
    bank.goto(f"{base}/financing/desk/")
    bank.click(f"tr[data-application='{application_id}'] a")
    bank.click("#accept-application")
    bank.wait_for_selector("#application-status [data-status='accepted']")
    bank.click("#run-assessment")
    bank.wait_for_selector(".credit-grade, #assessment-error")
    assert bank.locator(".credit-grade").count() == 1, bank.locator("#assessment").inner_text()
    assert bank.locator(".credit-score").first.inner_text().strip().isdigit()
    assert bank.locator(".credit-reasons tbody tr[data-direction]").count() >= 1
    bank.click("#approve-toggle")
    bank.fill("#id_amount", "800000")
    bank.fill("#id_rate", "3.90")
    bank.fill("#id_term_months", "12")
    bank.click("#approve-application")
    bank.wait_for_selector("#application-status [data-status='approved']")

    # 4. the enterprise sees it approved
    ent.goto(application_url)
    ent.wait_for_selector("#application-status [data-status='approved']")
    assert "800,000" in ent.locator("#approved-terms").inner_text()

    # 5. the officer records the loan from the approved application
    bank.click("#disburse")
    bank.wait_for_selector("#disburse-form")
    bank.fill("#id_contract_number", "GH-JOURNEY-0001")
    bank.select_option("#id_method", "equal_principal")
    bank.fill("#id_repayment_day", str(min(timezone.localdate().day, 28)))
    bank.click("#disburse-submit")
    bank.wait_for_selector("#schedule")
    loan_url = bank.url
    loan_id = int(re.search(r"/loans/(\d+)/?$", loan_url).group(1))
    assert bank.locator("#schedule tbody tr").count() == 12

    # 6. the enterprise sees the repayment schedule on its loans page
    ent.goto(f"{base}/loans/mine/")
    assert "GH-JOURNEY-0001" in ent.locator("#my-loans").inner_text()
    ent.locator("#my-loans .card", has_text="GH-JOURNEY-0001").locator("a").first.click()
    ent.wait_for_selector("#schedule")
    assert ent.locator("#schedule tbody tr").count() == 12
    assert "66,666.67" in ent.locator("#schedule").inner_text()  # 800 000 / 12
    assert ent.locator("#record-repayment").count() == 0

    # 7. the officer records the first instalment, as much as the schedule says is due
    first_due = bank.locator("#schedule tbody tr").first.locator("td").nth(6).inner_text().strip()
    bank.click("#record-repayment")
    bank.wait_for_selector("#repayment-form")
    bank.fill("#id_amount", first_due.replace(",", ""))
    bank.click("#repayment-submit")
    bank.wait_for_url(loan_url)
    assert first_due in bank.locator("#repayments").inner_text()

    # 8. time passes beyond the second (unpaid) due date: the nightly overdue job marks it overdue
    from dfsp.loans import services as loan_services

    second_due = ent.locator("#schedule tbody tr").nth(1).locator("td").nth(1).inner_text().strip()
    later = dt.date.fromisoformat(second_due) + timedelta(days=10)
    with time_machine.travel(timezone.make_aware(dt.datetime.combine(later, dt.time(2, 0))), tick=False):
        loan_services.run_overdue_job(today=later)
    ent.reload()
    ent.wait_for_selector("#loan-dpd")
    assert "table-danger" in (ent.locator("#schedule tbody tr").nth(1).get_attribute("class") or "")
    assert ent.locator("#loan-status .text-bg-danger").count() == 1

    # 9. the lending institution files an overdue report
    bank.goto(f"{base}/postloan/loans/{loan_id}/overdue/new/")
    bank.wait_for_selector("#report-form")
    bank.locator("#report-form select[name=status]").select_option(index=0)
    bank.fill("#report-form textarea[name=note]", "已电话联系企业财务负责人，承诺月底前补还。")
    bank.locator("#report-form button[type=submit]").click()
    bank.wait_for_url(re.compile(r".*/postloan/overdue/\d+/$"))
    assert bank.locator("#report-status").inner_text().strip()
    assert "GH-JOURNEY-0001" in bank.locator("body").inner_text()
    assert "已电话联系企业财务负责人" in bank.locator("#report-history").inner_text()


def test_late_application_is_urged_and_the_officer_replies(live_server, signed_in):
    from dfsp.financing.tests.helpers import apply
    from dfsp.workdays.selectors import add_working_days

    base = live_server.url
    operator = member("operator", username="journey_urge_operator")
    enterprise_admin = member("enterprise_admin", username="journey_urge_ent")
    certify(enterprise_admin, operator)
    enterprise = organisation_of(enterprise_admin)
    officer = staff("institution_user", "journey_urge_officer", "刘海峰")
    regulator = staff("regulator", "journey_urge_regulator", "孙立群")

    # submitted eight working days ago and never accepted (as the timeliness demo does)
    submitted_on = add_working_days(timezone.localdate(), -8)
    submitted_at = timezone.make_aware(dt.datetime.combine(submitted_on, dt.time(10, 0)))
    with time_machine.travel(submitted_at, tick=False):
        product = make_live_product(officer, operator, name="旅程税务贷")
        application = apply(enterprise_admin, product, amount="500000", purpose="新增改性生产线设备款")

    # the regulator urges it from the late queue
    supervisor = signed_in(regulator)
    supervisor.goto(f"{base}/timeliness/late/")
    row = supervisor.locator("#late-queue tbody tr", has_text=f"#{application.pk}")
    assert enterprise.name in row.inner_text()
    row.locator("input[name=note]").fill("该笔融资申请已超过受理时限，请于今日内处理并回复进展。")
    row.get_by_role("button").click()
    supervisor.wait_for_url(f"{base}/timeliness/late/")
    row = supervisor.locator("#late-queue tbody tr", has_text=f"#{application.pk}")
    assert row.locator("td").nth(5).inner_text().strip().startswith("1")  # one urge, no reply yet

    # the officer sees the urge and replies
    bank = signed_in(officer)
    bank.goto(f"{base}/timeliness/urges/")
    urge = bank.locator("[id^=urge-]", has_text=f"#{application.pk}")
    assert "该笔融资申请已超过受理时限" in urge.inner_text()
    urge.locator("textarea[name=reply]").fill("所需纳税数据已补齐，今日内完成受理并与企业联系。")
    urge.get_by_role("button").click()
    bank.wait_for_url(re.compile(r".*/timeliness/urges/.*"))
    urge = bank.locator("[id^=urge-]", has_text=f"#{application.pk}")
    assert "所需纳税数据已补齐" in urge.inner_text()
    assert urge.locator("textarea[name=reply]").count() == 0

    # the regulator sees the reply next to the late application
    supervisor.goto(f"{base}/timeliness/late/")
    row = supervisor.locator("#late-queue tbody tr", has_text=f"#{application.pk}")
    assert "所需纳税数据已补齐" in row.inner_text()
