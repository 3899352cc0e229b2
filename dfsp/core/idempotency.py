"""Idempotency-Key for mutating API requests (POST, PUT, PATCH, DELETE under /api/).

A client that may retry a request sends ``Idempotency-Key: <its own unique value>``. Keys are
namespaced by the authenticated caller (``ApiCaller.idempotency_owner``). The first request with a
key claims it by inserting an ``IdempotencyRecord`` in its own short transaction (the unique
constraint on owner+key decides races), runs, and stores its response. Then:

* same key, same request (method, full path, body)  -> the stored response, replayed verbatim with
  ``Idempotent-Replayed: true``; the operation does not run again;
* same key, different request                        -> 422 ``idempotency_key_reused``;
* same key while the first request is still running  -> wait up to WAIT_SECONDS for its response,
  then 409 ``idempotency_in_progress``.

Responses that say "try again" are not stored and the claim is released, so a retry runs afresh:
5xx, 401/403 (the caller was not let in), 408 and 429. Records older than
IDEMPOTENCY_KEY_TTL_HOURS count as absent and are purged by a scheduled job.
A request without the header, or one that is not authenticated, passes through untouched.

Stored bodies may hold secrets (a new API key) or personal data, so they are kept encrypted with
SM4-GCM under a key derived from SECRET_KEY and bound to the record's owner and key.
"""

import hashlib
import logging
import re
import time
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from dfsp.core import api_auth
from dfsp.core.crypto import CryptoError, sm3_hmac, sm4_gcm_decrypt, sm4_gcm_encrypt
from dfsp.core.models import IdempotencyRecord
from dfsp.core.views import error_body

logger = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255
MUTATING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
WAIT_SECONDS = 5.0
POLL_SECONDS = 0.1
_NOT_STORED_STATUSES = frozenset({401, 403, 408, 429})
_PRINTABLE_ASCII = re.compile(r"^[\x20-\x7e]+$")


def applies_to(request: HttpRequest) -> bool:
    return (
        request.method in MUTATING_METHODS and request.path.startswith("/api/") and HEADER in request.headers
    )


def fingerprint(method: str, full_path: str, body: bytes) -> str:
    """SHA-256 over the parts that make two requests "the same", each length-prefixed."""
    digest = hashlib.sha256()
    for part in (method.encode(), full_path.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _json_error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(error_body(code, message), status=status, json_dumps_params={"ensure_ascii": False})


def _key_problem(key: str) -> str | None:
    if not key:
        return _("The Idempotency-Key header is empty; send a unique value or leave the header out.")
    if len(key) > MAX_KEY_LENGTH:
        return _("The Idempotency-Key header must be at most %(max)d characters long.") % {
            "max": MAX_KEY_LENGTH
        }
    if not _PRINTABLE_ASCII.match(key):
        return _("The Idempotency-Key header may contain only printable ASCII characters.")
    return None


def handle(request: HttpRequest, get_response) -> HttpResponse:
    """Run ``get_response`` at most once per (owner, key); see the module docstring."""
    key = request.headers[HEADER].strip()
    problem = _key_problem(key)
    if problem:
        return _json_error(400, "invalid_idempotency_key", problem)
    owner = api_auth.idempotency_owner(request)
    if owner is None:
        # Not authenticated: the API answers 401 by itself and there is nothing to remember.
        return get_response(request)
    try:
        body = request.body
    except RequestDataTooBig:
        return _json_error(
            413,
            "payload_too_large",
            _("The request body is larger than the limit of %(limit)d bytes.")
            % {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE},
        )
    full_path = request.get_full_path()
    request_hash = fingerprint(request.method, full_path, body)
    outcome = _claim_or_answer(
        owner=owner, key=key, method=request.method, path=full_path, request_hash=request_hash
    )
    if isinstance(outcome, HttpResponse):
        return outcome
    try:
        response = get_response(request)
    except BaseException:
        _release(outcome)
        raise
    _finish(outcome, response)
    return response


def _ttl() -> timedelta:
    return timedelta(hours=settings.IDEMPOTENCY_KEY_TTL_HOURS)


def _try_claim(
    *, owner: str, key: str, method: str, path: str, request_hash: str
) -> IdempotencyRecord | None:
    try:
        with transaction.atomic():
            return IdempotencyRecord.objects.create(
                owner=owner, key=key, method=method, path=path[:500], request_hash=request_hash
            )
    except IntegrityError:
        return None


def _claim_or_answer(*, owner: str, key: str, method: str, path: str, request_hash: str):
    """Our own claim (IdempotencyRecord), or the response to give instead of running the request."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        claim = _try_claim(owner=owner, key=key, method=method, path=path, request_hash=request_hash)
        if claim is not None:
            return claim
        existing = IdempotencyRecord.objects.filter(owner=owner, key=key).first()
        if existing is not None and existing.created_at < timezone.now() - _ttl():
            # Expired: it no longer counts. Delete exactly that row, then claim afresh.
            IdempotencyRecord.objects.filter(pk=existing.pk).delete()
            continue
        if existing is not None:
            if existing.request_hash != request_hash:
                return _json_error(
                    422,
                    "idempotency_key_reused",
                    _(
                        "This Idempotency-Key was already used for a different request "
                        "(method, path or body differ). Use a new key for a new request."
                    ),
                )
            if existing.status_code is not None:
                replay = _replay(existing)
                if replay is not None:
                    return replay
                logger.warning("idempotency record unreadable; running the request again")
                IdempotencyRecord.objects.filter(pk=existing.pk).delete()
                continue
        # Still running elsewhere (or released a moment ago): wait for its outcome.
        if time.monotonic() >= deadline:
            return _json_error(
                409,
                "idempotency_in_progress",
                _(
                    "A request with this Idempotency-Key is still being processed. "
                    "Retry later with the same key to receive its result."
                ),
            )
        time.sleep(POLL_SECONDS)


def _storage_key() -> bytes:
    return sm3_hmac(settings.SECRET_KEY.encode(), b"dfsp.core.idempotency.response.v1")[:16]


def _associated_data(owner: str, key: str) -> bytes:
    # Binds a stored body to its record: it cannot be replayed to another owner or key.
    return f"{owner}\n{key}".encode()


def _seal(record: IdempotencyRecord, body: bytes) -> bytes:
    return sm4_gcm_encrypt(_storage_key(), body, _associated_data(record.owner, record.key))


def _unseal(record: IdempotencyRecord) -> bytes | None:
    try:
        return sm4_gcm_decrypt(
            _storage_key(), bytes(record.response_body or b""), _associated_data(record.owner, record.key)
        )
    except CryptoError:
        return None


def _replay(record: IdempotencyRecord) -> HttpResponse | None:
    """The stored response again; None if it cannot be read (SECRET_KEY has changed)."""
    body = _unseal(record)
    if body is None:
        return None
    response = HttpResponse(body, status=record.status_code, content_type=record.content_type or None)
    response[REPLAYED_HEADER] = "true"
    return response


def _release(claim: IdempotencyRecord) -> None:
    IdempotencyRecord.objects.filter(pk=claim.pk).delete()


def _finish(claim: IdempotencyRecord, response: HttpResponse) -> None:
    status = response.status_code
    if response.streaming or status >= 500 or status in _NOT_STORED_STATUSES:
        _release(claim)
        return
    IdempotencyRecord.objects.filter(pk=claim.pk).update(
        status_code=status,
        response_body=_seal(claim, response.content),
        content_type=response.get("Content-Type", "")[:100],
        completed_at=timezone.now(),
    )


def purge_expired_records(*, now=None) -> dict:
    """Delete records past IDEMPOTENCY_KEY_TTL_HOURS; they are already ignored by the middleware."""
    cutoff = (now or timezone.now()) - _ttl()
    deleted, _by_model = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    logger.info("idempotency records purged", extra={"deleted": deleted})
    return {"deleted": deleted}
