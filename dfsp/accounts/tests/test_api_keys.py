"""API keys: issuing, storing only a keyed hash, verifying, revoking, who may do what, the pages."""

import re

import pytest
from django.urls import reverse

from dfsp.accounts import api_keys
from dfsp.accounts.models import ApiKey
from dfsp.accounts.roles import Role
from dfsp.accounts.tests.factories import OrganisationFactory, member
from dfsp.audit.models import AuditEvent
from dfsp.core.api_auth import ApiCaller
from dfsp.core.crypto import sm3_hmac
from dfsp.core.errors import AccessDenied, Conflict, NotFound, ValidationFailed

pytestmark = pytest.mark.django_db

API_KEYS = "/api/v1/accounts/api-keys"
LIST = reverse("accounts:api_keys:list")
CREATE = reverse("accounts:api_keys:create")
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)


@pytest.fixture
def bank():
    return OrganisationFactory(institution=True)


@pytest.fixture
def bank_admin(bank):
    return member(Role.INSTITUTION_ADMIN, bank)


@pytest.fixture
def bank_officer(bank):
    return member(Role.INSTITUTION_USER, bank)


@pytest.fixture
def other_bank_admin():
    return member(Role.INSTITUTION_ADMIN)


@pytest.fixture
def enterprise_admin():
    return member(Role.ENTERPRISE_ADMIN)


@pytest.fixture
def issued(bank_admin):
    return api_keys.create_api_key(actor=bank_admin, name="Loan system")


# --- Issuing and storing ------------------------------------------------------------------------


def test_a_new_key_is_returned_once_and_only_its_keyed_hash_is_stored(issued, bank):
    key, plaintext = issued
    assert re.fullmatch(r"dfsp_[a-z0-9]{8}_[A-Za-z0-9_-]{43}", plaintext)
    scheme_and_prefix = f"dfsp_{key.prefix}_"
    assert plaintext.startswith(scheme_and_prefix)
    # the secret itself may contain "_", so cut it off by position rather than split on "_"
    secret = plaintext[len(scheme_and_prefix) :]
    stored = ApiKey.objects.get(pk=key.pk)
    assert stored.organisation == bank
    assert stored.key_hash == api_keys.hash_api_key(plaintext)
    assert len(stored.key_hash) == 64
    assert plaintext not in stored.key_hash and secret not in stored.key_hash
    # keyed: without the server secret the hash cannot be recomputed
    assert stored.key_hash != sm3_hmac(b"", plaintext.encode()).hex()


def test_issuing_a_key_is_audited(issued, bank_admin):
    key, _plaintext = issued
    event = AuditEvent.objects.get(event_type="accounts.api_key.created")
    assert event.actor_id == bank_admin.pk
    assert event.object_id == str(key.pk)
    assert event.details == {"name": "Loan system", "prefix": key.prefix}


@pytest.mark.parametrize("name", ["", "   ", "x" * 81])
def test_a_key_needs_a_sensible_name(bank_admin, name):
    with pytest.raises(ValidationFailed) as refused:
        api_keys.create_api_key(actor=bank_admin, name=name)
    assert "name" in refused.value.field_errors
    assert not ApiKey.objects.exists()


@pytest.mark.parametrize("persona", ["bank_officer", "enterprise_admin"])
def test_only_institution_admins_issue_keys(request, persona):
    with pytest.raises(AccessDenied):
        api_keys.create_api_key(actor=request.getfixturevalue(persona), name="x")


def test_an_api_key_cannot_issue_or_revoke_keys(issued):
    key, plaintext = issued
    caller = api_keys.caller_for_api_key(plaintext)
    assert caller.has_role(Role.INSTITUTION_ADMIN)
    with pytest.raises(AccessDenied):
        api_keys.create_api_key(actor=caller, name="minted by a key")
    with pytest.raises(AccessDenied):
        api_keys.revoke_api_key(actor=caller, key_id=key.pk)


# --- Verifying ----------------------------------------------------------------------------------


def test_the_right_key_authenticates_and_wrong_ones_do_not(issued):
    key, plaintext = issued
    assert api_keys.authenticate_api_key(plaintext) == key
    prefix, secret = plaintext.split("_")[1], plaintext.split("_", 2)[2]
    for wrong in (
        f"dfsp_{prefix}_{secret[:-1]}{'A' if secret[-1] != 'A' else 'B'}",
        f"dfsp_zzzzzzzz_{secret}",
        plaintext.upper(),
        plaintext + "x",
        "",
        "dfsp__",
    ):
        assert api_keys.authenticate_api_key(wrong) is None, wrong


def test_a_key_acts_as_its_institution(issued, bank):
    _key, plaintext = issued
    caller = api_keys.caller_for_api_key(plaintext)
    assert isinstance(caller, ApiCaller)
    assert caller.user is None
    assert caller.organisation == bank
    assert caller.roles == {"institution_user", "institution_admin"}
    assert caller.idempotency_owner == f"key:{plaintext.split('_')[1]}"


# --- Revoking -----------------------------------------------------------------------------------


def test_a_revoked_key_stops_working_and_the_revocation_is_audited(issued, bank_admin):
    key, plaintext = issued
    api_keys.revoke_api_key(actor=bank_admin, key_id=key.pk)
    key.refresh_from_db()
    assert key.revoked_by == bank_admin and key.revoked_at is not None
    assert api_keys.authenticate_api_key(plaintext) is None
    assert AuditEvent.objects.filter(event_type="accounts.api_key.revoked", object_id=str(key.pk)).exists()


def test_revoking_twice_is_a_conflict(issued, bank_admin):
    key, _plaintext = issued
    api_keys.revoke_api_key(actor=bank_admin, key_id=key.pk)
    with pytest.raises(Conflict):
        api_keys.revoke_api_key(actor=bank_admin, key_id=key.pk)


def test_another_institutions_key_looks_missing(issued, other_bank_admin):
    key, plaintext = issued
    with pytest.raises(NotFound):
        api_keys.revoke_api_key(actor=other_bank_admin, key_id=key.pk)
    assert api_keys.authenticate_api_key(plaintext) is not None


# --- Listing ------------------------------------------------------------------------------------


def test_institution_users_list_their_own_keys_only(issued, bank_officer, other_bank_admin):
    api_keys.create_api_key(actor=other_bank_admin, name="theirs")
    assert [key.name for key in api_keys.list_api_keys_for(bank_officer)] == ["Loan system"]


def test_enterprises_cannot_list_keys(enterprise_admin):
    with pytest.raises(AccessDenied):
        api_keys.list_api_keys_for(enterprise_admin)


# --- The API ------------------------------------------------------------------------------------


def test_an_enterprise_user_cannot_create_keys_through_the_api(client, login, enterprise_admin):
    login(enterprise_admin)
    response = client.post(API_KEYS, {"name": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not ApiKey.objects.exists()


def test_an_admin_creates_lists_and_revokes_keys_through_the_api(client, login, bank_admin):
    login(bank_admin)
    created = client.post(API_KEYS, {"name": "Loan system"}, content_type="application/json")
    assert created.status_code == 201
    body = created.json()
    assert body["key"].startswith(f"dfsp_{body['prefix']}_")
    assert body["is_active"] is True
    listed = client.get(API_KEYS).json()
    assert listed["count"] == 1
    assert "key" not in listed["items"][0]
    assert listed["items"][0]["created_by"] == str(bank_admin)
    revoked = client.post(f"{API_KEYS}/{body['id']}/revoke")
    assert revoked.status_code == 200
    assert revoked.json()["is_active"] is False
    again = client.post(f"{API_KEYS}/{body['id']}/revoke")
    assert again.status_code == 409
    assert again.json()["code"] == "api_key_already_revoked"


def test_another_institutions_key_is_404_through_the_api(client, login, issued, other_bank_admin):
    key, _plaintext = issued
    login(other_bank_admin)
    response = client.post(f"{API_KEYS}/{key.pk}/revoke")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


# --- The pages ----------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_enterprise_users_are_refused_the_page(client, login, enterprise_admin):
    login(enterprise_admin)
    assert client.get(LIST).status_code == 403
    assert client.post(CREATE, {"name": "x"}).status_code == 403


def test_an_officer_sees_the_keys_but_cannot_create_or_revoke(client, login, issued, bank_officer):
    key, _plaintext = issued
    login(bank_officer)
    page = client.get(LIST)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Loan system" in html and key.prefix in html
    assert CREATE not in html
    assert client.post(CREATE, {"name": "x"}).status_code == 403
    assert client.post(reverse("accounts:api_keys:revoke", args=[key.pk])).status_code == 403
    assert ApiKey.objects.get(pk=key.pk).is_active


def test_an_admin_creates_a_key_and_sees_it_exactly_once(client, login, bank_admin):
    login(bank_admin)
    # when
    response = client.post(CREATE, {"name": "Loan system"})
    # then
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    html = response.content.decode()
    plaintext = re.search(r"dfsp_[a-z0-9]{8}_[A-Za-z0-9_-]{43}", html).group(0)
    assert api_keys.authenticate_api_key(plaintext) is not None
    assert 'data-copy-target="#new-api-key"' in html
    assert 'id="new-api-key"' in html
    listing = client.get(LIST).content.decode()
    assert plaintext not in listing
    assert plaintext.split("_")[1] in listing


def test_an_invalid_name_redisplays_the_form_with_the_error(client, login, bank_admin):
    login(bank_admin)
    response = client.post(CREATE, {"name": ""})
    assert response.status_code == 400
    assert "is-invalid" in response.content.decode()
    assert not ApiKey.objects.exists()


def test_an_admin_revokes_a_key_after_confirming(client, login, issued, bank_admin):
    key, _plaintext = issued
    login(bank_admin)
    html = client.get(LIST).content.decode()
    revoke_url = reverse("accounts:api_keys:revoke", args=[key.pk])
    form = re.search(rf'<form[^>]*action="{re.escape(revoke_url)}"[^>]*>', html, re.S).group(0)
    assert "data-confirm=" in form
    # when
    response = client.post(revoke_url)
    # then
    assert response.status_code == 302
    assert not ApiKey.objects.get(pk=key.pk).is_active


def test_revoking_another_institutions_key_changes_nothing(client, login, issued, other_bank_admin):
    key, _plaintext = issued
    login(other_bank_admin)
    response = client.post(reverse("accounts:api_keys:revoke", args=[key.pk]))
    assert response.status_code == 302
    assert ApiKey.objects.get(pk=key.pk).is_active


def test_the_pages_have_no_inline_script_or_style(client, login, issued, bank_admin):
    login(bank_admin)
    for html in (client.get(LIST).content.decode(), client.post(CREATE, {"name": "second"}).content.decode()):
        assert not _INLINE_SCRIPT.search(html)
        assert " style=" not in html
        assert "<style" not in html


def test_every_page_declares_its_access():
    from dfsp.accounts import api_key_urls

    for pattern in api_key_urls.urlpatterns:
        assert getattr(pattern.callback, "dfsp_access", None), pattern.name
