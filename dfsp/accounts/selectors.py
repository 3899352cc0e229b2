"""Reads of accounts data, always scoped to the acting user.

"Not yours" and "does not exist" raise the same NotFound.
"""

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from dfsp.accounts.models import Membership, Organisation, User
from dfsp.accounts.roles import ADMIN_ROLES, PLATFORM_WIDE_ROLES, TOTP_REQUIRED_ROLES, OrganisationKind, Role
from dfsp.core.errors import NotFound

# Roles that administer accounts across every organisation (三权分立: not the audit admin).
ACCOUNT_ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN})
ORGANISATION_ADMIN_ROLES = frozenset({Role.ENTERPRISE_ADMIN, Role.INSTITUTION_ADMIN})


def organisation_of(user) -> Organisation | None:
    """The organisation a user acts for (every membership of a user is in one organisation)."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_organisation", None)
    if cached is None:
        membership = user.memberships.select_related("organisation").first()
        cached = membership.organisation if membership else None
        user._organisation = cached
    return cached


def requires_totp(user) -> bool:
    return user.has_any_role(TOTP_REQUIRED_ROLES)


def sees_all_organisations(actor) -> bool:
    return actor.has_any_role(PLATFORM_WIDE_ROLES | ACCOUNT_ADMIN_ROLES)


def list_organisations_for(actor) -> QuerySet[Organisation]:
    queryset = Organisation.objects.all()
    if sees_all_organisations(actor):
        return queryset
    own = organisation_of(actor)
    return queryset.filter(pk=own.pk) if own else queryset.none()


def get_organisation_for(actor, organisation_id) -> Organisation:
    try:
        return list_organisations_for(actor).get(pk=organisation_id)
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def list_users_for(actor) -> QuerySet[User]:
    queryset = User.objects.order_by("username").prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("organisation"))
    )
    if actor.has_any_role(ACCOUNT_ADMIN_ROLES):
        return queryset
    if actor.has_any_role(ORGANISATION_ADMIN_ROLES):
        own = organisation_of(actor)
        return queryset.filter(memberships__organisation=own).distinct() if own else queryset.none()
    return queryset.filter(pk=actor.pk)


def get_user_for(actor, user_id) -> User:
    try:
        return list_users_for(actor).get(pk=user_id)
    except (User.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def is_admin_role_holder(user) -> bool:
    return user.has_any_role(ADMIN_ROLES)


def password_expired(user) -> bool:
    from django.conf import settings

    if user.must_change_password:
        return True
    changed = user.password_changed_at or user.date_joined
    return (timezone.now() - changed).days >= settings.PASSWORD_MAX_AGE_DAYS


def password_days_left(user) -> int:
    from django.conf import settings

    changed = user.password_changed_at or user.date_joined
    return max(0, settings.PASSWORD_MAX_AGE_DAYS - (timezone.now() - changed).days)


def list_sessions_for(user):
    return user.sessions.order_by("-created_at")


def active_members(roles, organisation=None) -> list[User]:
    """Active users holding any of ``roles`` (in ``organisation`` when given).

    For system reads with no acting person, e.g. choosing who receives a message.
    """
    users = User.objects.filter(is_active=True, memberships__role__in=list(roles))
    if organisation is not None:
        users = users.filter(memberships__organisation=organisation)
    return list(users.distinct().order_by("pk"))


# --- Public registry reads (no acting person: the registry of organisations is public) ----------


def active_institutions() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=OrganisationKind.INSTITUTION, is_active=True).order_by("name")


def active_enterprise_by_uscc(uscc: str) -> Organisation | None:
    uscc = (uscc or "").strip().upper()
    if not uscc:
        return None
    return Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE, uscc=uscc, is_active=True).first()


def get_active_institution(institution_id) -> Organisation:
    try:
        return active_institutions().get(pk=int(institution_id))
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def active_organisations() -> QuerySet[Organisation]:
    """Every active organisation, for public statistics and directories."""
    return Organisation.objects.filter(is_active=True)
