"""Matching demands and products (FIN-2): vectorised, incremental, ranked with reasons."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Match(models.Model):
    """One eligible (demand, product) pair. ``reasons`` holds per-factor codes and points, never
    text: labels are translated when shown (see reasons.py)."""

    demand = models.ForeignKey("financing.Demand", on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey("institutions.Product", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("match score"))
    reasons = models.JSONField(_("reasons"), default=dict)
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        ordering = ["-score", "pk"]
        constraints = [models.UniqueConstraint(fields=["demand", "product"], name="match_once_per_pair")]
        indexes = [
            models.Index(fields=["demand", "-score"], name="match_demand_score_idx"),
            models.Index(fields=["product", "-score"], name="match_product_score_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.demand_id}×{self.product_id}: {self.score:.1f}"


class MatchedDemand(models.Model):
    """A demand's matches were computed (possibly none eligible): pages compute only when absent."""

    demand = models.OneToOneField("financing.Demand", on_delete=models.CASCADE, related_name="+")
    matches_count = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.demand_id}: {self.matches_count}"


class MatchRun(models.Model):
    """One recomputation. The periodic run picks up demands published and products updated since
    the watermarks of the last successful run."""

    class Trigger(models.TextChoices):
        PERIODIC = "periodic", _("Scheduled")
        OPERATOR = "operator", _("Operator recompute")
        ON_DEMAND = "on_demand", _("Page opened before matching")

    trigger = models.CharField(_("trigger"), max_length=20, choices=Trigger.choices)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    succeeded = models.BooleanField(default=False)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    demands_matched = models.PositiveIntegerField(_("demands matched"), default=0)
    products_matched = models.PositiveIntegerField(_("products matched"), default=0)
    matches_written = models.PositiveIntegerField(_("matches written"), default=0)
    matches_removed = models.PositiveIntegerField(_("stale matches removed"), default=0)
    demand_watermark = models.DateTimeField(null=True, blank=True)
    product_watermark = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(_("seconds"), default=0)

    class Meta:
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.trigger} {self.started_at:%Y-%m-%d %H:%M}"
