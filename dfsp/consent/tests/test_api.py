import json
import time
import uuid

import pytest
from django.apps import apps

from dfsp.accounts import api_keys
from dfsp.consent import services, signatures
from dfsp.consent.models import CallLog, GrantRequest
from dfsp.consent.tests.conftest import stub_profile

AuditEvent = apps.get_model("audit", "AuditEvent")

BASE = "/api/v1/consent"


@pytest.fixture(autouse=True)
def _stub_datahub(monkeypatch, standards):
    monkeypatch.setattr("dfsp.datahub.selectors.get_credit_profile", stub_profile)


@pytest.fixture
def key(bank_admin):
    api_key, raw = api_keys.create_api_key(actor=bank_admin, name="信贷系统")
    secret = bytes.fromhex(services.issue_signing_secret(actor=bank_admin, api_key=api_key))
    return raw, secret


def call(
    client, key, method, path, payload=None, *, timestamp=None, nonce=None, tamper=False, signature=None
):
    raw, secret = key
    body = json.dumps(payload).encode() if payload is not None else b""
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    nonce = nonce or uuid.uuid4().hex
    signed = signature or signatures.sign(secret, method, path, timestamp, nonce, body)
    if tamper:
        body = json.dumps({**payload, "purpose_id": "D-OTHER"}).encode()
    headers = {
        "Authorization": f"Bearer {raw}",
        "X-DFSP-Timestamp": timestamp,
        "X-DFSP-Nonce": nonce,
        "X-DFSP-Signature": signed,
    }
    if method == "GET":
        return client.get(path, headers=headers)
    return client.post(path, body, content_type="application/json", headers=headers)


QUERY = {"uscc": None, "scopes": ["registration", "tax"], "purpose_type": "demand", "purpose_id": "D-1"}


def test_signed_profile_query_under_a_grant(client, key, sign, enterprise):
    grant = sign(query_limit=5)
    response = call(client, key, "POST", f"{BASE}/profile-queries", {**QUERY, "uscc": enterprise.uscc})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["grant_id"] == grant.pk and [s["scope"] for s in body["sections"]] == ["registration", "tax"]
    assert body["sections"][0]["records"][0]["values"]["legal_rep_name"] == "王**"
    log = CallLog.objects.get()
    assert log.channel == "api" and log.api_key_prefix == key[0].split("_")[1] and log.username == ""
    assert log.request_id == response["X-Request-ID"] != ""


def test_refused_query_is_403_with_reason_and_logged(client, key, sign, enterprise, enterprise_admin):
    grant = sign()
    services.withdraw_grant(actor=enterprise_admin, grant_id=grant.pk)
    response = call(client, key, "POST", f"{BASE}/profile-queries", {**QUERY, "uscc": enterprise.uscc})
    assert response.status_code == 403 and response.json()["code"] == "consent_grant_withdrawn"
    assert "sections" not in response.json() and CallLog.objects.get().allowed is False


@pytest.mark.parametrize(
    "problem, code",
    [
        ("stale", "signature_stale_timestamp"),
        ("future", "signature_stale_timestamp"),
        ("tampered", "signature_invalid"),
        ("forged", "signature_invalid"),
        ("missing", "signature_missing"),
    ],
)
def test_bad_signatures_are_refused(problem, code, client, key, sign, enterprise):
    sign()
    payload = {**QUERY, "uscc": enterprise.uscc}
    kwargs = {
        "stale": {"timestamp": int(time.time()) - 310},
        "future": {"timestamp": int(time.time()) + 310},
        "tampered": {"tamper": True},
        "forged": {"signature": "0" * 64},
        "missing": {"signature": " "},
    }[problem]
    response = call(client, key, "POST", f"{BASE}/profile-queries", payload, **kwargs)
    assert response.status_code == 403 and response.json()["code"] == code
    assert not CallLog.objects.exists()
    assert AuditEvent.objects.filter(event_type="consent.api.signature_refused", outcome="denied").exists()


def test_replayed_nonce_is_refused(client, key, sign, enterprise):
    sign()
    payload = {**QUERY, "uscc": enterprise.uscc}
    assert (
        call(client, key, "POST", f"{BASE}/profile-queries", payload, nonce="nonce-12345678").status_code
        == 200
    )
    replay = call(client, key, "POST", f"{BASE}/profile-queries", payload, nonce="nonce-12345678")
    assert replay.status_code == 403 and replay.json()["code"] == "signature_replayed"


def test_key_without_signing_secret_is_refused(client, bank_admin, sign, enterprise):
    _api_key, raw = api_keys.create_api_key(actor=bank_admin, name="无签名密钥")
    response = call(
        client, (raw, b"x" * 32), "POST", f"{BASE}/profile-queries", {**QUERY, "uscc": enterprise.uscc}
    )
    assert response.status_code == 403 and response.json()["code"] == "signature_no_secret"


def test_request_grant_and_list_own_grants_and_logs(client, key, sign, enterprise, other_enterprise_admin):
    response = call(
        client,
        key,
        "POST",
        f"{BASE}/requests",
        {
            "uscc": enterprise.uscc,
            "scope_codes": ["tax"],
            "purpose_type": "demand",
            "purpose_id": "D-9",
            "reason": "系统发起授权申请",
        },
    )
    assert response.status_code == 201 and GrantRequest.objects.get().requested_by is None
    escalation = call(
        client,
        key,
        "POST",
        f"{BASE}/requests",
        {
            "uscc": enterprise.uscc,
            "scope_codes": ["all"],
            "purpose_type": "demand",
            "purpose_id": "D-9",
            "reason": "x",
        },
    )
    assert escalation.status_code == 400
    grant = sign()
    call(client, key, "POST", f"{BASE}/profile-queries", {**QUERY, "uscc": enterprise.uscc})
    grants = call(client, key, "GET", f"{BASE}/grants").json()
    assert [g["id"] for g in grants["items"]] == [grant.pk]
    logs = call(client, key, "GET", f"{BASE}/call-logs").json()
    assert logs["count"] == 1 and logs["items"][0]["grant_id"] == grant.pk


def test_other_institutions_see_nothing(client, sign, enterprise, other_bank_officer, login):
    sign()
    login(other_bank_officer)  # session caller: CSRF instead of signatures
    assert client.get(f"{BASE}/grants").json()["count"] == 0
    assert client.get(f"{BASE}/call-logs").json()["count"] == 0


def test_enterprise_session_cannot_use_the_institution_api(client, login, enterprise_admin):
    login(enterprise_admin)
    assert client.get(f"{BASE}/grants").status_code == 403


def test_nonces_outlive_the_timestamp_window(client, key, sign, enterprise):
    """A request stamped up to 5 minutes ahead stays replayable for 10: its nonce must outlive that."""
    from datetime import timedelta
    from unittest import mock

    from django.utils import timezone

    from dfsp.consent import tasks
    from dfsp.consent.models import SeenNonce

    sign()
    payload = {**QUERY, "uscc": enterprise.uscc}
    ahead = int(time.time()) + signatures.WINDOW_SECONDS - 5
    first = call(
        client, key, "POST", f"{BASE}/profile-queries", payload, timestamp=ahead, nonce="early-nonce-1"
    )
    assert first.status_code == 200
    assert timedelta(seconds=2 * signatures.WINDOW_SECONDS) < tasks.NONCE_WINDOW
    later = timezone.now() + timedelta(seconds=2 * signatures.WINDOW_SECONDS - 20)
    with mock.patch("django.utils.timezone.now", return_value=later):
        tasks.purge_nonces()
    assert SeenNonce.objects.filter(nonce="early-nonce-1").exists()
    with mock.patch("time.time", return_value=ahead + signatures.WINDOW_SECONDS - 20):
        replay = call(
            client, key, "POST", f"{BASE}/profile-queries", payload, timestamp=ahead, nonce="early-nonce-1"
        )
    assert replay.status_code == 403 and replay.json()["code"] == "signature_replayed"
