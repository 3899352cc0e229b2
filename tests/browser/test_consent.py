"""Browser journey: an enterprise admin ticks scopes, reads the consent text, signs, then withdraws
with one click; no inline script, no pre-ticked box."""

import pytest

from dfsp.accounts.selectors import organisation_of
from dfsp.accounts.tests.factories import PASSWORD, member

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


def test_enterprise_signs_and_withdraws_a_grant(live_server, page):
    from dfsp.consent import defaults
    from dfsp.consent.models import ConsentTemplate, Grant, Scope
    from dfsp.financing.models import Demand
    from dfsp.financing.tests.helpers import demand_fields

    defaults.install(Scope, ConsentTemplate)  # a transactional test starts from flushed tables
    admin = member("enterprise_admin", username="consent_ent_admin")
    officer = member("institution_user", username="consent_officer")
    bank = organisation_of(officer)
    # A demand grant names a real demand of this enterprise taken by this bank (financing checks it).
    demand = Demand.objects.create(
        organisation=organisation_of(admin), created_by=admin, region_code="230602", industry="C", scale="small",
        status="taken", taken_by_organisation=bank, taken_by_user=officer, **demand_fields(),
    )  # fmt: skip

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名或手机号").fill("consent_ent_admin")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()

    page.goto(f"{live_server.url}/consent/grants/new/")
    assert page.locator("input[name=scope_codes]:checked").count() == 0
    page.locator("select[name=institution]").select_option(str(bank.pk))
    page.locator("input[name=scope_codes][value=registration]").check()
    page.locator("input[name=scope_codes][value=tax]").check()
    page.locator("select[name=purpose_type]").select_option("demand")
    page.locator("input[name=purpose_id]").fill(str(demand.pk))
    page.locator("button[name=preview]").click()
    assert bank.name in page.locator("#consent-text").inner_text()
    page.locator("input[name=confirmed]").check()
    page.locator("button[name=sign]").click()
    page.wait_for_selector("#evidence-ok")
    grant = Grant.objects.get(enterprise=organisation_of(admin))
    assert grant.scope_codes == ["registration", "tax"] and grant.status == "active"

    page.goto(f"{live_server.url}/consent/")
    page.locator(f"form[action='/consent/grants/{grant.pk}/withdraw/'] button").click()
    page.wait_for_load_state()
    grant.refresh_from_db()
    assert grant.status == "withdrawn"
