"""Login security rules (等保 level 3), each checked through the public pages with controlled time."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from dfsp.accounts.models import User, UserSession
from dfsp.accounts.tests.factories import PASSWORD, UserFactory, member

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")


def post_login(client, username, password=PASSWORD, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def current_code(user) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


def test_enterprise_user_logs_in_with_username_or_mobile(client):
    # given
    user = member("enterprise_user", mobile="13812345678")
    # when
    by_name = post_login(client, user.username)
    client.post(reverse("accounts:logout"))
    by_mobile = post_login(client, "13812345678")
    # then
    assert by_name.status_code == 302 and by_name.url == reverse("portal:home")
    assert by_mobile.status_code == 302
    assert UserSession.objects.filter(user=user).count() == 1


def test_wrong_password_gives_the_same_message_as_unknown_account(client):
    member("enterprise_user", username="known")
    wrong = post_login(client, "known", "Wrong#Pass123")
    unknown = post_login(client, "nobody", "Wrong#Pass123")
    assert wrong.status_code == unknown.status_code == 200
    assert wrong.context["error_message"] == unknown.context["error_message"] != ""


def test_session_id_changes_at_login(client):
    user = member("enterprise_user")
    client.get(LOGIN)
    before = client.cookies["dfsp_session"].value
    post_login(client, user.username)
    assert client.cookies["dfsp_session"].value != before


def test_five_failures_lock_the_account_for_fifteen_minutes_without_revealing_it(client):
    user = member("enterprise_user")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for attempt in range(5):
            post_login(client, user.username, "Wrong#Pass123", ip=f"10.0.1.{attempt}")
        locked = post_login(client, user.username, ip="10.0.2.1")
        locked_unknown = None
        for attempt in range(5):
            post_login(client, "ghost", "Wrong#Pass123", ip=f"10.0.3.{attempt}")
        locked_unknown = post_login(client, "ghost", "Wrong#Pass123", ip="10.0.4.1")
        assert locked.status_code == 429
        assert locked_unknown.status_code == 429
        assert locked.context["error_message"] == locked_unknown.context["error_message"] != ""
        clock.shift(timedelta(minutes=14))
        assert post_login(client, user.username, ip="10.0.2.2").status_code == 429
        clock.shift(timedelta(minutes=2))
        assert post_login(client, user.username, ip="10.0.2.3").status_code == 302


def test_five_failures_from_one_address_lock_that_address(client):
    users = [member("enterprise_user") for _ in range(6)]
    for user in users[:5]:
        post_login(client, user.username, "Wrong#Pass123", ip="10.9.9.9")
    assert post_login(client, users[5].username, ip="10.9.9.9").status_code == 429
    assert post_login(client, users[5].username, ip="10.9.9.10").status_code == 302


def test_lockout_counts_username_and_mobile_as_one_account(client):
    user = member("enterprise_user", mobile="13900000001")
    for attempt in range(3):
        post_login(client, user.username, "Wrong#Pass123", ip=f"10.0.5.{attempt}")
    for attempt in range(2):
        post_login(client, "13900000001", "Wrong#Pass123", ip=f"10.0.6.{attempt}")
    assert post_login(client, user.username, ip="10.0.7.1").status_code == 429


def test_a_success_resets_the_consecutive_failure_count(client):
    user = member("enterprise_user")
    for attempt in range(4):
        post_login(client, user.username, "Wrong#Pass123", ip=f"10.1.0.{attempt}")
    assert post_login(client, user.username, ip="10.1.1.1").status_code == 302
    client.post(reverse("accounts:logout"))
    for attempt in range(4):
        post_login(client, user.username, "Wrong#Pass123", ip=f"10.1.2.{attempt}")
    assert post_login(client, user.username, ip="10.1.3.1").status_code == 302


def test_operator_must_pass_totp_before_being_logged_in(client):
    operator = member("operator")
    TOTPDevice.objects.create(user=operator, name="phone", confirmed=True)
    response = post_login(client, operator.username)
    assert response.url == reverse("accounts:otp_verify")
    assert client.get(reverse("accounts:profile")).status_code == 302  # not logged in yet
    with time_machine.travel(timezone.now(), tick=False) as clock:
        wrong = client.post(reverse("accounts:otp_verify"), {"token": "000000"})
        assert wrong.status_code == 200 and wrong.context["form"].errors
        clock.shift(timedelta(seconds=2))  # django-otp throttles a device briefly after a failure
        right = client.post(reverse("accounts:otp_verify"), {"token": current_code(operator)})
    assert right.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_wrong_totp_codes_count_towards_the_lockout(client):
    officer = member("institution_user")
    TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    post_login(client, officer.username)
    statuses = [
        client.post(reverse("accounts:otp_verify"), {"token": "000000"}).status_code for _ in range(5)
    ]
    assert statuses[-1] == 429
    assert post_login(client, officer.username, ip="10.2.0.1").status_code == 429


def test_privileged_user_without_device_enrols_one_at_login(client):
    regulator = member("regulator")
    assert post_login(client, regulator.username).url == reverse("accounts:otp_setup")
    page = client.get(reverse("accounts:otp_setup"))
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=regulator, confirmed=False)
    code = f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"
    assert client.post(reverse("accounts:otp_setup"), {"token": code}).status_code == 302
    assert TOTPDevice.objects.get(user=regulator).confirmed


def test_enterprise_user_needs_no_second_factor(client):
    user = member("enterprise_admin")
    assert post_login(client, user.username).url == reverse("portal:home")


def test_password_rules_are_enforced_on_change(client, login):
    user = member("enterprise_user")
    login(user)
    url = reverse("accounts:password_change")
    for weak in ["Ab1#", "alllowercase1", "Password123!"[:0] + "password", "Qwerty123"]:
        response = client.post(url, {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak})
        assert response.status_code == 200, weak
        assert response.context["form"].errors, weak
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_the_last_five_passwords_cannot_be_reused(client, login):
    user = member("enterprise_user")
    login(user)
    url = reverse("accounts:password_change")
    passwords = [PASSWORD] + [f"Fresh#Pass{n}xyz" for n in range(5)]
    for old, new in zip(passwords, passwords[1:], strict=False):
        response = client.post(url, {"old_password": old, "new_password1": new, "new_password2": new})
        assert response.status_code == 302, response.context and response.context["form"].errors
    current = passwords[-1]
    for reused in passwords[-5:]:
        response = client.post(
            url, {"old_password": current, "new_password1": reused, "new_password2": reused}
        )
        assert response.status_code == 200, reused
    oldest = passwords[0]
    response = client.post(url, {"old_password": current, "new_password1": oldest, "new_password2": oldest})
    assert response.status_code == 302


def test_an_old_password_forces_a_change(client, login, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    user = member("enterprise_user", password_changed_at=timezone.now() - timedelta(days=91))
    login(user)
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302 and response.url == reverse("accounts:password_change")


def test_seeded_admin_must_change_password_at_first_login(client):
    admin = member("system_admin", must_change_password=True)
    TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    post_login(client, admin.username)
    response = client.post(reverse("accounts:otp_verify"), {"token": current_code(admin)})
    assert response.url == reverse("accounts:password_change")
    assert client.get(reverse("accounts:users")).url == reverse("accounts:password_change")
    client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Brand#New2026x", "new_password2": "Brand#New2026x"},
    )
    assert client.get(reverse("accounts:users")).status_code == 200


def test_idle_session_ends_after_thirty_minutes(client):
    user = member("enterprise_user")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        post_login(client, user.username)
        clock.shift(timedelta(minutes=29))
        assert client.get(reverse("accounts:profile")).status_code == 200
        clock.shift(timedelta(minutes=29))
        assert client.get(reverse("accounts:profile")).status_code == 200
        clock.shift(timedelta(minutes=31))
        assert client.get(reverse("accounts:profile")).status_code == 302


def test_session_ends_after_eight_hours_even_when_active(client):
    user = member("enterprise_user")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        post_login(client, user.username)
        for _ in range(16):
            clock.shift(timedelta(minutes=29))
            client.get(reverse("accounts:profile"))
        clock.shift(timedelta(minutes=20))
        assert client.get(reverse("accounts:profile")).status_code == 302


def test_logout_ends_every_session_of_the_user(client):
    from django.test import Client

    user = member("enterprise_user")
    other_device = Client()
    post_login(other_device, user.username, ip="10.3.0.1")
    post_login(client, user.username, ip="10.3.0.2")
    client.post(reverse("accounts:logout"))
    assert other_device.get(reverse("accounts:profile")).status_code == 302
    assert not UserSession.objects.filter(user=user).exists()


def test_disabling_an_account_ends_its_sessions(client, system_admin, login):
    from django.test import Client

    victim = member("enterprise_user")
    victim_client = Client()
    post_login(victim_client, victim.username, ip="10.4.0.1")
    login(system_admin)
    client.post(reverse("accounts:user_disable", args=[victim.pk]), {"reason": "离职"})
    assert victim_client.get(reverse("accounts:profile")).status_code == 302
    assert post_login(victim_client, victim.username, ip="10.4.0.2").status_code == 200
    assert not UserSession.objects.filter(user=victim).exists()


def test_dormant_accounts_are_disabled_by_the_scheduled_job(settings):
    from dfsp.accounts.tasks import disable_dormant_accounts
    from dfsp.core.models import JobRun

    settings.DORMANT_ACCOUNT_DAYS = 90
    active = UserFactory(last_login=timezone.now() - timedelta(days=10))
    dormant = UserFactory(last_login=timezone.now() - timedelta(days=91))
    never = UserFactory()
    User.objects.filter(pk=never.pk).update(date_joined=timezone.now() - timedelta(days=100))
    summary = disable_dormant_accounts.delay().get()
    assert summary == {"disabled": 2}
    assert User.objects.get(pk=active.pk).is_active
    assert not User.objects.get(pk=dormant.pk).is_active
    assert not User.objects.get(pk=never.pk).is_active
    assert JobRun.objects.get(job="accounts.disable_dormant_accounts").outcome == "succeeded"


def test_a_user_replaces_their_own_authenticator_with_both_factors(client, login):
    officer = member("institution_user")
    login(officer)
    profile = reverse("accounts:profile")
    wrong = client.post(profile, {"action": "reenrol", "password": PASSWORD, "token": "000000"})
    assert wrong.status_code == 200 and wrong.context["reenrol_form"].errors
    assert TOTPDevice.objects.filter(user=officer).exists()
    with time_machine.travel(timezone.now() + timedelta(seconds=5), tick=False):
        right = client.post(
            profile, {"action": "reenrol", "password": PASSWORD, "token": current_code(officer)}
        )
    assert right.status_code == 302 and right.url == LOGIN
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert post_login(client, officer.username).url == reverse("accounts:otp_setup")


@pytest.mark.parametrize(
    "role",
    [
        "operator",
        "regulator",
        "institution_user",
        "institution_admin",
        "system_admin",
        "security_admin",
        "audit_admin",
    ],
)
def test_every_role_listed_for_a_second_factor_cannot_log_in_with_the_password_alone(client, role):
    user = member(role)
    response = post_login(client, user.username)
    assert response.url == reverse("accounts:otp_setup")
    assert client.get(reverse("accounts:profile")).status_code == 302
    assert not UserSession.objects.filter(user=user).exists()


@pytest.mark.parametrize("role", ["operator", "audit_admin"])
def test_a_privileged_session_without_a_verified_second_factor_is_ended(client, role):
    # However such a session came about, the middleware refuses it and logs the user out.
    user = member(role)
    client.force_login(user)
    session = client.session
    session["dfsp_login_at"] = session["dfsp_last_activity"] = int(timezone.now().timestamp())
    session.save()
    UserSession.objects.create(user=user, session_key=session.session_key)
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    assert client.get(reverse("accounts:profile")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_an_address_lockout_gives_the_same_message_and_lifts_after_fifteen_minutes(client):
    users = [member("enterprise_user") for _ in range(6)]
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for user in users[:5]:
            post_login(client, user.username, "Wrong#Pass123", ip="10.8.8.8")
        by_address = post_login(client, users[5].username, ip="10.8.8.8")
        for attempt in range(5):
            post_login(client, users[0].username, "Wrong#Pass123", ip=f"10.8.9.{attempt}")
        by_account = post_login(client, users[0].username, ip="10.8.10.1")
        assert by_address.status_code == by_account.status_code == 429
        assert by_address.context["error_message"] == by_account.context["error_message"]
        clock.shift(timedelta(minutes=16))
        assert post_login(client, users[5].username, ip="10.8.8.8").status_code == 302


def test_a_disabled_account_is_refused_with_the_wrong_password_message(client):
    user = member("enterprise_user", username="gone", is_active=False)
    disabled = post_login(client, user.username)
    wrong = post_login(client, "gone", "Wrong#Pass123")
    assert disabled.status_code == wrong.status_code == 200
    assert disabled.context["error_message"] == wrong.context["error_message"] != ""


def test_the_maximum_password_age_is_configurable(client, login, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 30
    recent = member("enterprise_user", password_changed_at=timezone.now() - timedelta(days=29))
    login(recent)
    assert client.get(reverse("accounts:profile")).status_code == 200
    client.post(reverse("accounts:logout"))
    old = member("enterprise_user", password_changed_at=timezone.now() - timedelta(days=31))
    login(old)
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302 and response.url == reverse("accounts:password_change")


def test_changing_the_password_keeps_this_session_and_ends_the_others(client):
    from django.test import Client

    user = member("enterprise_user")
    other_device = Client()
    post_login(other_device, user.username, ip="10.5.0.1")
    post_login(client, user.username, ip="10.5.0.2")
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Brand#New2026x", "new_password2": "Brand#New2026x"},
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert other_device.get(reverse("accounts:profile")).status_code == 302
    assert UserSession.objects.filter(user=user).count() == 1


def test_an_administrators_password_reset_ends_sessions_and_forces_a_change(client, system_admin):
    from django.test import Client

    from dfsp.accounts import services

    victim = member("enterprise_user")
    victim_client = Client()
    post_login(victim_client, victim.username, ip="10.6.0.1")
    temporary = services.reset_password(actor=system_admin, user=victim)
    assert victim_client.get(reverse("accounts:profile")).status_code == 302
    response = post_login(victim_client, victim.username, temporary, ip="10.6.0.2")
    assert response.url == reverse("accounts:password_change")
    assert victim_client.get(reverse("accounts:profile")).url == reverse("accounts:password_change")


def test_login_success_and_failure_are_audited_with_the_request_facts(client):
    from dfsp.audit.models import AuditEvent

    user = member("enterprise_user")
    failed = client.post(
        LOGIN,
        {"username": user.username, "password": "Wrong#Pass123"},
        REMOTE_ADDR="10.7.0.1",
        HTTP_USER_AGENT="pytest-browser",
    )
    succeeded = client.post(
        LOGIN,
        {"username": user.username, "password": PASSWORD},
        REMOTE_ADDR="10.7.0.2",
        HTTP_USER_AGENT="pytest-browser",
    )
    failure = AuditEvent.objects.get(event_type="auth.login.failure")
    success = AuditEvent.objects.get(event_type="auth.login.success")
    assert (failure.outcome, failure.ip, failure.request_id) == (
        "failure",
        "10.7.0.1",
        failed["X-Request-ID"],
    )
    assert (success.actor_id, success.ip, success.user_agent) == (user.pk, "10.7.0.2", "pytest-browser")
    assert success.request_id == succeeded["X-Request-ID"]
    assert PASSWORD not in str(failure.details) + str(success.details)
