"""What stops scripted sign-ups without an external service: an arithmetic challenge kept in the
session (single use, answer stored hashed) and fixed-window rate limits in the cache."""

import hashlib
import secrets

from django.core.cache import cache
from django.utils.translation import gettext as _

SESSION_KEY = "enterprises.challenge"


def _digest(answer: str) -> str:
    return hashlib.sha256(f"dfsp-challenge:{answer.strip()}".encode()).hexdigest()


def new_challenge(session) -> str:
    """Store a fresh challenge in the session and return its question."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    if secrets.randbelow(2):
        question, answer = _("What is %(a)d plus %(b)d?") % {"a": a, "b": b}, a + b
    else:
        a, b = max(a, b) + 10, min(a, b)
        question, answer = _("What is %(a)d minus %(b)d?") % {"a": a, "b": b}, a - b
    session[SESSION_KEY] = {"q": question, "h": _digest(str(answer))}
    return question


def current_question(session) -> str:
    stored = session.get(SESSION_KEY)
    return stored["q"] if stored else new_challenge(session)


def check_answer(session, answer: str) -> bool:
    """Single use: whatever the result, the next form shows a new challenge."""
    stored = session.pop(SESSION_KEY, None)
    new_challenge(session)
    return bool(stored) and secrets.compare_digest(stored["h"], _digest(answer or ""))


def over_limit(scope: str, key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit for ``scope:key``; True once more than ``limit`` hits fall in the window."""
    cache_key = "enterprises.rate:" + hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()
    if cache.add(cache_key, 1, timeout=window_seconds):
        return False
    try:
        count = cache.incr(cache_key)
    except ValueError:
        cache.set(cache_key, 1, timeout=window_seconds)
        count = 1
    return count > limit
