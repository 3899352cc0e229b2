"""One error body for every 4xx/5xx of the API, and no 500 for anything a client sends."""

import pytest
from django.apps import apps

from dfsp.core.signals import access_denied

pytestmark = pytest.mark.django_db

KEYS = "/api/v1/accounts/api-keys"
ORGANISATIONS = "/api/v1/accounts/organisations"


@pytest.fixture
def admin_client(client, login, bank_admin):
    return login(bank_admin)


def _assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "errors", "request_id"}
    assert body["code"] == code
    assert isinstance(body["message"], str) and body["message"]
    assert body["request_id"] == response["X-Request-ID"]
    return body


def _key_count() -> int:
    return apps.get_model("accounts", "ApiKey").objects.count()


def test_malformed_json_is_400(admin_client):
    response = admin_client.post(KEYS, '{"name": "x",', content_type="application/json")
    _assert_error(response, 400, "malformed_json")


@pytest.mark.parametrize("body", ['{"name": NaN}', b'{"name": "\xff"}', "[" * 100_000])
def test_json_that_python_would_choke_on_is_400(admin_client, body):
    response = admin_client.post(KEYS, body, content_type="application/json")
    _assert_error(response, 400, "malformed_json")


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"]
)
def test_a_body_that_is_not_json_is_415(admin_client, content_type):
    response = admin_client.post(KEYS, '{"name": "x"}', content_type=content_type)
    _assert_error(response, 415, "unsupported_media_type")
    assert _key_count() == 0


def test_json_with_a_charset_parameter_is_accepted(admin_client):
    response = admin_client.post(KEYS, '{"name": "x"}', content_type="application/json; charset=utf-8")
    assert response.status_code == 201


def test_an_unknown_field_is_422_naming_the_field(admin_client):
    response = admin_client.post(KEYS, {"name": "x", "nmae": "typo"}, content_type="application/json")
    body = _assert_error(response, 422, "validation_error")
    assert [error["field"] for error in body["errors"]] == ["nmae"]
    assert _key_count() == 0


def test_a_missing_field_is_422_naming_the_field(admin_client):
    body = _assert_error(
        admin_client.post(KEYS, {}, content_type="application/json"), 422, "validation_error"
    )
    assert body["errors"][0]["field"] == "name"
    assert body["errors"][0]["message"]


def test_a_body_that_is_not_an_object_is_422(admin_client):
    response = admin_client.post(KEYS, "[1, 2]", content_type="application/json")
    _assert_error(response, 422, "validation_error")


def test_a_field_too_long_is_422(admin_client):
    response = admin_client.post(KEYS, {"name": "x" * 81}, content_type="application/json")
    body = _assert_error(response, 422, "validation_error")
    assert body["errors"][0]["field"] == "name"
    assert "80" in body["errors"][0]["message"]


@pytest.mark.parametrize("idempotent", [False, True])
def test_an_oversized_body_is_413(admin_client, settings, idempotent):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    headers = {"Idempotency-Key": "big-1"} if idempotent else {}
    response = admin_client.post(KEYS, {"name": "x" * 2000}, content_type="application/json", headers=headers)
    _assert_error(response, 413, "payload_too_large")


def test_an_unknown_path_under_the_api_is_a_json_404(admin_client):
    _assert_error(admin_client.get("/api/v1/no-such-thing"), 404, "not_found")
    _assert_error(admin_client.get("/api/v1/"), 404, "not_found")


def test_a_wrong_method_is_a_json_405(admin_client):
    response = admin_client.delete("/api/v1/accounts/me")
    _assert_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET"


@pytest.mark.parametrize("identifier", ["abc", "1.5", "99999999999999999999999", "-1"])
def test_a_bad_or_absurd_identifier_is_never_a_500(admin_client, identifier):
    response = admin_client.get(f"{ORGANISATIONS}/{identifier}")
    assert response.status_code in (404, 422)
    _assert_error(
        response, response.status_code, "not_found" if response.status_code == 404 else "validation_error"
    )


def test_another_organisations_id_looks_exactly_like_a_missing_one(admin_client, other_bank):
    other = _assert_error(admin_client.get(f"{ORGANISATIONS}/{other_bank.pk}"), 404, "not_found")
    missing = _assert_error(admin_client.get(f"{ORGANISATIONS}/{other_bank.pk + 1000}"), 404, "not_found")
    other.pop("request_id")
    missing.pop("request_id")
    assert other == missing


def test_permission_denied_is_403_and_is_signalled_for_the_audit_trail(client, login, enterprise_admin):
    login(enterprise_admin)
    reasons = []
    access_denied.connect(lambda **kw: reasons.append(kw["reason"]), weak=False, dispatch_uid="t-403")
    try:
        response = client.post(KEYS, {"name": "x"}, content_type="application/json")
    finally:
        access_denied.disconnect(dispatch_uid="t-403")
    _assert_error(response, 403, "permission_denied")
    assert reasons


def test_an_unexpected_error_is_a_500_without_details(admin_client, monkeypatch, caplog):
    def explode(actor):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr("dfsp.accounts.api_keys.organisations_for", explode)
    response = admin_client.get(ORGANISATIONS)
    body = _assert_error(response, 500, "internal_error")
    assert "secret internal detail" not in response.content.decode()
    assert body["errors"] == []
    assert any(record.exc_info for record in caplog.records if record.name == "dfsp.api")


def test_messages_default_to_chinese_and_follow_accept_language(machine):
    assert machine.get("/api/v1/accounts/me")["Content-Language"] == "zh-hans"
    assert machine.get("/api/v1/accounts/me", headers={"Accept-Language": "en"})["Content-Language"] == "en"
