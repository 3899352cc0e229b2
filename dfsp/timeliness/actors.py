"""Who acts: a User (pages) or an ApiCaller (API: a person, or an institution's API key)."""

from dataclasses import dataclass

from dfsp.accounts.roles import INSTITUTION_ROLES, Role
from dfsp.accounts.selectors import organisation_of

URGER_ROLES = frozenset({Role.REGULATOR, Role.OPERATOR})


@dataclass(frozen=True)
class Acting:
    user: object | None  # None for an API key
    organisation: object | None
    api_key_prefix: str = ""


def acting(actor) -> Acting:
    if hasattr(actor, "api_key") and hasattr(actor, "organisation"):  # an ApiCaller
        if actor.user is not None:
            return Acting(user=actor.user, organisation=actor.organisation or organisation_of(actor.user))
        return Acting(user=None, organisation=actor.organisation, api_key_prefix=actor.api_key.prefix)
    return Acting(user=actor, organisation=organisation_of(actor))


def is_urger(actor) -> bool:
    return actor.has_any_role(URGER_ROLES)


def institution_of(actor):
    """The institution the actor works for, or None."""
    if not actor.has_any_role(INSTITUTION_ROLES):
        return None
    return acting(actor).organisation
