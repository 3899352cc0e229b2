"""Financing demands (FIN-P2): published by certified enterprises, reviewed, browsed and taken by
institutions; contact details revealed per institution; institution users' favourites."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dfsp.core.industries import industry_choices, scale_choices
from dfsp.financing.states import ApplicationStatus, ApplicationStep, DemandStatus, Guarantee, Urgency


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


class RejectionReason(models.Model):
    """The maintained list of coded rejection reasons, each with advice the enterprise sees."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label = models.CharField(_("reason"), max_length=100)
    advice = models.TextField(_("what the enterprise could do"), blank=True)
    active = models.BooleanField(_("in use"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("rejection reason")
        verbose_name_plural = _("rejection reasons")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.label


class Application(models.Model):
    """An enterprise's loan application to one live product (FIN-P3)."""

    enterprise = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="loan_applications"
    )
    institution = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="received_applications"
    )
    product = models.ForeignKey("institutions.Product", on_delete=models.PROTECT, related_name="applications")
    demand = models.ForeignKey(Demand, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reapplications"
    )
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Copied at submission: the review queue filters without joins across apps.
    enterprise_name = models.CharField(_("enterprise"), max_length=200)
    uscc = models.CharField(_("unified social credit code"), max_length=18, db_index=True)
    product_name = models.CharField(_("product"), max_length=100)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=18, decimal_places=2)
    term_months = models.PositiveSmallIntegerField(_("term (months)"))
    purpose = models.TextField(_("purpose"))
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    # The step a returned application resumes at (submitted or accepted).
    returned_from = models.CharField(max_length=20, choices=ApplicationStatus.choices, blank=True)
    return_reason = models.TextField(_("information requested"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # The time-limited step now running and when it is due (working-day calendar); empty when none.
    current_step = models.CharField(max_length=20, choices=ApplicationStep.choices, blank=True)
    step_started_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(_("due by"), null=True, blank=True, db_index=True)
    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_amount = models.DecimalField(
        _("approved amount (yuan)"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    approved_rate = models.DecimalField(
        _("approved annual rate (%)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    approved_term_months = models.PositiveSmallIntegerField(
        _("approved term (months)"), null=True, blank=True
    )
    conditions = models.TextField(_("conditions"), blank=True)
    rejection_reason = models.ForeignKey(
        RejectionReason, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rejection_text = models.TextField(_("rejection explanation"), blank=True)
    consent_grant_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("loan application")
        verbose_name_plural = _("loan applications")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["institution", "status"], name="application_inst_status_idx"),
            models.Index(fields=["enterprise", "status"], name="application_ent_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="application_amount_positive"),
            models.UniqueConstraint(
                fields=["enterprise", "product"],
                condition=Q(status__in=["submitted", "accepted", "returned", "approved"]),
                name="application_one_open_per_product",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved")
                | Q(
                    approved_amount__isnull=False,
                    approved_rate__isnull=False,
                    approved_term_months__isnull=False,
                ),
                name="application_approved_has_terms",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | Q(rejection_reason__isnull=False),
                name="application_rejected_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_name} · {self.product_name}"


class ApplicationEvent(models.Model):
    """One row per move of an application, and per note-worthy action (materials added, proposal)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=20, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ApplicationStatus.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    comment = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.action}"
