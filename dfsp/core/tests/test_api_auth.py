"""Who may call the API, and how: API keys (two headers), the session with CSRF, nobody anonymous."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from config.api import api
from dfsp.core.signals import access_denied

pytestmark = pytest.mark.django_db

ME = "/api/v1/accounts/me"
KEYS = "/api/v1/accounts/api-keys"


def _assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "errors", "request_id"}
    assert body["code"] == code
    assert body["message"]
    assert body["request_id"] == response["X-Request-ID"]
    return body


def test_a_bearer_api_key_acts_as_its_organisation(machine, bank_key, bank):
    # when
    response = machine.get(ME, headers={"Authorization": f"Bearer {bank_key}"})
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["kind"] == "api_key"
    assert body["user"] is None
    assert body["organisation"]["id"] == bank.pk
    assert body["api_key"]["prefix"] == bank_key.split("_")[1]
    assert body["roles"] == ["institution_admin", "institution_user"]


def test_the_x_api_key_header_works_too(machine, bank_key, bank):
    response = machine.get(ME, headers={"X-API-Key": bank_key})
    assert response.status_code == 200
    assert response.json()["organisation"]["id"] == bank.pk


def test_a_wrong_secret_is_refused_with_401(machine, bank_key):
    forged = bank_key[:-4] + ("AAAA" if not bank_key.endswith("AAAA") else "BBBB")
    response = machine.get(ME, headers={"Authorization": f"Bearer {forged}"})
    _assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("value", ["nonsense", "dfsp_short_x", "dfsp_abcdefgh_", "Bearer"])
def test_a_malformed_key_is_refused_with_401(machine, value):
    response = machine.get(ME, headers={"Authorization": f"Bearer {value}"})
    _assert_error(response, 401, "not_authenticated")


def test_a_wrong_key_does_not_fall_back_to_the_session(client, login, bank_officer):
    login(bank_officer)
    response = client.get(ME, headers={"X-API-Key": "dfsp_abcdefgh_" + "x" * 43})
    _assert_error(response, 401, "not_authenticated")


def test_a_revoked_key_is_refused_with_401(client, login, machine, bank_admin, bank_key):
    assert machine.get(ME, headers={"Authorization": f"Bearer {bank_key}"}).status_code == 200
    key_id = apps.get_model("accounts", "ApiKey").objects.get(prefix=bank_key.split("_")[1]).pk
    login(bank_admin)
    assert client.post(f"{KEYS}/{key_id}/revoke").status_code == 200
    # when
    response = machine.get(ME, headers={"Authorization": f"Bearer {bank_key}"})
    # then
    body = _assert_error(response, 401, "not_authenticated")
    assert bank_key not in response.content.decode()
    assert body["errors"] == []


def test_a_key_of_a_deactivated_organisation_is_refused(machine, bank_key, bank):
    bank.is_active = False
    bank.save(update_fields=["is_active"])
    _assert_error(machine.get(ME, headers={"X-API-Key": bank_key}), 401, "not_authenticated")


def test_an_anonymous_call_is_refused_with_401(machine):
    _assert_error(machine.get(ME), 401, "not_authenticated")
    _assert_error(
        machine.post(KEYS, {"name": "x"}, content_type="application/json"), 401, "not_authenticated"
    )


def test_a_signed_in_person_is_the_caller_with_their_roles(client, login, bank_officer, bank):
    login(bank_officer)
    body = client.get(ME).json()
    assert body["kind"] == "user"
    assert body["user"]["username"] == "bank_officer"
    assert body["organisation"]["id"] == bank.pk
    assert body["roles"] == ["institution_user"]
    assert body["api_key"] is None


def test_a_session_write_needs_the_csrf_token(client, login, bank_admin):
    browser = login(bank_admin)
    browser.handler.enforce_csrf_checks = True
    denied = []
    access_denied.connect(lambda **kw: denied.append(kw["reason"]), weak=False, dispatch_uid="t-csrf")
    try:
        refused = browser.post(KEYS, {"name": "x"}, content_type="application/json")
    finally:
        access_denied.disconnect(dispatch_uid="t-csrf")
    _assert_error(refused, 403, "permission_denied")
    assert "CSRF" in refused.json()["message"]
    assert denied
    # with the token from the cookie, as the Swagger page and htmx send it
    token = "t" * 32
    browser.cookies["dfsp_csrftoken"] = token
    accepted = browser.post(
        KEYS, {"name": "x"}, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert accepted.status_code == 201


def test_an_api_key_needs_no_csrf_token(machine, bank_key):
    response = machine.post(
        KEYS, {"name": "x"}, content_type="application/json", headers={"Authorization": f"Bearer {bank_key}"}
    )
    # refused for another reason: keys cannot mint keys; but not for CSRF
    body = _assert_error(response, 403, "permission_denied")
    assert "CSRF" not in body["message"]


def test_last_use_of_a_key_is_recorded_at_most_once_a_minute(machine, bank_key, time_machine):
    ApiKey = apps.get_model("accounts", "ApiKey")
    prefix = bank_key.split("_")[1]
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    machine.get(ME, headers={"X-API-Key": bank_key})
    assert ApiKey.objects.get(prefix=prefix).last_used_at == start
    time_machine.move_to(start + timedelta(seconds=30), tick=False)
    machine.get(ME, headers={"X-API-Key": bank_key})
    assert ApiKey.objects.get(prefix=prefix).last_used_at == start
    later = start + timedelta(seconds=61)
    time_machine.move_to(later, tick=False)
    machine.get(ME, headers={"X-API-Key": bank_key})
    assert ApiKey.objects.get(prefix=prefix).last_used_at == later


def test_every_operation_needs_auth():
    operations = [
        operation
        for bound_router in api._get_bound_routers()
        for path_view in bound_router.path_operations.values()
        for operation in path_view.operations
    ]
    assert operations
    for operation in operations:
        assert operation.auth_callbacks, f"{operation.view_func.__name__} is open to anonymous callers"


def test_every_api_url_declares_its_access():
    for pattern in api.urls[0]:
        assert hasattr(pattern.callback, "dfsp_access"), pattern.name


def test_the_request_id_is_in_the_header_and_in_error_bodies(machine, bank_key):
    ok = machine.get(ME, headers={"X-API-Key": bank_key})
    assert len(ok["X-Request-ID"]) >= 8
    refused = machine.get(ME, headers={"X-Request-ID": "client-chosen-id-123"})
    assert refused["X-Request-ID"] == "client-chosen-id-123"
    assert refused.json()["request_id"] == "client-chosen-id-123"
