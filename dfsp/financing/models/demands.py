"""Financing demands (FIN-P2): published by certified enterprises, reviewed, browsed and taken by
institutions; contact details revealed per institution; institution users' favourites."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dfsp.core.industries import industry_choices, scale_choices
from dfsp.financing.states import DemandStatus, Guarantee, Urgency


class Demand(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="financing_demands"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=100)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=18, decimal_places=2)
    term_months = models.PositiveSmallIntegerField(_("term (months)"))
    purpose = models.TextField(_("purpose"))
    acceptable_rate = models.DecimalField(
        _("highest acceptable annual rate (%)"), max_digits=5, decimal_places=2
    )
    guarantee = models.CharField(_("guarantee offered"), max_length=20, choices=Guarantee.choices)
    urgency = models.CharField(_("urgency"), max_length=20, choices=Urgency.choices, default=Urgency.NORMAL)
    valid_until = models.DateField(_("valid until"))
    contact_name = models.CharField(_("contact person"), max_length=60)
    contact_mobile = models.CharField(_("contact mobile"), max_length=11)
    # Copied from the enterprise at publication so institutions can filter without joins across apps.
    region_code = models.CharField(_("region"), max_length=6)
    industry = models.CharField(_("industry"), max_length=1, choices=industry_choices())
    scale = models.CharField(_("scale"), max_length=10, choices=scale_choices())
    status = models.CharField(
        _("status"), max_length=20, choices=DemandStatus.choices, default=DemandStatus.PENDING_REVIEW
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_reason = models.TextField(_("review reason"), blank=True)
    published_at = models.DateTimeField(_("live since"), null=True, blank=True)
    taken_by_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    taken_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)

    class Meta:
        verbose_name = _("financing demand")
        verbose_name_plural = _("financing demands")
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["status", "valid_until"], name="demand_status_valid_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="demand_amount_positive"),
            models.CheckConstraint(
                condition=~Q(status="taken") | Q(taken_by_organisation__isnull=False),
                name="demand_taken_has_taker",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class DemandEvent(models.Model):
    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=DemandStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=DemandStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.demand_id}: {self.from_status} -> {self.to_status}"


class DemandReveal(models.Model):
    """The enterprise showed its contact details to one institution."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="reveals")
    institution = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    revealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    revealed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["demand", "institution"], name="demand_reveal_once_per_institution"
            )
        ]

    def __str__(self) -> str:
        return f"{self.demand_id} -> {self.institution_id}"


class DemandFavourite(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    institution = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="favourites")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "demand"], name="demand_favourite_once")]

    def __str__(self) -> str:
        return f"{self.user_id} ★ {self.demand_id}"
