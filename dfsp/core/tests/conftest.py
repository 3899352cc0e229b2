"""Personas for the API tests (auth, errors, pagination, idempotency, docs).

Made with the ORM through the app registry, and API keys through the API itself: core, tests
included, imports no other app (import-linter).
"""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

KEYS_URL = "/api/v1/accounts/api-keys"
ME_URL = "/api/v1/accounts/me"


def _organisation(kind: str, name: str, **fields):
    Organisation = apps.get_model("accounts", "Organisation")
    return Organisation.objects.create(kind=kind, name=name, region_code="230602", **fields)


def make_member(role: str, organisation, username: str):
    user = get_user_model().objects.create_user(
        username=username, password="Unused-Passw0rd!", full_name=username, password_changed_at=timezone.now()
    )
    apps.get_model("accounts", "Membership").objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def bank(db):
    return _organisation("institution", "大庆银行测试支行", institution_subtype="bank")


@pytest.fixture
def other_bank(db):
    return _organisation("institution", "另一家银行", institution_subtype="bank")


@pytest.fixture
def enterprise(db):
    return _organisation("enterprise", "大庆测试企业有限公司", uscc="91230602MA1B2C3D4E")


@pytest.fixture
def platform(db):
    return _organisation("operator", "平台运营中心")


@pytest.fixture
def government(db):
    return _organisation("government", "大庆市地方金融管理局")


@pytest.fixture
def bank_admin(bank):
    return make_member("institution_admin", bank, "bank_admin")


@pytest.fixture
def bank_officer(bank):
    return make_member("institution_user", bank, "bank_officer")


@pytest.fixture
def other_bank_admin(other_bank):
    return make_member("institution_admin", other_bank, "other_bank_admin")


@pytest.fixture
def enterprise_admin(enterprise):
    return make_member("enterprise_admin", enterprise, "enterprise_admin")


@pytest.fixture
def operator(platform):
    return make_member("operator", platform, "operator")


@pytest.fixture
def regulator(government):
    return make_member("regulator", government, "regulator")


@pytest.fixture
def issue_key(client, login):
    """Create an API key through the API as ``admin``; returns the plaintext key."""

    def issue(admin, name: str = "Loan system") -> str:
        login(admin)
        response = client.post(KEYS_URL, {"name": name}, content_type="application/json")
        assert response.status_code == 201, response.content
        client.logout()
        return response.json()["key"]

    return issue


@pytest.fixture
def bank_key(issue_key, bank_admin) -> str:
    return issue_key(bank_admin)


@pytest.fixture
def machine():
    """A client without cookies, as an institution's system is."""
    return Client()
