"""Browser journey: an enterprise registers with an SMS code, is certified, publishes a demand
that an operator approves, a loan officer takes it, and the enterprise sees who took it."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from dfsp.accounts.tests.factories import PASSWORD, member

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]

# A small but real PDF (one empty page).
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


class JourneySms:
    """The SMS backend for this test: keeps texts so the test reads the one-time code."""

    sent: list = []

    def send(self, address, text):
        JourneySms.sent.append((address, text))


@pytest.fixture(autouse=True)
def _journey_settings(settings, tmp_path):
    settings.NOTIFICATION_CHANNELS = {"sms": f"{__name__}.JourneySms"}
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "journey"}
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    JourneySms.sent.clear()


def code_for(user) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


def answer(question: str) -> str:
    a, b = (int(n) for n in re.findall(r"\d+", question)[:2])
    return str(a - b if ("minus" in question or "减" in question) else a + b)


def log_in(page, base, username, user=None):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名或手机号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    if user is not None:
        page.wait_for_url("**/accounts/login/verify/")
        page.get_by_label("身份验证器应用中的 6 位验证码").fill(code_for(user))
        page.get_by_role("button", name="验证").click()
    page.wait_for_url(f"{base}/")


def staff(browser, role, username, full_name):
    user = member(role, username=username, full_name=full_name)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user, browser.new_context(locale="zh-CN").new_page()


def test_register_certify_publish_and_get_taken(live_server, page, browser, tmp_path):
    base = live_server.url
    mobile = "13912340001"

    # 1. registration with the SMS code
    page.goto(f"{base}/enterprises/register/")
    page.fill("input[name=name]", "大庆市旅程测试新材料有限公司")
    page.fill("input[name=uscc]", _uscc())
    page.fill("input[name=legal_representative]", "张晓明")
    page.select_option("select[name=region_code]", "230602")
    page.select_option("select[name=industry]", "C")
    page.select_option("select[name=scale]", "small")
    page.fill("input[name=full_name]", "张晓明")
    page.fill("input[name=username]", "journey_admin")
    page.fill("input[name=mobile]", mobile)
    page.fill("input[name=challenge]", answer(page.inner_text("#challenge-question")))
    page.click("#send-code")
    page.wait_for_selector(".alert-success")
    sms_code = re.search(r"\d{6}", JourneySms.sent[-1][1]).group(0)
    assert JourneySms.sent[-1][0] == mobile
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.fill("input[name=sms_code]", sms_code)
    page.click("#register")
    page.wait_for_url("**/accounts/login/**")

    # 2. certification with a small real PDF
    log_in(page, base, "journey_admin")
    page.goto(f"{base}/enterprises/certification/")
    page.fill("input[name=address]", "大庆市萨尔图区纬二路 8 号")
    pdf_path = tmp_path / "营业执照.pdf"
    pdf_path.write_bytes(PDF)
    page.set_input_files("input[name=business_licence]", str(pdf_path))
    page.click("#certification-submit")
    page.wait_for_url("**/enterprises/account/")
    assert page.inner_text("#certification-status").strip() != ""

    # 3. the operator approves it (password + TOTP)
    operator, operator_page = staff(browser, "operator", "journey_operator", "周敏")
    log_in(operator_page, base, "journey_operator", operator)
    operator_page.goto(f"{base}/enterprises/review/")
    operator_page.get_by_role("link", name="大庆市旅程测试新材料有限公司").click()
    operator_page.click("#approve")
    operator_page.wait_for_url("**/enterprises/review/")

    # 4. the enterprise publishes a demand
    page.goto(f"{base}/financing/demands/new/")
    page.fill("input[name=title]", "旅程测试流动资金贷款")
    page.fill("input[name=amount]", "3000000")
    page.fill("input[name=term_months]", "12")
    page.fill("input[name=acceptable_rate]", "4.8")
    page.select_option("select[name=guarantee]", "mortgage")
    page.select_option("select[name=urgency]", "urgent")
    page.fill("input[name=valid_until]", (timezone.localdate() + timedelta(days=30)).isoformat())
    page.fill("textarea[name=purpose]", "采购原材料")
    page.click("#demand-submit")
    page.wait_for_url(re.compile(r".*/financing/demands/\d+/$"))
    demand_url = page.url

    # 5. the operator approves the demand
    operator_page.goto(demand_url)
    operator_page.click("#approve-demand")
    operator_page.wait_for_url("**/financing/review/")

    # 6. the ICBC-like loan officer takes it; the contact is still hidden
    officer, officer_page = staff(browser, "institution_user", "journey_officer", "刘海峰")
    log_in(officer_page, base, "journey_officer", officer)
    officer_page.goto(f"{base}/financing/market/")
    officer_page.get_by_role("link", name="旅程测试流动资金贷款").click()
    assert "13912340001" not in officer_page.inner_text("#demand-contact")
    officer_page.click("#take-demand")
    officer_page.wait_for_selector("#demand-taker")

    # 7. the enterprise sees who took it
    page.goto(demand_url)
    taker = page.inner_text("#demand-taker")
    assert "刘海峰" in taker
    from dfsp.accounts.selectors import organisation_of

    assert organisation_of(officer).name in taker
    operator_page.context.close()
    officer_page.context.close()


def _uscc() -> str:
    from dfsp.core.identifiers import make_uscc

    return make_uscc("91", "230602", "MA1J0R7N")
