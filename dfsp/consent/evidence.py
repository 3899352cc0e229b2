"""Consent text rendering and the signed evidence of a grant (SM3 hash of the text, SM2 signature)."""

import json
import re
from datetime import UTC

from dfsp.core.crypto import platform_signing_key, sm2_public_key, sm2_sign, sm2_verify, sm3_hex

PLACEHOLDERS = ("enterprise", "institution", "scopes", "purpose", "valid_until", "query_limit")


def check_body(body: str) -> bool:
    """Only the listed placeholders, as plain {name}: no attribute or index access, no format specs."""
    fields = re.findall(r"\{([^{}]*)\}", body)
    return all(f in PLACEHOLDERS for f in fields) and body.count("{") == len(fields) == body.count("}")


class _Blank(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def render_text(body: str, **values) -> str:
    return body.format_map(_Blank({k: str(v) for k, v in values.items()}))


def text_hash(text: str) -> str:
    return sm3_hex(text.encode())


def _utc(value) -> str:
    return value.astimezone(UTC).isoformat() if value is not None else ""


def canonical_evidence(grant) -> bytes:
    """The signed serialisation: sorted keys, no whitespace, UTC timestamps, UTF-8."""
    record = {
        "enterprise_id": grant.enterprise_id,
        "uscc": grant.uscc,
        "institution_id": grant.institution_id,
        "scope_codes": list(grant.scope_codes),
        "scope_snapshot": grant.scope_snapshot,
        "purpose_type": grant.purpose_type,
        "purpose_id": grant.purpose_id,
        "valid_from": _utc(grant.valid_from),
        "valid_until": _utc(grant.valid_until),
        "query_limit": grant.query_limit,
        "template_version": grant.template.version,
        "text_hash": grant.text_hash,
        "signed_by": grant.signed_by_id,
        "signed_at": _utc(grant.signed_at),
        "signer_ip": grant.signer_ip or "",
        "channel": grant.channel,
        "request_id": grant.request_id,
    }
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sign(grant) -> str:
    return sm2_sign(platform_signing_key(), canonical_evidence(grant)).hex()


def verify(grant) -> bool:
    if text_hash(grant.text) != grant.text_hash:
        return False
    try:
        signature = bytes.fromhex(grant.signature)
    except ValueError:
        return False
    return sm2_verify(sm2_public_key(platform_signing_key()), signature, canonical_evidence(grant))
