"""Scopes, versioned consent templates, grants (with immutable evidence), requests, call logs."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dfsp.consent.states import (
    SUPERVISOR_READ_LABELS,
    Channel,
    GrantStatus,
    PurposeType,
    Reason,
    RequestStatus,
)


class Scope(models.Model):
    """A group of data elements an enterprise authorises as one (AUTH-1…AUTH-4).

    ``categories`` are datahub categories; ``elements`` (optional) narrows them to these element
    codes; ``months_back`` = 0 means no time limit. A grant copies the definition when signed, so
    a later edit never widens or narrows what an enterprise already signed.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    description = models.CharField(_("description"), max_length=300, blank=True)
    categories = models.JSONField(_("data categories"), default=list)
    elements = models.JSONField(_("data elements (empty: all of the categories)"), default=list, blank=True)
    months_back = models.PositiveSmallIntegerField(_("query range (months back, 0 = unlimited)"), default=36)
    sensitivity = models.PositiveSmallIntegerField(
        _("sensitivity (1–5)"), default=2, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(default=100)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    def definition(self) -> dict:
        return {
            "name": self.name,
            "categories": list(self.categories),
            "elements": list(self.elements),
            "months_back": self.months_back,
            "sensitivity": self.sensitivity,
        }


class ImmutableRow(models.Model):
    """Rows that are written once: a second save or a delete is refused."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError(f"{type(self).__name__} rows are immutable once written.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError(f"{type(self).__name__} rows cannot be deleted.")


class ConsentTemplate(ImmutableRow):
    """One version of the consent text; placeholders are filled when a grant is shown and signed."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("text"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"v{self.version} {self.title}"


class Grant(models.Model):
    """An enterprise's consent for one institution, some scopes, one purpose (AUTH-5).

    Evidence fields never change after signing (``save`` refuses); only the status fields move.
    """

    MUTABLE_FIELDS = frozenset({"status", "query_count", "ended_at", "ended_by", "end_reason"})

    enterprise = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    uscc = models.CharField(max_length=18, db_index=True)
    institution = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    scope_codes = models.JSONField(default=list)
    scope_snapshot = models.JSONField(default=dict)
    purpose_type = models.CharField(_("purpose"), max_length=20, choices=PurposeType.choices)
    purpose_id = models.CharField(_("purpose reference"), max_length=64)
    purpose_label = models.CharField(max_length=200, blank=True)
    valid_from = models.DateTimeField(default=timezone.now)
    valid_until = models.DateTimeField(_("valid until"))
    query_limit = models.PositiveIntegerField(_("query limit"), null=True, blank=True)
    query_count = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=12, choices=GrantStatus.choices, default=GrantStatus.ACTIVE)
    template = models.ForeignKey(ConsentTemplate, on_delete=models.PROTECT, related_name="grants")
    text = models.TextField()
    text_hash = models.CharField(max_length=64)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(default=timezone.now)
    signer_ip = models.GenericIPAddressField(null=True, blank=True)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.WEB)
    request = models.OneToOneField(
        "consent.GrantRequest", null=True, blank=True, on_delete=models.PROTECT, related_name="grant"
    )
    signature = models.TextField()  # platform SM2 signature (hex, DER) over canonical_evidence()
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    end_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-signed_at", "-pk"]
        indexes = [
            models.Index(
                fields=["institution", "uscc", "purpose_type", "purpose_id"], name="consent_grant_lookup"
            ),
            models.Index(fields=["status", "valid_until"], name="consent_grant_expiry"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gt=models.F("valid_from")), name="consent_grant_window"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.uscc} → {self.institution_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            fields = kwargs.get("update_fields")
            if fields is None or not set(fields) <= self.MUTABLE_FIELDS:
                raise ValueError(
                    "A grant's evidence is immutable: save(update_fields=…) with status fields only."
                )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Grants are evidence and cannot be deleted.")

    @property
    def remaining(self) -> int | None:
        return None if self.query_limit is None else max(self.query_limit - self.query_count, 0)


class GrantRequest(models.Model):
    """An institution asks an enterprise for a grant; the enterprise accepts (signs) or declines."""

    enterprise = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    uscc = models.CharField(max_length=18)
    institution = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    scope_codes = models.JSONField(default=list)
    purpose_type = models.CharField(_("purpose"), max_length=20, choices=PurposeType.choices)
    purpose_id = models.CharField(_("purpose reference"), max_length=64)
    reason = models.CharField(_("reason"), max_length=300)
    query_limit = models.PositiveIntegerField(_("query limit"), null=True, blank=True)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    status = models.CharField(max_length=12, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"request #{self.pk} {self.uscc}"


class CallLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValueError("Call logs are append-only.")

    def delete(self):
        raise ValueError("Call logs are append-only.")


class CallLog(ImmutableRow):
    """One decision of the gate (allowed or denied). No foreign keys: nothing cascades into it."""

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    reader_org_id = models.BigIntegerField(null=True)
    reader_org_name = models.CharField(max_length=200, blank=True)
    reader_kind = models.CharField(max_length=20, blank=True)  # institution | operator | government
    user_id = models.BigIntegerField(null=True)
    username = models.CharField(max_length=150, blank=True)
    api_key_prefix = models.CharField(max_length=8, blank=True)
    role = models.CharField(max_length=100, blank=True)
    uscc = models.CharField(max_length=40, db_index=True)
    enterprise_id = models.BigIntegerField(null=True)
    requested = models.JSONField(default=list)
    returned = models.JSONField(default=list)
    purpose_type = models.CharField(max_length=20, blank=True)
    purpose_id = models.CharField(max_length=64, blank=True)
    grant_id = models.BigIntegerField(null=True, db_index=True)
    allowed = models.BooleanField()
    reason = models.CharField(max_length=40)
    channel = models.CharField(max_length=8)
    request_id = models.CharField(max_length=64, blank=True)

    objects = CallLogQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["reader_org_id", "occurred_at"], name="consent_log_reader"),
            models.Index(fields=["enterprise_id", "occurred_at"], name="consent_log_enterprise"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.uscc} {self.reason}"

    @property
    def purpose_display(self) -> str:
        """What the read was for, in words: the grant's purpose and reference, or the supervisor's page."""
        if self.purpose_type in PurposeType.values:
            return f"{PurposeType(self.purpose_type).label} {self.purpose_id}".strip()
        if self.purpose_id in SUPERVISOR_READ_LABELS:
            return str(SUPERVISOR_READ_LABELS[self.purpose_id])
        return " ".join(part for part in (self.purpose_type, self.purpose_id) if part)

    @property
    def reason_display(self) -> str:
        return str(Reason(self.reason).label) if self.reason in Reason.values else self.reason


class SigningSecret(models.Model):
    """The HMAC-SM3 request-signing secret of one API key, SM4-GCM encrypted at rest."""

    api_key_prefix = models.CharField(max_length=8, unique=True)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    secret_encrypted = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.api_key_prefix


class SeenNonce(models.Model):
    """Nonces of signed API requests inside the replay window (purged by a task)."""

    api_key_prefix = models.CharField(max_length=8)
    nonce = models.CharField(max_length=64)
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["api_key_prefix", "nonce"], name="consent_nonce_once")]

    def __str__(self) -> str:
        return f"{self.api_key_prefix}:{self.nonce}"
