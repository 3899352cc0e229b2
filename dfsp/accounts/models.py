from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dfsp.accounts.roles import ADMIN_ROLES, InstitutionSubtype, OrganisationKind, Role
from dfsp.core.identifiers import validate_uscc
from dfsp.core.regions import full_region_name

mobile_validator = RegexValidator(r"^1[3-9]\d{9}$", _("Enter an 11-digit mainland mobile number."))


class Organisation(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    institution_subtype = models.CharField(
        _("institution subtype"), max_length=20, choices=InstitutionSubtype.choices, blank=True
    )
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    region_code = models.CharField(_("region (GB/T 2260)"), max_length=6)
    uscc = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, validators=[validate_uscc]
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["uscc"], condition=~Q(uscc=""), name="organisation_uscc_unique"),
            models.CheckConstraint(
                condition=Q(kind="institution") | Q(institution_subtype=""),
                name="organisation_subtype_only_for_institutions",
            ),
            models.CheckConstraint(
                condition=~Q(kind="institution") | ~Q(institution_subtype=""),
                name="organisation_institution_has_subtype",
            ),
            models.CheckConstraint(
                condition=~Q(kind="enterprise") | ~Q(uscc=""),
                name="organisation_enterprise_has_uscc",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def region_name(self) -> str:
        return full_region_name(self.region_code)


class User(AbstractUser):
    """A person who logs in. Roles come from Membership rows, never from Django's is_superuser."""

    mobile = models.CharField(
        _("mobile number"), max_length=11, null=True, blank=True, unique=True, validators=[mobile_validator]
    )
    full_name = models.CharField(_("full name"), max_length=60, blank=True)
    must_change_password = models.BooleanField(_("must change password"), default=False)
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)
    disabled_reason = models.CharField(_("reason for disabling"), max_length=200, blank=True)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    # Role helpers are cached per instance; services clear the cache after changing memberships.
    def role_codes(self) -> frozenset[str]:
        if not self.is_authenticated or not self.pk:
            return frozenset()
        cached = getattr(self, "_role_codes", None)
        if cached is None:
            cached = frozenset(self.memberships.values_list("role", flat=True))
            self._role_codes = cached
        return cached

    def has_role(self, role: str) -> bool:
        return role in self.role_codes()

    def has_any_role(self, roles) -> bool:
        return bool(self.role_codes() & set(roles))

    def forget_cached_roles(self) -> None:
        self.__dict__.pop("_role_codes", None)


class Membership(models.Model):
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    granted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("granted by")
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="membership_user_role_unique"),
            # 三权分立 at the database level: at most one admin role per user.
            models.UniqueConstraint(
                fields=["user"], condition=Q(role__in=sorted(ADMIN_ROLES)), name="membership_one_admin_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organisation}"


class PasswordHistory(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.created_at:%Y-%m-%d}"


class UserSession(models.Model):
    """Every live session of a user, so that logout and disabling can end all of them."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"{self.user_id}:{self.session_key[:6]}"


class ApiKey(models.Model):
    """A per-organisation key for an institution's own systems. Only a hash is stored."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="api_keys", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(_("key prefix"), max_length=8, unique=True)
    key_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("revoked by")
    )

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
