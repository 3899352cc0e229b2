"""The applications API for institutions' systems: own institution only, moves with error codes."""

import time
import uuid

import pytest
from django.apps import apps
from django.test import Client

from dfsp.accounts import api_keys
from dfsp.accounts.tests.factories import member
from dfsp.financing.models import Application
from dfsp.financing.tests.helpers import apply

pytestmark = pytest.mark.django_db
API = "/api/v1/financing/applications"


@pytest.fixture
def bank_key(bank_manager):
    _key, raw = api_keys.create_api_key(actor=bank_manager, name="信贷系统")
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def other_key(other_officer):
    from dfsp.accounts.selectors import organisation_of

    admin = member("institution_admin", organisation=organisation_of(other_officer), username="other_admin_t")
    _key, raw = api_keys.create_api_key(actor=admin, name="另一家")
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def signing_key(bank_manager):
    """An API key with its request-signing secret (credit-data reads are signed)."""
    from dfsp.consent import services as consent_services

    api_key, raw = api_keys.create_api_key(actor=bank_manager, name="信贷系统（签名）")
    secret = bytes.fromhex(consent_services.issue_signing_secret(actor=bank_manager, api_key=api_key))
    return raw, secret


def signed_get(path, key, *, nonce=None, tamper_path=None, unsigned=False):
    """GET ``path`` signed as consent's API expects (``tamper_path``: sign one path, send another)."""
    from dfsp.consent import signatures

    raw, secret = key
    headers = {"Authorization": f"Bearer {raw}"}
    if not unsigned:
        timestamp, nonce = str(int(time.time())), nonce or uuid.uuid4().hex
        headers |= {
            "X-DFSP-Timestamp": timestamp,
            "X-DFSP-Nonce": nonce,
            "X-DFSP-Signature": signatures.sign(secret, "GET", tamper_path or path, timestamp, nonce, b""),
        }
    return Client().get(path, headers=headers)


def credit_logs(application):
    return apps.get_model("consent", "CallLog").objects.filter(purpose_id=str(application.pk))


def post(path, body, headers):
    return Client().post(path, body, content_type="application/json", headers=headers)


def test_institution_lists_reads_and_moves_its_applications(certified_admin, product, bank_key):
    application = apply(certified_admin, product)
    listing = Client().get(API, headers=bank_key).json()
    assert listing["count"] == 1 and listing["items"][0]["id"] == application.pk
    one = Client().get(f"{API}/{application.pk}", headers=bank_key).json()
    assert one["status"] == "submitted" and one["current_step"] == "accept"

    accepted = post(f"{API}/{application.pk}/accept", {}, {**bank_key, "Idempotency-Key": "acc-1"})
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    again = post(f"{API}/{application.pk}/accept", {}, {**bank_key, "Idempotency-Key": "acc-1"})
    assert again.status_code == 200  # replayed, not a second move
    illegal = post(f"{API}/{application.pk}/accept", {}, bank_key)
    assert illegal.status_code == 409 and illegal.json()["code"] == "invalid_transition"

    approved = post(
        f"{API}/{application.pk}/approve",
        {"amount": "400000", "rate": "3.90", "term_months": 12, "conditions": "按月付息"},
        bank_key,
    )
    assert approved.status_code == 200
    assert approved.json()["approved_amount"] == "400000.00" and approved.json()["current_step"] == "disburse"


def test_reject_needs_a_reason_code(certified_admin, product, bank_key):
    application = apply(certified_admin, product)
    missing = post(f"{API}/{application.pk}/reject", {"text": "现金流不足"}, bank_key)
    assert missing.status_code == 400 and missing.json()["code"] == "reason_code_required"
    assert Application.objects.get().status == "submitted"
    done = post(
        f"{API}/{application.pk}/reject", {"reason_code": "cash_flow", "text": "现金流不足"}, bank_key
    )
    assert done.status_code == 200 and done.json()["rejection_reason"] == "cash_flow"


def test_return_for_information_and_out_of_range_approval(certified_admin, product, bank_key):
    application = apply(certified_admin, product)
    returned = post(f"{API}/{application.pk}/return", {"request_text": "补充近三月流水"}, bank_key)
    assert returned.status_code == 200 and returned.json()["returned_from"] == "submitted"
    too_much = post(
        f"{API}/{application.pk}/approve", {"amount": "1", "rate": "3.9", "term_months": 12}, bank_key
    )
    assert too_much.status_code == 409  # returned: cannot be approved now


def test_another_institution_gets_404_and_nothing_changes(certified_admin, product, other_key):
    application = apply(certified_admin, product)
    assert Client().get(f"{API}/{application.pk}", headers=other_key).status_code == 404
    assert Client().get(API, headers=other_key).json()["count"] == 0
    assert post(f"{API}/{application.pk}/accept", {}, other_key).status_code == 404
    assert Application.objects.get().status == "submitted"


def test_enterprise_session_cannot_accept(client, login, certified_admin, product):
    application = apply(certified_admin, product)
    login(certified_admin)
    response = client.post(f"{API}/{application.pk}/accept", {}, content_type="application/json")
    assert response.status_code == 403 and response.json()["code"] == "not_institution"


def test_credit_profile_is_read_through_the_gate(certified_admin, product, signing_key):
    application = apply(certified_admin, product)
    path = f"{API}/{application.pk}/credit-profile"
    response = signed_get(path, signing_key)
    assert response.status_code in (200, 404)  # 404 only when datahub holds no profile for the code
    log = credit_logs(application).first()
    assert log is not None and log.allowed and log.channel == "api"
    from dfsp.financing import services

    services.withdraw_application(actor=certified_admin, application_id=application.pk)
    refused = signed_get(path, signing_key)
    assert refused.status_code == 403 and refused.json()["code"].startswith("consent_")


def _refusals():
    return apps.get_model("audit", "AuditEvent").objects.filter(
        event_type="consent.api.signature_refused", outcome="denied"
    )


@pytest.mark.parametrize(
    ("how", "code"),
    [
        ("unsigned", "signature_missing"),
        ("tampered", "signature_invalid"),
        ("no_secret", "signature_no_secret"),
    ],
)
def test_credit_profile_refuses_badly_signed_requests(
    certified_admin, product, signing_key, bank_key, how, code
):
    application = apply(certified_admin, product)
    path = f"{API}/{application.pk}/credit-profile"
    if how == "unsigned":
        response = signed_get(path, signing_key, unsigned=True)
    elif how == "tampered":  # signed for another application, sent for this one
        response = signed_get(path, signing_key, tamper_path=f"{API}/{application.pk + 1}/credit-profile")
    else:  # an API key without a signing secret cannot sign at all
        response = Client().get(path, headers={**bank_key, "X-DFSP-Timestamp": str(int(time.time())),
                                               "X-DFSP-Nonce": uuid.uuid4().hex, "X-DFSP-Signature": "ab" * 32})  # fmt: skip
    assert response.status_code == 403 and response.json()["code"] == code
    assert not credit_logs(application).exists()  # refused before the gate: nothing was read
    assert _refusals().filter(details__reason=code).exists()


def test_credit_profile_refuses_a_replayed_request(certified_admin, product, signing_key):
    application = apply(certified_admin, product)
    path = f"{API}/{application.pk}/credit-profile"
    first = signed_get(path, signing_key, nonce="nonce-12345678")
    assert first.status_code in (200, 404)
    replay = signed_get(path, signing_key, nonce="nonce-12345678")
    assert replay.status_code == 403 and replay.json()["code"] == "signature_replayed"
    assert credit_logs(application).count() == 1


def test_credit_profile_in_the_browser_session_needs_no_signature(
    client, login, certified_admin, product, bank_manager
):
    application = apply(certified_admin, product)
    login(bank_manager)
    response = client.get(f"{API}/{application.pk}/credit-profile")
    assert response.status_code in (200, 404)
    log = credit_logs(application).get()
    assert log.allowed and log.username == bank_manager.username


def test_assessment_errors_are_4xx_not_500(certified_admin, product, signing_key):
    from dfsp.consent import signatures

    application = apply(certified_admin, product)
    path = f"{API}/{application.pk}/assessment"
    raw, secret = signing_key
    timestamp, nonce, body = str(int(time.time())), uuid.uuid4().hex, b"{}"
    headers = {
        "Authorization": f"Bearer {raw}",
        "X-DFSP-Timestamp": timestamp,
        "X-DFSP-Nonce": nonce,
        "X-DFSP-Signature": signatures.sign(secret, "POST", path, timestamp, nonce, body),
    }
    response = Client().post(path, body, content_type="application/json", headers=headers)
    assert response.status_code < 500
    assert not response.json().get("code", "").startswith("signature_")


def test_assessment_by_an_unsigned_api_key_is_refused(certified_admin, product, bank_key):
    application = apply(certified_admin, product)
    response = post(f"{API}/{application.pk}/assessment", {}, bank_key)
    assert response.status_code == 403 and response.json()["code"] == "signature_missing"
    assert not credit_logs(application).exists()
