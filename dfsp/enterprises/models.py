"""Enterprise profiles, certification (FIN-P1), its materials and events, the blacklist, SMS codes."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dfsp.core.industries import industry_choices, scale_choices
from dfsp.enterprises.states import BlacklistKind, CertificationStatus


class EnterpriseProfile(models.Model):
    """What the platform knows about an enterprise beyond its organisation record."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="enterprise_profile"
    )
    legal_representative = models.CharField(_("legal representative"), max_length=60)
    industry = models.CharField(_("industry (GB/T 4754)"), max_length=1, choices=industry_choices())
    scale = models.CharField(_("scale"), max_length=10, choices=scale_choices())
    address = models.CharField(_("registered address"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=60, blank=True)
    contact_mobile = models.CharField(_("contact mobile"), max_length=11, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("enterprise profile")
        verbose_name_plural = _("enterprise profiles")

    def __str__(self) -> str:
        return str(self.organisation)


class Certification(models.Model):
    """One per enterprise; resubmissions move the same row, the events keep the history."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="certification"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CertificationStatus.choices, default=CertificationStatus.DRAFT
    )
    submitted_by_agent = models.BooleanField(_("submitted by an authorised agent"), default=False)
    agent_name = models.CharField(_("agent name"), max_length=60, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    blacklist_entry = models.ForeignKey(
        "BlacklistEntry", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        indexes = [models.Index(fields=["status", "submitted_at"], name="certification_queue_idx")]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.get_status_display()}"

    @property
    def is_certified(self) -> bool:
        return self.status == CertificationStatus.APPROVED


class CertificationEvent(models.Model):
    """Every step of a certification, time-stamped (the history the enterprise sees)."""

    certification = models.ForeignKey(Certification, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=CertificationStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=CertificationStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.certification_id}: {self.from_status} -> {self.to_status}"


class CertificationMaterial(models.Model):
    class Kind(models.TextChoices):
        BUSINESS_LICENCE = "business_licence", _("Business licence")
        AUTHORISATION_LETTER = "authorisation_letter", _("Authorisation letter")
        OTHER = "other", _("Other material")

    certification = models.ForeignKey(Certification, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    file = models.FileField(upload_to="enterprises/certifications/%Y/%m/", max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.original_name


class BlacklistEntryQuerySet(models.QuerySet):
    def in_force(self, on=None):
        """Entries that match today: started, not past their end date, not ended by an operator."""
        today = on or timezone.localdate()
        return self.filter(start_date__lte=today, ended_at__isnull=True).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=today)
        )


class BlacklistEntry(models.Model):
    uscc = models.CharField(_("unified social credit code"), max_length=18, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("list"), max_length=30, choices=BlacklistKind.choices)
    source = models.CharField(_("source"), max_length=100)
    reason = models.TextField(_("reason"))
    issuing_body = models.CharField(_("issuing body"), max_length=100)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # When certified enterprises were last checked against this entry; empty while an entry dated
    # in the future waits for its start date (the daily job applies it then).
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    objects = BlacklistEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("blacklist entry")
        verbose_name_plural = _("blacklist entries")
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="blacklist_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.get_kind_display()}"

    @property
    def in_force(self) -> bool:
        today = timezone.localdate()
        return (
            self.ended_at is None
            and self.start_date <= today
            and (self.end_date is None or self.end_date >= today)
        )


class OneTimeCode(models.Model):
    """An SMS verification code; only its keyed hash is stored."""

    mobile = models.CharField(max_length=11, db_index=True)
    purpose = models.CharField(max_length=20)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.purpose} code ({self.created_at:%Y-%m-%d %H:%M})"
