"""Shared test fixtures: personas and a login helper that satisfies the session-security rules."""

import time

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from dfsp.accounts.middleware import LAST_ACTIVITY, LOGIN_AT
from dfsp.accounts.models import UserSession

# One Playwright instance per test process: every browser test, wherever it lives, shares it.
pytest_plugins = ["tests.browser.fixtures"]


def log_in(client, user):
    """Log ``user`` into the test ``client`` as if they had passed password and TOTP steps."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    now = int(time.time())
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[LOGIN_AT] = now
    session[LAST_ACTIVITY] = now
    session.save()
    UserSession.objects.update_or_create(session_key=session.session_key, defaults={"user": user})
    return client


@pytest.fixture
def login(client):
    def _login(user):
        return log_in(client, user)

    return _login


# --- Personas -----------------------------------------------------------------------------------
# An enterprise admin, a second enterprise that must never see the first one's data, a loan
# officer, an institution admin, an operator, a regulator and the three separated admins.


def _persona(role: str, username: str):
    @pytest.fixture
    def persona(db):
        from dfsp.accounts.tests.factories import member

        return member(role, username=username)

    return persona


enterprise_admin = _persona("enterprise_admin", "ent_admin_t")
other_enterprise_admin = _persona("enterprise_admin", "other_ent_admin_t")
loan_officer = _persona("institution_user", "loan_officer_t")
institution_admin = _persona("institution_admin", "inst_admin_t")
operator_user = _persona("operator", "operator_t")
regulator = _persona("regulator", "regulator_t")
system_admin = _persona("system_admin", "sysadmin_t")
security_admin = _persona("security_admin", "secadmin_t")
audit_admin = _persona("audit_admin", "auditor_t")
