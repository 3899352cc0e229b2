"""Shared test fixtures: personas and a login helper that satisfies the session-security rules."""

import time

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from dfsp.accounts.middleware import LAST_ACTIVITY, LOGIN_AT
from dfsp.accounts.models import UserSession


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


@pytest.fixture
def enterprise_admin(db):
    from dfsp.accounts.tests.factories import member

    return member("enterprise_admin", username="ent_admin_t")


@pytest.fixture
def other_enterprise_admin(db):
    from dfsp.accounts.tests.factories import member

    return member("enterprise_admin", username="other_ent_admin_t")


@pytest.fixture
def loan_officer(db):
    from dfsp.accounts.tests.factories import member

    return member("institution_user", username="loan_officer_t")


@pytest.fixture
def institution_admin(db):
    from dfsp.accounts.tests.factories import member

    return member("institution_admin", username="inst_admin_t")


@pytest.fixture
def operator_user(db):
    from dfsp.accounts.tests.factories import member

    return member("operator", username="operator_t")


@pytest.fixture
def regulator(db):
    from dfsp.accounts.tests.factories import member

    return member("regulator", username="regulator_t")


@pytest.fixture
def system_admin(db):
    from dfsp.accounts.tests.factories import member

    return member("system_admin", username="sysadmin_t")


@pytest.fixture
def security_admin(db):
    from dfsp.accounts.tests.factories import member

    return member("security_admin", username="secadmin_t")


@pytest.fixture
def audit_admin(db):
    from dfsp.accounts.tests.factories import member

    return member("audit_admin", username="auditor_t")
