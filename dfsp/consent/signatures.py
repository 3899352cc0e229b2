"""Signed API requests from institutions' systems: timestamp, nonce and HMAC-SM3 signature.

    X-DFSP-Timestamp: Unix seconds (must be within ±5 minutes of the platform's clock)
    X-DFSP-Nonce:     8–64 characters [A-Za-z0-9_-], never reused by the same API key
    X-DFSP-Signature: hex HMAC-SM3(secret, METHOD \\n PATH?QUERY \\n timestamp \\n nonce \\n sha256_hex(body))

The secret is a separate 32-byte signing secret per API key (the platform stores only a hash of the
API key itself, so that key cannot serve as an HMAC key it can verify); the institution admin
issues it on the "API signing secrets" page, sees it once, and the platform keeps it SM4-GCM
encrypted. Session callers (the browser, CSRF-checked) do not sign. Refusals are 403 with a code
and are audited.
"""

import hashlib
import hmac
import re
import time

from django.db import IntegrityError, transaction

from dfsp.audit.services import record_event
from dfsp.consent.models import SeenNonce
from dfsp.consent.services import signing_secret_of
from dfsp.core.crypto import CryptoError, sm3_hmac_hex
from dfsp.core.errors import AccessDenied

WINDOW_SECONDS = 300
_NONCE = re.compile(r"[A-Za-z0-9_-]{8,64}")


def string_to_sign(method: str, path: str, timestamp: str, nonce: str, body: bytes) -> bytes:
    return "\n".join([method.upper(), path, timestamp, nonce, hashlib.sha256(body).hexdigest()]).encode()


def sign(secret: bytes, method: str, path: str, timestamp: str, nonce: str, body: bytes) -> str:
    return sm3_hmac_hex(secret, string_to_sign(method, path, timestamp, nonce, body))


def _refuse(request, prefix: str, code: str):
    record_event(
        event_type="consent.api.signature_refused",
        organisation=request.auth.organisation,
        object_type="accounts.apikey",
        object_id=prefix,
        outcome="denied",
        details={"reason": code, "path": request.path[:200]},
    )
    raise AccessDenied(code=code)


def verify_request(request) -> None:
    """Pass for session callers; for API-key callers check signature, clock and nonce."""
    caller = request.auth
    api_key = getattr(caller, "api_key", None)
    if api_key is None:
        return
    prefix = api_key.prefix
    timestamp = request.headers.get("X-DFSP-Timestamp", "").strip()
    nonce = request.headers.get("X-DFSP-Nonce", "").strip()
    signature = request.headers.get("X-DFSP-Signature", "").strip().lower()
    if not (timestamp and nonce and signature):
        _refuse(request, prefix, "signature_missing")
    if not timestamp.isdigit() or abs(int(timestamp) - time.time()) > WINDOW_SECONDS:
        _refuse(request, prefix, "signature_stale_timestamp")
    if not _NONCE.fullmatch(nonce):
        _refuse(request, prefix, "signature_bad_nonce")
    try:
        secret = signing_secret_of(prefix)
    except CryptoError:
        secret = None
    if secret is None:
        _refuse(request, prefix, "signature_no_secret")
    expected = sign(secret, request.method, request.get_full_path(), timestamp, nonce, request.body)
    if not hmac.compare_digest(expected, signature):
        _refuse(request, prefix, "signature_invalid")
    try:
        with transaction.atomic():
            SeenNonce.objects.create(api_key_prefix=prefix, nonce=nonce)
    except IntegrityError:
        _refuse(request, prefix, "signature_replayed")
