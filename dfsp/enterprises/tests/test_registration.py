"""Enterprise registration: verified mobile, captcha, rate limits, one enterprise per code."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dfsp.core.errors import Conflict, ValidationFailed
from dfsp.core.identifiers import make_uscc
from dfsp.enterprises import antibot, services
from dfsp.enterprises.models import Certification, EnterpriseProfile, OneTimeCode
from dfsp.enterprises.tests.helpers import audit_events, last_code_for

pytestmark = pytest.mark.django_db

MOBILE = "13912345678"
USCC = make_uscc("91", "230602", "MA1Q9Y8X")


def send_code(django_capture_on_commit_callbacks, mobile=MOBILE, ip="10.0.0.1"):
    with django_capture_on_commit_callbacks(execute=True):
        services.send_registration_code(mobile=mobile, ip=ip)
    return last_code_for(mobile)


def register(code, **overrides):
    fields = {
        "name": "大庆市新材料测试有限公司",
        "uscc": USCC,
        "region_code": "230602",
        "legal_representative": "张三",
        "industry": "C",
        "scale": "small",
        "username": "newadmin",
        "full_name": "张三",
        "mobile": MOBILE,
        "password": "Str0ng#Passw0rd",
        "sms_code": code,
    }
    fields.update(overrides)
    return services.register_enterprise(**fields)


def test_registration_with_a_verified_mobile_creates_enterprise_profile_and_draft_certification(
    django_capture_on_commit_callbacks,
):
    code = send_code(django_capture_on_commit_callbacks)
    organisation, user = register(code)
    assert organisation.uscc == USCC
    assert user.has_role("enterprise_admin")
    profile = EnterpriseProfile.objects.get(organisation=organisation)
    assert (profile.legal_representative, profile.industry, profile.scale) == ("张三", "C", "small")
    assert Certification.objects.get(organisation=organisation).status == "draft"
    # the code is stored hashed and cannot be used twice
    stored = OneTimeCode.objects.get(mobile=MOBILE)
    assert code not in stored.code_hash and stored.used_at is not None
    assert audit_events(event_type="enterprises.profile.created").exists()


def test_wrong_codes_are_counted_and_lock_the_code(django_capture_on_commit_callbacks):
    code = send_code(django_capture_on_commit_callbacks)
    wrong = "000000" if code != "000000" else "111111"
    for _attempt in range(services.CODE_MAX_ATTEMPTS):
        with pytest.raises(ValidationFailed) as exc:
            register(wrong)
        assert "sms_code" in exc.value.field_errors
    with pytest.raises(ValidationFailed):
        register(code)  # locked even with the right code now
    assert OneTimeCode.objects.get().attempts == services.CODE_MAX_ATTEMPTS


def test_an_expired_code_is_refused(django_capture_on_commit_callbacks):
    code = send_code(django_capture_on_commit_callbacks)
    OneTimeCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ValidationFailed) as exc:
        register(code)
    assert "sms_code" in exc.value.field_errors


def test_resend_has_a_cooldown_and_a_per_mobile_limit(django_capture_on_commit_callbacks):
    send_code(django_capture_on_commit_callbacks)
    with pytest.raises(ValidationFailed) as exc:
        services.send_registration_code(mobile=MOBILE, ip="10.0.0.1")
    assert exc.value.code == "code_cooldown"
    for _i in range(services.CODE_SENDS_PER_MOBILE_PER_HOUR):
        OneTimeCode.objects.update(created_at=timezone.now() - timedelta(minutes=2))
        try:
            services.send_registration_code(mobile=MOBILE, ip="10.0.0.2")
        except ValidationFailed as error:
            assert error.code == "rate_limited"
            break
    else:
        pytest.fail("the per-mobile limit never applied")


def test_invalid_uscc_and_bad_fields_are_field_errors_and_nothing_is_created(
    django_capture_on_commit_callbacks,
):
    code = send_code(django_capture_on_commit_callbacks)
    with pytest.raises(ValidationFailed) as exc:
        register(code, uscc=USCC[:-1] + ("0" if USCC[-1] != "0" else "1"), industry="Z", password="short")
    assert {"uscc", "industry", "password"} <= set(exc.value.field_errors)
    assert not EnterpriseProfile.objects.exists()
    assert OneTimeCode.objects.get().attempts == 0


def test_a_second_sign_up_for_the_same_code_is_refused_with_the_admin_to_contact(
    django_capture_on_commit_callbacks,
):
    register(send_code(django_capture_on_commit_callbacks))
    OneTimeCode.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    code = send_code(django_capture_on_commit_callbacks, mobile="13912345679")
    with pytest.raises(Conflict) as exc:
        register(code, username="second", mobile="13912345679")
    assert exc.value.code == "uscc_taken"
    assert "张*" in str(exc.value.message) and "139****5678" in str(exc.value.message)


def test_registration_page_sends_a_code_after_the_challenge_and_registers(client, settings):
    url = reverse("enterprises:register")
    page = client.get(url)
    assert page.status_code == 200
    # a wrong answer sends nothing
    client.post(url, {"action": "send_code", "mobile": MOBILE, "challenge": "-1"})
    assert not OneTimeCode.objects.exists()
    # the right answer (read from the session's stored hash by trying the small range)
    session = client.session
    stored = session[antibot.SESSION_KEY]["h"]
    answer = next(str(n) for n in range(0, 30) if antibot._digest(str(n)) == stored)
    response = client.post(url, {"action": "send_code", "mobile": MOBILE, "challenge": answer})
    assert response.status_code == 200
    assert OneTimeCode.objects.filter(mobile=MOBILE).exists()


def test_registration_page_shows_field_errors_for_a_duplicate_code(client, enterprise_admin):
    from dfsp.accounts.selectors import organisation_of

    taken = organisation_of(enterprise_admin).uscc
    response = client.post(
        reverse("enterprises:register"),
        {
            "action": "register",
            "name": "重复企业",
            "uscc": taken,
            "legal_representative": "李四",
            "region_code": "230602",
            "industry": "C",
            "scale": "small",
            "full_name": "李四",
            "username": "dup",
            "mobile": MOBILE,
            "sms_code": "123456",
            "password1": "Str0ng#Passw0rd",
            "password2": "Str0ng#Passw0rd",
        },
    )
    assert response.status_code == 200
    assert "uscc" in response.context["form"].errors


def test_registration_page_registers_with_the_sms_code(client, django_capture_on_commit_callbacks):
    code = send_code(django_capture_on_commit_callbacks)
    response = client.post(
        reverse("enterprises:register"),
        {
            "action": "register",
            "name": "大庆市新材料测试有限公司",
            "uscc": USCC,
            "legal_representative": "张三",
            "region_code": "230602",
            "industry": "C",
            "scale": "small",
            "full_name": "张三",
            "username": "pageadmin",
            "mobile": MOBILE,
            "sms_code": code,
            "password1": "Str0ng#Passw0rd",
            "password2": "Str0ng#Passw0rd",
        },
    )
    assert response.status_code == 302
    assert EnterpriseProfile.objects.filter(organisation__uscc=USCC).exists()
