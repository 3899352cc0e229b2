"""Which purpose references are real: the app that owns a purpose registers a checker for it.

A grant names ONE purpose (``PurposeType`` + reference). The owning app knows whether a reference
is a real purpose between this enterprise and this institution — financing for applications and
demands, institutions for products (pre-assessment), postloan for loans — so it registers a checker
in its ``AppConfig.ready``:

    consent_purposes.register("application", check_application)

``checker(*, purpose_id, enterprise, institution) -> str | None`` returns a short label for the
purpose, or None when the reference names no such purpose between the two. Consent sits below those
apps, so it cannot look them up itself. A purpose type without a checker accepts any reference.
"""

from collections.abc import Callable

from django.utils.translation import gettext as _

from dfsp.core.errors import ValidationFailed

Checker = Callable[..., str | None]
_CHECKERS: dict[str, Checker] = {}


def register(purpose_type: str, checker: Checker) -> None:
    _CHECKERS[str(purpose_type)] = checker


def registered() -> frozenset[str]:
    return frozenset(_CHECKERS)


def check(purpose_type: str, purpose_id: str, *, enterprise, institution) -> str:
    """The purpose's label ("" without a checker); ValidationFailed if it is not a real purpose."""
    checker = _CHECKERS.get(str(purpose_type))
    if checker is None:
        return ""
    label = checker(purpose_id=purpose_id, enterprise=enterprise, institution=institution)
    if label is None:
        raise ValidationFailed(
            field_errors={"purpose_id": [_("No such purpose between this enterprise and this institution.")]},
            code="consent_unknown_purpose",
        )
    return str(label)[:200]
