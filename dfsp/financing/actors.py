"""One view of "who acts" for pages (a User) and the API (an ApiCaller: person or API key)."""

from dataclasses import dataclass

from dfsp.accounts.selectors import organisation_of


@dataclass(frozen=True)
class Acting:
    user: object | None  # the person, or None for an API key
    organisation: object | None
    api_key_prefix: str = ""


def acting(actor) -> Acting:
    if hasattr(actor, "api_key") and hasattr(actor, "organisation"):  # an ApiCaller
        if actor.user is not None:
            return Acting(user=actor.user, organisation=actor.organisation or organisation_of(actor.user))
        return Acting(user=None, organisation=actor.organisation, api_key_prefix=actor.api_key.prefix)
    return Acting(user=actor, organisation=organisation_of(actor))
