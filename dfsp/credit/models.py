"""Decision models (决策模型服务): credit scorecards, anti-fraud rules and credit limits; versioned,
explainable, re-computable scores."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dfsp.credit.states import ModelKind, VersionMethod, VersionStatus


class DecisionModel(models.Model):
    """A platform model (one per kind); institutions own versions of it with their own parameters."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ModelKind.choices)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("decision model")
        verbose_name_plural = _("decision models")
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return self.name


class ModelVersion(models.Model):
    """Parameters of a model at one point; only an active version scores."""

    model = models.ForeignKey(DecisionModel, on_delete=models.PROTECT, related_name="versions")
    owner = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner institution"),
    )  # null: the platform's own version
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    method = models.CharField(_("method"), max_length=10, choices=VersionMethod.choices)
    params = models.JSONField(_("parameters"), default=dict)
    validation = models.JSONField(_("validation figures"), default=dict, blank=True)
    derived_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="derived"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    activated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("model version")
        verbose_name_plural = _("model versions")
        ordering = ["model", "owner_id", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["model"],
                condition=Q(status="active", owner__isnull=True),
                name="credit_one_active_platform_version",
            ),
            models.UniqueConstraint(
                fields=["model", "owner"],
                condition=Q(status="active", owner__isnull=False),
                name="credit_one_active_owner_version",
            ),
            models.UniqueConstraint(fields=["model", "owner", "number"], name="credit_version_number"),
        ]

    def __str__(self) -> str:
        return f"{self.model.code} v{self.number}"

    @property
    def label(self) -> str:
        owner = self.owner.name if self.owner_id else str(_("Platform"))
        return f"{self.model.name} v{self.number} ({owner})"


class VersionEvent(models.Model):
    """Every step of a version: created, edited, fitted, activated, retired."""

    version = models.ForeignKey(ModelVersion, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    occurred_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.version} {self.action}"


class Score(models.Model):
    """One output of one model version for one enterprise: inputs, SM3 of the inputs, outputs, why."""

    version = models.ForeignKey(ModelVersion, on_delete=models.PROTECT, related_name="scores")
    kind = models.CharField(_("kind"), max_length=20, choices=ModelKind.choices)
    assessment_key = models.CharField(max_length=32, db_index=True)  # groups one assess() call's rows
    uscc = models.CharField(_("unified social credit code"), max_length=18, db_index=True)
    enterprise_name = models.CharField(_("enterprise"), max_length=200, blank=True)
    requested_by_org = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    purpose_type = models.CharField(_("purpose"), max_length=20)
    purpose_id = models.CharField(_("purpose reference"), max_length=64, blank=True)
    self_assessment = models.BooleanField(default=False)  # an enterprise's pre-assessment of itself
    call_log_id = models.BigIntegerField(null=True)  # consent call log of the gated read
    inputs = models.JSONField(default=dict)
    inputs_hash = models.CharField(max_length=64)  # SM3 over the canonical JSON of inputs
    outputs = models.JSONField(default=dict)
    explanation = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["requested_by_org", "created_at"], name="credit_score_org"),
            models.Index(fields=["uscc", "self_assessment", "kind"], name="credit_score_self"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.uscc} #{self.pk}"
