"""Writes for accounts: organisations, users, roles, passwords, sessions, login events.

Each service runs in one transaction with its audit row inside it; if the audit write fails the
change is rolled back (fail closed).
"""

import secrets
import string
from datetime import timedelta

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from dfsp.accounts.models import Membership, Organisation, PasswordHistory, User, UserSession
from dfsp.accounts.roles import ADMIN_ROLES, ROLES_BY_ORGANISATION_KIND, OrganisationKind, Role
from dfsp.accounts.selectors import organisation_of
from dfsp.audit.services import record_event
from dfsp.core.errors import AccessDenied, Conflict, ValidationFailed
from dfsp.core.identifiers import validate_uscc
from dfsp.core.regions import HEILONGJIANG_DIVISIONS


def _require_role(actor, *roles: str) -> None:
    if not actor.has_any_role(roles):
        raise AccessDenied()


def _session_store(session_key: str) -> SessionBase:
    return import_string(f"{settings.SESSION_ENGINE}.SessionStore")(session_key)


# --- Organisations ---------------------------------------------------------------------------


def create_organisation(
    *,
    actor,
    kind: str,
    name: str,
    region_code: str,
    uscc: str = "",
    institution_subtype: str = "",
    short_name: str = "",
) -> Organisation:
    _require_role(actor, Role.SYSTEM_ADMIN)
    if kind not in OrganisationKind.values:
        raise ValidationFailed(field_errors={"kind": _("Unknown organisation kind.")})
    if kind == OrganisationKind.ENTERPRISE and not uscc:
        raise ValidationFailed(
            field_errors={"uscc": _("An enterprise needs its unified social credit code.")}
        )
    with transaction.atomic():
        organisation = _create_organisation_record(
            kind=kind,
            name=name,
            short_name=short_name.strip(),
            region_code=region_code,
            uscc=uscc,
            institution_subtype=institution_subtype if kind == OrganisationKind.INSTITUTION else "",
        )
        record_event(
            event_type="accounts.organisation.created",
            actor=actor,
            object_type="organisation",
            object_id=str(organisation.pk),
            details={"kind": kind, "name": organisation.name},
        )
    return organisation


# --- Users -----------------------------------------------------------------------------------


def generate_temporary_password() -> str:
    """A random password that satisfies every rule (all four character classes)."""
    alphabet = string.ascii_letters + string.digits + "!@#$%^&*"
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(14))
        if (
            any(c.islower() for c in candidate)
            and any(c.isupper() for c in candidate)
            and any(c.isdigit() for c in candidate)
            and any(not c.isalnum() for c in candidate)
        ):
            return candidate


def _store_password(user: User, raw_password: str) -> None:
    user.set_password(raw_password)
    user.password_changed_at = timezone.now()
    PasswordHistory.objects.create(user=user, password=user.password)
    keep = settings.PASSWORD_HISTORY_COUNT
    stale = list(user.password_history.values_list("pk", flat=True)[keep:])
    if stale:
        PasswordHistory.objects.filter(pk__in=stale).delete()


def create_user(
    *,
    actor,
    username: str,
    full_name: str,
    mobile: str | None = None,
    password: str | None = None,
    must_change_password: bool = True,
) -> tuple[User, str]:
    """Create an account with no role; returns the user and the initial password (shown once)."""
    _require_role(actor, Role.SYSTEM_ADMIN)
    return _create_user(
        actor=actor,
        username=username,
        full_name=full_name,
        mobile=mobile,
        password=password,
        must_change_password=must_change_password,
    )


def _create_user(*, actor, username, full_name, mobile, password, must_change_password) -> tuple[User, str]:
    username = (username or "").strip()
    errors = {}
    if not username:
        errors["username"] = _("The username is required.")
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = _("This username is already taken.")
    if mobile and User.objects.filter(mobile=mobile).exists():
        errors["mobile"] = _("This mobile number is already registered.")
    raw_password = password or generate_temporary_password()
    candidate = User(username=username, full_name=full_name, mobile=mobile or None)
    try:
        password_validation.validate_password(raw_password, candidate)
    except ValidationError as exc:
        errors["password"] = " ".join(exc.messages)
    if errors:
        raise ValidationFailed(field_errors=errors)
    with transaction.atomic():
        user = User(
            username=username,
            full_name=full_name,
            mobile=mobile or None,
            must_change_password=must_change_password,
        )
        user.save()
        _store_password(user, raw_password)
        user.save(update_fields=["password", "password_changed_at"])
        record_event(
            event_type="accounts.user.created",
            actor=actor,
            object_type="user",
            object_id=str(user.pk),
            details={"username": user.username},
        )
    return user, raw_password


def bootstrap_admin(
    *, username: str, full_name: str, role: str, organisation: Organisation, password: str | None = None
) -> tuple[User, str]:
    """Installation-time creation of one of the three admins (no acting user exists yet).

    The account must change its password at first login.
    """
    if role not in ADMIN_ROLES:
        raise ValidationFailed(_("Only the system, security and audit administrators can be bootstrapped."))
    with transaction.atomic():
        user, raw = _create_user(
            actor=None,
            username=username,
            full_name=full_name,
            mobile=None,
            password=password,
            must_change_password=True,
        )
        _grant(actor=None, user=user, organisation=organisation, role=role)
    return user, raw


def disable_user(*, actor, user: User, reason: str) -> None:
    _require_role(actor, Role.SYSTEM_ADMIN)
    if user.pk == actor.pk:
        raise Conflict(_("You cannot disable your own account."), code="self_disable")
    with transaction.atomic():
        _disable(user, reason=reason or _("Disabled by the system administrator."))
        record_event(
            event_type="accounts.user.disabled",
            actor=actor,
            object_type="user",
            object_id=str(user.pk),
            details={"reason": reason},
        )


def _disable(user: User, *, reason: str) -> None:
    user.is_active = False
    user.disabled_reason = str(reason)[:200]
    user.disabled_at = timezone.now()
    user.save(update_fields=["is_active", "disabled_reason", "disabled_at"])
    end_all_sessions(user)


def _enable(user: User) -> None:
    user.is_active = True
    user.disabled_reason = ""
    user.disabled_at = None
    # A re-enabled account starts its dormancy clock again.
    user.last_login = timezone.now()
    user.save(update_fields=["is_active", "disabled_reason", "disabled_at", "last_login"])


def enable_user(*, actor, user: User) -> None:
    _require_role(actor, Role.SYSTEM_ADMIN)
    with transaction.atomic():
        _enable(user)
        record_event(
            event_type="accounts.user.enabled", actor=actor, object_type="user", object_id=str(user.pk)
        )


def reset_password(*, actor, user: User) -> str:
    """Give the user a temporary password that must be changed at next login; ends their sessions."""
    _require_role(actor, Role.SYSTEM_ADMIN)
    raw = generate_temporary_password()
    with transaction.atomic():
        _store_password(user, raw)
        user.must_change_password = True
        user.save(update_fields=["password", "password_changed_at", "must_change_password"])
        end_all_sessions(user)
        record_event(
            event_type="accounts.password.reset", actor=actor, object_type="user", object_id=str(user.pk)
        )
    return raw


def change_password(
    *, user: User, old_password: str, new_password: str, keep_session_key: str | None = None
) -> None:
    if not user.check_password(old_password):
        raise ValidationFailed(field_errors={"old_password": _("Your current password is not correct.")})
    try:
        password_validation.validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationFailed(field_errors={"new_password1": " ".join(exc.messages)}) from None
    with transaction.atomic():
        _store_password(user, new_password)
        user.must_change_password = False
        user.save(update_fields=["password", "password_changed_at", "must_change_password"])
        end_all_sessions(user, except_key=keep_session_key)
        record_event(
            event_type="auth.password.changed", actor=user, object_type="user", object_id=str(user.pk)
        )


# --- Roles (三权分立) -------------------------------------------------------------------------


def grant_role(*, actor, user: User, organisation: Organisation, role: str) -> Membership:
    _require_role(actor, Role.SECURITY_ADMIN)
    if role in ADMIN_ROLES:
        raise AccessDenied(
            _("Administrator roles are assigned only at installation."), code="admin_role_reserved"
        )
    with transaction.atomic():
        return _grant(actor=actor, user=user, organisation=organisation, role=role)


def _grant(*, actor, user: User, organisation: Organisation, role: str) -> Membership:
    User.objects.select_for_update().filter(pk=user.pk).first()
    if role not in ROLES_BY_ORGANISATION_KIND.get(organisation.kind, frozenset()):
        raise ValidationFailed(
            field_errors={"role": _("This role does not exist for this kind of organisation.")}
        )
    existing = list(Membership.objects.filter(user=user))
    held = {m.role for m in existing}
    if role in held:
        raise Conflict(_("The user already holds this role."), code="role_held")
    if any(m.organisation_id != organisation.pk for m in existing):
        raise Conflict(_("A user belongs to one organisation only."), code="other_organisation")
    if held & ADMIN_ROLES or (role in ADMIN_ROLES and held):
        raise Conflict(
            _("System, security and audit administrators must be separate people with no other role."),
            code="separation_of_duties",
        )
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                user=user, organisation=organisation, role=role, granted_by=actor
            )
    except IntegrityError:
        raise Conflict(
            _("System, security and audit administrators must be separate people with no other role."),
            code="separation_of_duties",
        ) from None
    user.forget_cached_roles()
    record_event(
        event_type="accounts.role.granted",
        actor=actor,
        organisation=organisation,
        object_type="user",
        object_id=str(user.pk),
        details={"role": role},
    )
    return membership


def revoke_role(*, actor, user: User, role: str) -> None:
    _require_role(actor, Role.SECURITY_ADMIN)
    if role in ADMIN_ROLES:
        raise AccessDenied(
            _("Administrator roles are assigned only at installation."), code="admin_role_reserved"
        )
    with transaction.atomic():
        deleted, _rows = Membership.objects.filter(user=user, role=role).delete()
        if not deleted:
            raise Conflict(_("The user does not hold this role."), code="role_not_held")
        user.forget_cached_roles()
        end_all_sessions(user)
        record_event(
            event_type="accounts.role.revoked",
            actor=actor,
            object_type="user",
            object_id=str(user.pk),
            details={"role": role},
        )


# --- Second factor and lockouts ----------------------------------------------------------------


def reset_second_factor(*, actor, user: User) -> None:
    _require_role(actor, Role.SECURITY_ADMIN)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        end_all_sessions(user)
        record_event(event_type="auth.otp.reset", actor=actor, object_type="user", object_id=str(user.pk))


def reenrol_own_authenticator(*, user: User, password: str, token: str) -> None:
    """A user replaces their own authenticator after proving the password and a current code.

    Every session ends; the next login enrols the new device.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    errors = {}
    if not user.check_password(password):
        errors["password"] = _("Your current password is not correct.")
    if device is None or not device.verify_token(token):
        errors["token"] = _("The code is wrong or has expired. Codes change every 30 seconds.")
    if errors:
        raise ValidationFailed(field_errors=errors)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        end_all_sessions(user)
        record_event(
            event_type="auth.otp.reset",
            actor=user,
            object_type="user",
            object_id=str(user.pk),
            details={"by": "self"},
        )


def unlock_account(*, actor, username: str) -> int:
    _require_role(actor, Role.SECURITY_ADMIN)
    with transaction.atomic():
        removed = axes_reset(username=username.lower())
        record_event(
            event_type="auth.lockout.cleared",
            actor=actor,
            object_type="login",
            object_id=username,
            details={"attempt_records_removed": removed},
        )
    return removed


def start_totp_enrolment(user: User) -> TOTPDevice:
    """An unconfirmed device whose secret the user scans; reused until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    return device


def confirm_totp_enrolment(*, user: User, device: TOTPDevice) -> None:
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        record_event(event_type="auth.otp.enrolled", actor=user, object_type="user", object_id=str(user.pk))


# --- Sessions and login events ----------------------------------------------------------------


def register_session(*, user: User, session_key: str, ip: str | None, user_agent: str) -> None:
    with transaction.atomic():
        UserSession.objects.update_or_create(
            session_key=session_key, defaults={"user": user, "ip": ip, "user_agent": user_agent[:300]}
        )
        record_event(
            event_type="auth.login.success",
            actor=user,
            object_type="user",
            object_id=str(user.pk),
        )


def end_all_sessions(user: User, *, except_key: str | None = None) -> int:
    ended = 0
    for tracked in UserSession.objects.filter(user=user).exclude(session_key=except_key or ""):
        _session_store(tracked.session_key).delete()
        tracked.delete()
        ended += 1
    return ended


def end_session(*, user: User, session_key: str) -> None:
    UserSession.objects.filter(user=user, session_key=session_key).delete()


def record_login_failure(*, identifier: str, reason: str) -> None:
    """Audit a failed login without revealing (in the row) whether the account exists."""
    record_event(
        event_type="auth.login.failure",
        outcome="failure",
        object_type="login",
        object_id=identifier[:150],
        details={"reason": reason},
    )


def record_logout(user: User) -> None:
    record_event(event_type="auth.logout", actor=user, object_type="user", object_id=str(user.pk))


# --- Dormant accounts ------------------------------------------------------------------------


def disable_dormant_accounts(*, now=None) -> dict:
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.DORMANT_ACCOUNT_DAYS)
    dormant = User.objects.filter(is_active=True).filter(
        Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff)
    )
    disabled = 0
    for user in dormant.iterator():
        with transaction.atomic():
            _disable(user, reason=_("Not used for %(days)d days.") % {"days": settings.DORMANT_ACCOUNT_DAYS})
            record_event(
                event_type="accounts.user.disabled_dormant",
                object_type="user",
                object_id=str(user.pk),
                organisation=organisation_of(user),
                details={"days": settings.DORMANT_ACCOUNT_DAYS},
            )
        disabled += 1
    return {"disabled": disabled}


def move_session(*, user: User, old_key: str, new_key: str) -> None:
    """Follow a session whose id Django rotated (e.g. after a password change)."""
    UserSession.objects.filter(user=user, session_key=old_key).update(session_key=new_key)


# --- Self-service registration and organisation members ------------------------------------------


def register_enterprise_account(
    *, name: str, uscc: str, region_code: str, username: str, full_name: str, mobile: str, password: str
) -> tuple[Organisation, User]:
    """Public sign-up: a new enterprise organisation and its first administrator.

    Callers (the enterprises app) verify the mobile number and throttle sign-ups first.
    """
    errors = {}
    try:
        uscc = validate_uscc(uscc)
    except ValidationError as exc:
        errors["uscc"] = exc.messages[0]
    if region_code not in HEILONGJIANG_DIVISIONS:
        errors["region_code"] = _("Choose a valid GB/T 2260 division code.")
    if not name.strip():
        errors["name"] = _("The name is required.")
    if errors:
        raise ValidationFailed(field_errors=errors)
    with transaction.atomic():
        if Organisation.objects.select_for_update().filter(uscc=uscc).exists():
            raise Conflict(
                _(
                    "This unified social credit code is already registered. Ask that enterprise's administrator to add you."
                ),
                code="uscc_taken",
            )
        organisation = Organisation.objects.create(
            kind=OrganisationKind.ENTERPRISE, name=name.strip(), region_code=region_code, uscc=uscc
        )
        user, _raw = _create_user(
            actor=None,
            username=username,
            full_name=full_name,
            mobile=mobile,
            password=password,
            must_change_password=False,
        )
        Membership.objects.create(user=user, organisation=organisation, role=Role.ENTERPRISE_ADMIN)
        record_event(
            event_type="accounts.enterprise.registered",
            actor=user,
            organisation=organisation,
            object_type="organisation",
            object_id=str(organisation.pk),
            details={"name": organisation.name},
        )
    return organisation, user


def onboard_institution(
    *,
    actor,
    name: str,
    institution_subtype: str,
    region_code: str,
    uscc: str = "",
    short_name: str = "",
    admin_username: str,
    admin_full_name: str,
    admin_mobile: str | None = None,
) -> tuple[Organisation, User, str]:
    """An operator registers a financial institution with its administrator (one-time password)."""
    _require_role(actor, Role.OPERATOR)
    with transaction.atomic():
        organisation = _create_organisation_record(
            kind=OrganisationKind.INSTITUTION,
            name=name,
            region_code=region_code,
            uscc=uscc,
            institution_subtype=institution_subtype,
            short_name=short_name,
        )
        admin, raw = _create_user(
            actor=actor,
            username=admin_username,
            full_name=admin_full_name,
            mobile=admin_mobile,
            password=None,
            must_change_password=True,
        )
        Membership.objects.create(
            user=admin, organisation=organisation, role=Role.INSTITUTION_ADMIN, granted_by=actor
        )
        record_event(
            event_type="accounts.institution.onboarded",
            actor=actor,
            organisation=organisation,
            object_type="organisation",
            object_id=str(organisation.pk),
            details={"name": organisation.name, "admin": admin.username},
        )
    return organisation, admin, raw


def _create_organisation_record(**fields) -> Organisation:
    """Validation shared by operator onboarding; raises ValidationFailed/Conflict like create_organisation."""
    errors = {}
    if fields["region_code"] not in HEILONGJIANG_DIVISIONS:
        errors["region_code"] = _("Choose a valid GB/T 2260 division code.")
    if fields["kind"] == OrganisationKind.INSTITUTION and not fields.get("institution_subtype"):
        errors["institution_subtype"] = _("A financial institution needs a subtype.")
    if fields.get("uscc"):
        try:
            fields["uscc"] = validate_uscc(fields["uscc"])
        except ValidationError as exc:
            errors["uscc"] = exc.messages[0]
    if not fields["name"].strip():
        errors["name"] = _("The name is required.")
    if errors:
        raise ValidationFailed(field_errors=errors)
    if fields.get("uscc") and Organisation.objects.filter(uscc=fields["uscc"]).exists():
        raise Conflict(
            _("An organisation with this unified social credit code already exists."), code="uscc_taken"
        )
    fields["name"] = fields["name"].strip()
    return Organisation.objects.create(**fields)


MEMBER_ROLES_BY_ADMIN = {
    Role.ENTERPRISE_ADMIN: frozenset({Role.ENTERPRISE_USER, Role.ENTERPRISE_ADMIN}),
    Role.INSTITUTION_ADMIN: frozenset({Role.INSTITUTION_USER, Role.INSTITUTION_ADMIN}),
}


def _admin_scope(actor) -> tuple[Organisation, frozenset[str]]:
    for admin_role, roles in MEMBER_ROLES_BY_ADMIN.items():
        if actor.has_role(admin_role):
            return organisation_of(actor), roles
    raise AccessDenied()


def add_member(*, actor, username: str, full_name: str, mobile: str | None, role: str) -> tuple[User, str]:
    """An enterprise or institution admin adds a member to their own organisation (one-time password)."""
    organisation, allowed = _admin_scope(actor)
    if role not in allowed:
        raise ValidationFailed(
            field_errors={"role": _("This role does not exist for this kind of organisation.")}
        )
    with transaction.atomic():
        user, raw = _create_user(
            actor=actor,
            username=username,
            full_name=full_name,
            mobile=mobile,
            password=None,
            must_change_password=True,
        )
        Membership.objects.create(user=user, organisation=organisation, role=role, granted_by=actor)
        record_event(
            event_type="accounts.member.added",
            actor=actor,
            object_type="user",
            object_id=str(user.pk),
            details={"role": role},
        )
    return user, raw


def set_member_active(*, actor, member: User, active: bool, reason: str = "") -> None:
    """An organisation admin disables or re-enables a member of their own organisation."""
    organisation, _allowed = _admin_scope(actor)
    if organisation_of(member) != organisation:
        from dfsp.core.errors import NotFound

        raise NotFound()
    if member.pk == actor.pk:
        raise Conflict(_("You cannot disable your own account."), code="self_disable")
    with transaction.atomic():
        if active:
            _enable(member)
        else:
            _disable(member, reason=reason or _("Disabled by the organisation administrator."))
        record_event(
            event_type="accounts.member.enabled" if active else "accounts.member.disabled",
            actor=actor,
            object_type="user",
            object_id=str(member.pk),
            details={"reason": reason},
        )
