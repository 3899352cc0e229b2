"""The hash chain: canonical serialisation of a record and its SM3 hash.

hash(n) = SM3(canonical JSON of every field of record n, including seq and prev_hash = hash(n-1)).
Values are normalised *before* they are stored, so that what comes back from SQLite or PostgreSQL
(jsonb reorders keys, turns 1e20 into 100000000000000000000, rejects NUL) hashes identically.
"""

import ipaddress
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC

from django.core.serializers.json import DjangoJSONEncoder

from dfsp.core.crypto import sm3_hex

GENESIS_HASH = "0" * 64
# Problems a verification can find.
ALTERED = "altered"
MISSING = "missing"
HEAD_MISMATCH = "head_mismatch"

HASHED_FIELDS = (
    "seq",
    "occurred_at",
    "actor_id",
    "actor_username",
    "organisation_id",
    "organisation_name",
    "role",
    "ip",
    "user_agent",
    "event_type",
    "object_type",
    "object_id",
    "outcome",
    "request_id",
    "details",
    "prev_hash",
)


def clean_text(value, max_length: int | None = None) -> str:
    """A string both databases store unchanged: no NUL, no lone surrogates, within the column."""
    text = "" if value is None else str(value)
    text = text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")
    return text[:max_length] if max_length else text


def normalise_ip(value) -> str | None:
    """The textual form PostgreSQL's inet returns; None for anything that is not an address."""
    if not value:
        return None
    try:
        address = ipaddress.ip_address(str(value).split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return str(address)


def _normalise_json(value):
    if isinstance(value, dict):
        return {clean_text(key): _normalise_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_normalise_json(item) for item in value]
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        # Integral floats come back from jsonb as integers; store them as integers already.
        return int(value) if value.is_integer() else value
    return value  # bool, int, None


class _Encoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, set | frozenset):
            return sorted(o, key=str)
        try:
            return super().default(o)
        except TypeError:
            return str(o)


def normalise_details(details: dict | None) -> dict:
    """JSON-native, database-stable form of the details (Decimal, dates, UUIDs become strings)."""
    if not details:
        return {}
    if not isinstance(details, dict):
        raise TypeError("Audit details must be a dict.")
    native = json.loads(json.dumps(details, cls=_Encoder, ensure_ascii=False))
    return _normalise_json(native)


def canonical_bytes(event) -> bytes:
    values = {name: getattr(event, name) for name in HASHED_FIELDS}
    values["occurred_at"] = event.occurred_at.astimezone(UTC).isoformat(timespec="microseconds")
    return json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def compute_hash(event) -> str:
    return sm3_hex(canonical_bytes(event))


@dataclass(frozen=True)
class Walk:
    """How far a walk along the chain got, and what stopped it (problem is None if nothing)."""

    checked: int
    last_seq: int
    last_hash: str
    problem: str | None = None
    bad_seq: int | None = None


def walk(events: Iterable, *, start_seq: int, start_hash: str) -> Walk:
    """Check records in seq order, each against its own hash and its predecessor's.

    ``start_seq``/``start_hash`` are the anchor the walk continues from (0 and the genesis hash
    for the beginning of the chain).
    """
    checked, last_seq, last_hash = 0, start_seq, start_hash
    for event in events:
        if event.seq != last_seq + 1:
            return Walk(checked, last_seq, last_hash, MISSING, last_seq + 1)
        if compute_hash(event) != event.hash:
            return Walk(checked, last_seq, last_hash, ALTERED, event.seq)
        if event.prev_hash != last_hash:
            # This record is self-consistent, so its predecessor's hash was rewritten with it.
            return Walk(
                checked, last_seq, last_hash, ALTERED, event.seq - 1 if last_seq > start_seq else event.seq
            )
        checked, last_seq, last_hash = checked + 1, event.seq, event.hash
    return Walk(checked, last_seq, last_hash)
