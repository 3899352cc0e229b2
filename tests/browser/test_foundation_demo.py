"""A newcomer logs in as a seeded demo administrator: demo password, the code `demo_totp` prints,
the forced first password change, and then their own module (the audit trail)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from dfsp.accounts import demo
from dfsp.accounts.models import User

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


def demo_code(username: str) -> str:
    out = StringIO()
    with override_settings(DEMO_MODE=True):
        call_command("demo_totp", username, stdout=out)
    return out.getvalue().strip()


def test_the_demo_audit_admin_logs_in_with_demo_totp_and_must_change_the_password(live_server, page):
    demo.seed(StringIO())
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名或手机号").fill("auditor")
    page.get_by_label("密码").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/accounts/login/verify/")
    page.get_by_label("身份验证器应用中的 6 位验证码").fill(demo_code("auditor"))
    page.get_by_role("button", name="验证").click()
    page.wait_for_url("**/accounts/password/")
    # Until the password is changed, every other page leads back here.
    page.goto(f"{live_server.url}/audit/")
    assert page.url.endswith("/accounts/password/")
    page.locator("#id_old_password").fill(demo.DEMO_PASSWORD)
    page.locator("#id_new_password1").fill("Audit#Daqing2027")
    page.locator("#id_new_password2").fill("Audit#Daqing2027")
    page.get_by_role("button", name="修改密码").click()
    page.wait_for_url("**/accounts/me/")
    page.goto(f"{live_server.url}/audit/")
    assert page.url.endswith("/audit/")
    assert page.locator("table").first.is_visible()
    assert not User.objects.get(username="auditor").must_change_password
