"""Idempotency-Key: replay, mismatch, what is (not) remembered, expiry, and true concurrency."""

import threading
import time
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connections
from django.test import Client
from django.utils import timezone
from django.utils.module_loading import import_string

from dfsp.core import idempotency
from dfsp.core.models import IdempotencyRecord, JobRun
from dfsp.core.tasks import PURGE_IDEMPOTENCY_JOB, purge_idempotency_records

KEYS = "/api/v1/accounts/api-keys"
# Named, not imported: core's tests import no other app (import-linter).
CREATE_SERVICE = "dfsp.accounts.api_keys.create_api_key"


def _keys():
    return apps.get_model("accounts", "ApiKey").objects


def _create(client, name="Loan system", key="key-1", **headers):
    if key is not None:
        headers["Idempotency-Key"] = key
    return client.post(KEYS, {"name": name}, content_type="application/json", headers=headers)


@pytest.fixture
def admin_client(client, login, bank_admin):
    return login(bank_admin)


@pytest.mark.django_db
def test_a_retried_request_is_answered_from_the_first_one(admin_client):
    first = _create(admin_client)
    again = _create(admin_client)
    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert _keys().count() == 1
    assert again["X-Request-ID"] != first["X-Request-ID"]


@pytest.mark.django_db
def test_a_stored_response_is_kept_encrypted(admin_client):
    plaintext_key = _create(admin_client).json()["key"]
    stored = bytes(IdempotencyRecord.objects.get().response_body)
    assert plaintext_key.encode() not in stored
    assert b"Loan system" not in stored


@pytest.mark.django_db
def test_an_unreadable_stored_response_lets_the_request_run_again(admin_client):
    _create(admin_client)
    IdempotencyRecord.objects.update(response_body=b"not a ciphertext of ours")
    again = _create(admin_client)
    assert again.status_code == 201
    assert "Idempotent-Replayed" not in again
    assert _keys().count() == 2


@pytest.mark.django_db
def test_without_the_header_each_request_runs(admin_client):
    _create(admin_client, key=None)
    _create(admin_client, key=None)
    assert _keys().count() == 2


@pytest.mark.django_db
def test_reusing_a_key_for_another_request_is_422(admin_client):
    _create(admin_client, name="first")
    response = _create(admin_client, name="second")
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert _keys().count() == 1


@pytest.mark.django_db
def test_the_same_key_on_another_path_is_a_different_request(admin_client):
    _create(admin_client, key="k")
    key_id = _keys().get().pk
    response = admin_client.post(f"{KEYS}/{key_id}/revoke", headers={"Idempotency-Key": "k"})
    assert response.json()["code"] == "idempotency_key_reused"


@pytest.mark.django_db
def test_keys_of_different_callers_never_meet(client, login, bank_admin, other_bank_admin):
    login(bank_admin)
    mine = _create(client, key="shared-value")
    login(other_bank_admin)
    theirs = _create(client, key="shared-value")
    assert mine.status_code == theirs.status_code == 201
    assert "Idempotent-Replayed" not in theirs
    assert mine.json()["prefix"] != theirs.json()["prefix"]


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["x" * 256, "   ", "schlüssel"])
def test_an_unusable_key_is_400(admin_client, value):
    response = admin_client.post(
        KEYS,
        {"name": "x"},
        content_type="application/json",
        headers={"Idempotency-Key": value.encode().decode("latin-1")},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_idempotency_key"
    assert _keys().count() == 0


@pytest.mark.django_db
def test_a_key_of_255_characters_is_fine(admin_client):
    assert _create(admin_client, key="k" * 255).status_code == 201


@pytest.mark.django_db
def test_a_client_error_is_remembered_too(admin_client):
    first = _create(admin_client, name="")
    again = _create(admin_client, name="")
    assert first.status_code == again.status_code == 422
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"


@pytest.mark.django_db
def test_a_refusal_is_not_remembered_so_the_retry_runs(client, login, bank_officer):
    login(bank_officer)
    assert _create(client).status_code == 403
    assert not IdempotencyRecord.objects.exists()


@pytest.mark.django_db
def test_a_server_error_releases_the_key_so_the_retry_runs(admin_client, monkeypatch):
    def fail(**kwargs):
        raise RuntimeError("database went away")

    with monkeypatch.context() as patch:
        patch.setattr(CREATE_SERVICE, fail)
        assert _create(admin_client).status_code == 500
    assert not IdempotencyRecord.objects.exists()
    retried = _create(admin_client)
    assert retried.status_code == 201
    assert "Idempotent-Replayed" not in retried


@pytest.mark.django_db
def test_an_unauthenticated_request_is_left_alone(machine):
    response = _create(machine)
    assert response.status_code == 401
    assert not IdempotencyRecord.objects.exists()


@pytest.mark.django_db
def test_api_key_callers_have_their_own_namespace(machine, bank_key):
    headers = {"Authorization": f"Bearer {bank_key}", "Idempotency-Key": "abc"}
    key_id = _keys().get().pk
    first = machine.post(f"{KEYS}/{key_id}/revoke", headers=headers)
    assert first.status_code == 403  # keys may not revoke keys; refusals are not remembered
    assert not IdempotencyRecord.objects.exists()


@pytest.mark.django_db
def test_a_wrong_api_key_never_sees_a_stored_response(admin_client, machine, bank_key):
    _create(admin_client, key="k")
    prefix = bank_key.split("_")[1]
    forged = f"dfsp_{prefix}_{'A' * 43}"
    response = machine.post(
        KEYS,
        {"name": "Loan system"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {forged}", "Idempotency-Key": "k"},
    )
    assert response.status_code == 401
    assert "Idempotent-Replayed" not in response


@pytest.mark.django_db
def test_an_expired_record_no_longer_counts(admin_client, settings):
    _create(admin_client, name="first")
    IdempotencyRecord.objects.update(
        created_at=timezone.now() - timedelta(hours=settings.IDEMPOTENCY_KEY_TTL_HOURS, minutes=1)
    )
    response = _create(admin_client, name="second")
    assert response.status_code == 201
    assert response.json()["name"] == "second"
    assert IdempotencyRecord.objects.count() == 1


@pytest.mark.django_db
def test_a_request_still_running_elsewhere_gives_409_after_waiting(admin_client, bank_admin, monkeypatch):
    monkeypatch.setattr(idempotency, "WAIT_SECONDS", 0.3)
    body = b'{"name": "Loan system"}'
    IdempotencyRecord.objects.create(
        owner=f"user:{bank_admin.pk}",
        key="busy",
        method="POST",
        path=KEYS,
        request_hash=idempotency.fingerprint("POST", KEYS, body),
    )
    response = admin_client.post(
        KEYS, body, content_type="application/json", headers={"Idempotency-Key": "busy"}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_in_progress"
    assert _keys().count() == 0


@pytest.mark.django_db
def test_the_purge_removes_only_expired_records(settings):
    now = timezone.now()
    old = IdempotencyRecord.objects.create(
        owner="user:1", key="old", method="POST", path="/", request_hash="x"
    )
    IdempotencyRecord.objects.filter(pk=old.pk).update(
        created_at=now - timedelta(hours=settings.IDEMPOTENCY_KEY_TTL_HOURS + 1)
    )
    IdempotencyRecord.objects.create(owner="user:1", key="fresh", method="POST", path="/", request_hash="x")
    # when
    summary = purge_idempotency_records()
    # then
    assert summary == {"deleted": 1}
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["fresh"]
    assert JobRun.objects.get(job=PURGE_IDEMPOTENCY_JOB).outcome == JobRun.Outcome.SUCCEEDED


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("slow", [True, False])
def test_two_concurrent_identical_requests_have_one_effect(client, login, bank_admin, monkeypatch, slow):
    login(bank_admin)
    session_cookie = client.cookies
    if slow:
        original = import_string(CREATE_SERVICE)

        def slow_create(**kwargs):
            time.sleep(0.5)  # keep the first request running while the second arrives
            return original(**kwargs)

        monkeypatch.setattr(CREATE_SERVICE, slow_create)
    start = threading.Barrier(2)
    responses = [None, None]

    def send(index: int) -> None:
        browser = Client()
        browser.cookies = session_cookie
        try:
            start.wait()
            responses[index] = _create(browser, key="concurrent")
        except Exception as exc:  # reported by the assertion below, not lost in the thread
            responses[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    # then
    assert [getattr(response, "status_code", response) for response in responses] == [201, 201]
    assert responses[0].content == responses[1].content
    assert sorted(response.get("Idempotent-Replayed", "") for response in responses) == ["", "true"]
    assert _keys().count() == 1
