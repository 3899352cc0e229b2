"""Timeliness: late applications, urging (催办) and escalation (督办).

``LatenessFlag`` is one step of one application found late by the job (once per step and due
time, so the institution is told once); ``Urge`` is a regulator's or operator's push with the
institution's reply; ``Escalation`` is a 督办 item opened by the third urge.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dfsp.timeliness.states import EscalationStatus, Step, UrgeLevel


class LatenessFlag(models.Model):
    application = models.ForeignKey("financing.Application", on_delete=models.CASCADE, related_name="+")
    institution = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    due_at = models.DateTimeField(_("due by"))
    flagged_at = models.DateTimeField(_("flagged at"), default=timezone.now)

    class Meta:
        verbose_name = _("lateness flag")
        verbose_name_plural = _("lateness flags")
        ordering = ["-flagged_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "step", "due_at"], name="lateness_flag_once_per_step_due"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id}/{self.step} late since {self.due_at:%Y-%m-%d}"


class Urge(models.Model):
    application = models.ForeignKey("financing.Application", on_delete=models.CASCADE, related_name="+")
    institution = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    # The lateness being urged: the step's due time when urged (a returned application that comes
    # back to the same step is a new lateness and starts again at level 1).
    due_at = models.DateTimeField(_("due by"))
    level = models.PositiveSmallIntegerField(_("level"), choices=UrgeLevel.choices)
    note = models.TextField(_("note"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    by_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("urged at"), default=timezone.now)
    reply = models.TextField(_("reply"), blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # An institution's system replying with an API key has no person.
    replied_by_key = models.CharField(max_length=20, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)

    class Meta:
        verbose_name = _("urge")
        verbose_name_plural = _("urges")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["institution", "replied_at"], name="urge_institution_reply_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=1) & Q(level__lte=3), name="urge_level_1_to_3"),
            models.CheckConstraint(
                condition=Q(replied_at__isnull=True) | ~Q(reply=""), name="urge_reply_has_text"
            ),
        ]

    def __str__(self) -> str:
        return f"urge {self.pk} of application {self.application_id} (level {self.level})"

    @property
    def answered(self) -> bool:
        return self.replied_at is not None


class Escalation(models.Model):
    """督办: a late application referred to the regulators' supervision list by the third urge."""

    application = models.ForeignKey("financing.Application", on_delete=models.CASCADE, related_name="+")
    institution = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    urge = models.ForeignKey(Urge, on_delete=models.PROTECT, related_name="escalations")
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=EscalationStatus.choices, default=EscalationStatus.OPEN
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    close_note = models.TextField(_("closing note"), blank=True)

    class Meta:
        verbose_name = _("supervision item")
        verbose_name_plural = _("supervision items")
        ordering = ["status", "-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "step"],
                condition=Q(status="open"),
                name="escalation_one_open_per_step",
            )
        ]

    def __str__(self) -> str:
        return f"督办 {self.pk}: application {self.application_id}"
