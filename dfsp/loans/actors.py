"""One view of "who acts" for pages (a User) and the API (an ApiCaller: person or API key)."""

from dataclasses import dataclass

from dfsp.accounts.roles import ENTERPRISE_ROLES, INSTITUTION_ROLES, PLATFORM_WIDE_ROLES
from dfsp.accounts.selectors import organisation_of


@dataclass(frozen=True)
class Acting:
    user: object | None  # the person, or None for an API key
    organisation: object | None
    api_key_prefix: str = ""
    is_institution: bool = False
    is_enterprise: bool = False
    sees_all: bool = False


def acting(actor) -> Acting:
    roles = set(actor.role_codes()) if actor is not None and hasattr(actor, "role_codes") else set()
    flags = {
        "is_institution": bool(roles & INSTITUTION_ROLES),
        "is_enterprise": bool(roles & ENTERPRISE_ROLES),
        "sees_all": bool(roles & PLATFORM_WIDE_ROLES),
    }
    if hasattr(actor, "api_key") and hasattr(actor, "organisation"):  # an ApiCaller
        if actor.user is not None:
            return Acting(
                user=actor.user, organisation=actor.organisation or organisation_of(actor.user), **flags
            )
        return Acting(
            user=None, organisation=actor.organisation, api_key_prefix=actor.api_key.prefix, **flags
        )
    return Acting(user=actor, organisation=organisation_of(actor), **flags)
