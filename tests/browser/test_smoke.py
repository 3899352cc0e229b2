"""Browser smoke test: an operator logs in with password and TOTP and sees the Chinese home page."""

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from dfsp.accounts.tests.factories import PASSWORD, member

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


def code_for(user) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


def test_operator_logs_in_with_totp_and_sees_the_home_page(live_server, page):
    operator = member("operator", username="smoke_operator", full_name="周敏")
    TOTPDevice.objects.create(user=operator, name="phone", confirmed=True)

    page.goto(f"{live_server.url}/")
    assert "数字金融服务平台" in page.title()
    page.get_by_role("link", name="登录").first.click()
    page.get_by_label("用户名或手机号").fill("smoke_operator")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/accounts/login/verify/")
    page.get_by_label("身份验证器应用中的 6 位验证码").fill(code_for(operator))
    page.get_by_role("button", name="验证").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_text("欢迎，周敏").is_visible()
    assert page.get_by_role("heading", name="你的工作台").is_visible()


def test_home_page_fits_a_phone_screen(live_server, browser):
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    assert page.get_by_role("button", name="切换导航").is_visible()
    context.close()
