"""API keys: an institution's own systems call the JSON API as their organisation.

A key reads ``dfsp_<prefix>_<secret>``. The database keeps the 8-character prefix (to find the
row; it is not secret and is shown in lists) and HMAC-SM3 of the whole key under a server secret,
never the key itself: the plaintext is shown once, when the key is created. Verification compares
the hashes in constant time and refuses revoked keys and keys of deactivated organisations.

Only institution administrators, signed in as themselves, create and revoke keys, each for their
own organisation (a key cannot mint or revoke keys); any institution user may list them.
This module also turns a key or a signed-in user into the ``ApiCaller`` the API works with (it is
the ``API_CALLER_SOURCE`` of dfsp.core.api_auth) and scopes organisation reads for such callers.
"""

import hmac
import logging
import re
import secrets
import string
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dfsp.accounts.models import ApiKey, Organisation, User
from dfsp.accounts.roles import INSTITUTION_ROLES, OrganisationKind, Role
from dfsp.accounts.selectors import list_organisations_for, organisation_of
from dfsp.audit.services import record_event
from dfsp.core.api_auth import ApiCaller
from dfsp.core.crypto import sm3_hmac
from dfsp.core.errors import AccessDenied, Conflict, NotFound, ValidationFailed

logger = logging.getLogger(__name__)

KEY_SCHEME = "dfsp"
PREFIX_LENGTH = 8
PREFIX_ALPHABET = string.ascii_lowercase + string.digits
SECRET_BYTES = 32
NAME_MAX_LENGTH = 80
_KEY_FORMAT = re.compile(rf"{KEY_SCHEME}_([a-z0-9]{{{PREFIX_LENGTH}}})_([A-Za-z0-9_-]{{20,128}})")
# last_used_at is informational; writing it on every call would turn each read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)
KEY_MANAGER_ROLES = frozenset({Role.INSTITUTION_ADMIN})
KEY_VIEWER_ROLES = INSTITUTION_ROLES


def _hmac_secret() -> bytes:
    # Derived from SECRET_KEY with a purpose label; rotating SECRET_KEY invalidates every key.
    configured = getattr(settings, "API_KEY_HMAC_SECRET", None) or settings.SECRET_KEY
    return sm3_hmac(configured.encode(), b"dfsp.accounts.api_key.v1")


def hash_api_key(raw: str) -> str:
    return sm3_hmac(_hmac_secret(), raw.encode()).hex()


# --- Verification and callers -----------------------------------------------------------------


def authenticate_api_key(raw: str) -> ApiKey | None:
    """The active key matching ``raw``, or None. Records the use at most once a minute."""
    match = _KEY_FORMAT.fullmatch(raw or "")
    if match is None:
        return None
    key = ApiKey.objects.select_related("organisation").filter(prefix=match[1]).first()
    if key is None or not hmac.compare_digest(key.key_hash, hash_api_key(raw)):
        logger.warning("API key rejected", extra={"key_prefix": match[1], "reason": "no_match"})
        return None
    if key.revoked_at is not None or not key.organisation.is_active:
        reason = "revoked" if key.revoked_at is not None else "organisation_inactive"
        logger.warning("API key rejected", extra={"key_prefix": key.prefix, "reason": reason})
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key


def _roles_of_key(key: ApiKey) -> frozenset[str]:
    if key.organisation.kind == OrganisationKind.INSTITUTION:
        return frozenset(str(role) for role in INSTITUTION_ROLES)
    return frozenset()


def caller_for_api_key(raw: str) -> ApiCaller | None:
    key = authenticate_api_key(raw)
    if key is None:
        return None
    return ApiCaller(organisation=key.organisation, roles=_roles_of_key(key), api_key=key)


def caller_for_user(user: User) -> ApiCaller:
    return ApiCaller(organisation=organisation_of(user), roles=frozenset(user.role_codes()), user=user)


def _organisation_of(actor) -> Organisation | None:
    if isinstance(actor, ApiCaller):
        return actor.organisation
    return organisation_of(actor)


def _person(actor) -> User:
    """The signed-in person behind ``actor``; an API key is refused."""
    user = actor.user if isinstance(actor, ApiCaller) else actor
    if user is None:
        raise AccessDenied(_("API keys are managed by signed-in people, not through another API key."))
    return user


def _managed_organisation(user: User) -> Organisation:
    if not user.has_any_role(KEY_MANAGER_ROLES):
        raise AccessDenied(_("Only institution administrators can create or revoke API keys."))
    organisation = organisation_of(user)
    if organisation is None or organisation.kind != OrganisationKind.INSTITUTION:
        raise AccessDenied(_("API keys can only be issued to financial institutions."))
    return organisation


# --- Reads --------------------------------------------------------------------------------------


def list_api_keys_for(actor) -> QuerySet[ApiKey]:
    """The keys of the actor's own institution, newest first."""
    if not actor.has_any_role(KEY_VIEWER_ROLES):
        raise AccessDenied(_("Only institution users can see API keys."))
    organisation = _organisation_of(actor)
    if organisation is None:
        return ApiKey.objects.none()
    return (
        ApiKey.objects.filter(organisation=organisation)
        .select_related("created_by", "revoked_by")
        .order_by("-created_at", "-pk")
    )


def organisations_for(actor) -> QuerySet[Organisation]:
    """Organisations visible to a user or an API caller (the one scoping function for both).

    People follow accounts.selectors.list_organisations_for (platform-wide roles see all, others
    their own organisation); an API key sees only its own organisation.
    """
    if isinstance(actor, ApiCaller):
        if actor.user is not None:
            return list_organisations_for(actor.user)
        if actor.organisation is None:
            return Organisation.objects.none()
        return Organisation.objects.filter(pk=actor.organisation.pk)
    return list_organisations_for(actor)


def get_organisation_for(actor, organisation_id) -> Organisation:
    """One visible organisation; "not yours" and "does not exist" are the same NotFound."""
    try:
        return organisations_for(actor).get(pk=organisation_id)
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


# --- Writes -------------------------------------------------------------------------------------


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(
            field_errors={"name": _("Give the key a name, such as the system that will use it.")}
        )
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationFailed(
            field_errors={
                "name": _("The name may be at most %(max)d characters long.") % {"max": NAME_MAX_LENGTH}
            }
        )
    return name


def _new_prefix() -> str:
    return "".join(secrets.choice(PREFIX_ALPHABET) for _i in range(PREFIX_LENGTH))


def create_api_key(*, actor, name: str) -> tuple[ApiKey, str]:
    """Issue a key for the actor's institution. Returns the key and its plaintext, shown once."""
    user = _person(actor)
    organisation = _managed_organisation(user)
    name = _clean_name(name)
    secret = secrets.token_urlsafe(SECRET_BYTES)
    with transaction.atomic():
        for _attempt in range(5):
            prefix = _new_prefix()
            raw = f"{KEY_SCHEME}_{prefix}_{secret}"
            try:
                with transaction.atomic():
                    key = ApiKey.objects.create(
                        organisation=organisation,
                        name=name,
                        prefix=prefix,
                        key_hash=hash_api_key(raw),
                        created_by=user,
                    )
                break
            except IntegrityError:
                continue  # the random prefix is taken (about one chance in 10^12): draw again
        else:
            raise Conflict(_("Could not allocate a unique key prefix. Please try again."))
        record_event(
            event_type="accounts.api_key.created",
            actor=user,
            organisation=organisation,
            role=Role.INSTITUTION_ADMIN,
            object_type="accounts.ApiKey",
            object_id=str(key.pk),
            details={"name": name, "prefix": prefix},
        )
    return key, raw


def revoke_api_key(*, actor, key_id) -> ApiKey:
    """Revoke one of the actor's institution's keys; it stops working at once."""
    user = _person(actor)
    organisation = _managed_organisation(user)
    with transaction.atomic():
        try:
            key = ApiKey.objects.select_for_update().get(pk=key_id, organisation=organisation)
        except (ApiKey.DoesNotExist, ValueError, TypeError):
            raise NotFound(_("No such API key in your institution.")) from None
        if key.revoked_at is not None:
            raise Conflict(_("This API key has already been revoked."), code="api_key_already_revoked")
        key.revoked_at = timezone.now()
        key.revoked_by = user
        key.save(update_fields=["revoked_at", "revoked_by"])
        record_event(
            event_type="accounts.api_key.revoked",
            actor=user,
            organisation=organisation,
            role=Role.INSTITUTION_ADMIN,
            object_type="accounts.ApiKey",
            object_id=str(key.pk),
            details={"name": key.name, "prefix": key.prefix},
        )
    return key
