"""Supervisors' profile reads and reveals leave a call log the enterprise sees; no logger, no data.

datahub may not import consent (it sits below it), so the call log is read through the app registry.
"""

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils.translation import gettext

from dfsp.accounts.tests.factories import OrganisationFactory, member
from dfsp.core.errors import AccessDenied
from dfsp.datahub import access
from dfsp.datahub.catalogue import ELEMENTS_BY_CODE
from dfsp.datahub.tests.test_views import CSV, GOOD

REVEAL = {"category": "registration", "record_key": "", "element": "legal_rep_mobile"}


@pytest.fixture
def loaded(source, ingest):
    return ingest(source, "reg.csv", CSV)


@pytest.fixture
def owner_admin(db):
    """The admin of the registered enterprise whose data the supervisors read."""
    return member("enterprise_admin", organisation=OrganisationFactory(uscc=GOOD), username="good_admin_t")


def call_logs():
    return apps.get_model("consent", "CallLog").objects.order_by("pk")


@pytest.fixture
def no_logger(monkeypatch):
    monkeypatch.setattr(access, "_LOGGER", [])


@pytest.mark.parametrize("persona", ["operator_user", "regulator"])
def test_opening_a_profile_is_logged_under_the_legal_basis(
    request, client, login, loaded, owner_admin, persona
):
    reader = request.getfixturevalue(persona)
    login(reader)
    assert client.get(reverse("datahub:profile_detail", args=[GOOD])).status_code == 200
    log = call_logs().get()
    assert log.allowed and log.reason == "legal_basis" and log.grant_id is None
    assert log.uscc == GOOD and log.enterprise_id == owner_admin.memberships.get().organisation_id
    assert log.username == reader.username and log.channel == "web"
    assert log.requested == ["registration"] and log.purpose_id == "datahub_profile"


def test_the_enterprise_sees_the_regulators_reads_under_who_used_my_data(
    client, login, loaded, owner_admin, regulator
):
    regulator.user_permissions.add(Permission.objects.get(codename="reveal_sensitive"))
    login(regulator)
    assert client.get(reverse("datahub:profile_detail", args=[GOOD])).status_code == 200
    response = client.post(reverse("datahub:profile_reveal", args=[GOOD]), REVEAL)
    assert response.status_code == 200 and "13804590001" in response.content.decode()
    reveal = call_logs().last()
    assert reveal.allowed and reveal.reason == "legal_basis"
    assert reveal.requested == ["legal_rep_mobile"] and reveal.purpose_id == "datahub_reveal"

    login(owner_admin)
    html = client.get(reverse("consent:usage")).content.decode()
    assert html.count("regulator_t") == 2
    assert ELEMENTS_BY_CODE["legal_rep_mobile"].name_zh in html  # the revealed element, by its name
    # the enterprise reads what the supervisor did, in words (labels of consent's call-log purposes)
    assert gettext("Credit profile viewed on the data platform") in html
    assert gettext("Masked value revealed on the data platform") in html


def test_a_refused_reveal_writes_no_call_log_and_shows_nothing(client, login, loaded, owner_admin, regulator):
    login(regulator)  # without the reveal permission
    assert client.post(reverse("datahub:profile_reveal", args=[GOOD]), REVEAL).status_code == 403
    assert not call_logs().exists()


def test_without_a_registered_logger_the_profile_is_refused(client, login, loaded, regulator, no_logger):
    login(regulator)
    response = client.get(reverse("datahub:profile_detail", args=[GOOD]))
    assert response.status_code == 403
    html = response.content.decode()
    assert "大庆华源石化新材料有限公司" not in html and "138****0001" not in html
    assert not call_logs().exists()


def test_without_a_registered_logger_nothing_is_revealed(client, login, loaded, regulator, no_logger):
    regulator.user_permissions.add(Permission.objects.get(codename="reveal_sensitive"))
    login(regulator)
    response = client.post(reverse("datahub:profile_reveal", args=[GOOD]), REVEAL)
    assert response.status_code == 403 and "13804590001" not in response.content.decode()
    events = apps.get_model("audit", "AuditEvent").objects.filter(event_type="datahub.sensitive.revealed")
    assert not events.exists()  # refused before the value was even looked up


def test_the_logger_refuses_and_logs_other_roles(loaded, owner_admin, loan_officer):
    with pytest.raises(AccessDenied) as refused:
        access.log_supervisor_read(actor=loan_officer, uscc=GOOD, elements=["registration"], purpose="x")
    assert refused.value.code == "consent_role_not_permitted"
    log = call_logs().get()
    assert not log.allowed and log.reason == "consent_role_not_permitted" and log.returned == []


def test_log_supervisor_read_fails_closed_without_a_logger(regulator, no_logger):
    with pytest.raises(AccessDenied) as refused:
        access.log_supervisor_read(actor=regulator, uscc=GOOD, elements=["registration"], purpose="x")
    assert refused.value.code == access.NO_LOGGER
