"""The transition helper shared by every explicit state machine."""

from collections.abc import Mapping

from dfsp.core.errors import InvalidTransition


def ensure_transition(current: str, target: str, allowed: Mapping[str, set[str] | frozenset[str]]) -> None:
    """Raise InvalidTransition unless ``current -> target`` is in the ``allowed`` table."""
    if target not in allowed.get(current, ()):
        raise InvalidTransition(code="invalid_transition")
