"""Loan applications (FIN-P3): the application, its events, materials, internal notes, invitations,
the coded rejection reasons and each institution's review settings."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dfsp.financing.models.demands import Demand
from dfsp.financing.states import ApplicationStatus, ApplicationStep


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
    # With two-step approval: the officer's pending proposal {"decision", terms or reason, "by", "at"}.
    proposal = models.JSONField(default=dict, blank=True)

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


class ApplicationNumber(models.Model):
    """A number handed out before the consent text is shown: the grant names the application by
    its number, so the number must exist before the enterprise signs. The application takes it as
    its primary key; an unused number expires harmlessly."""

    enterprise = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey("institutions.Product", on_delete=models.CASCADE, related_name="+")
    consent_valid_until = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return str(self.pk)


class ApplicationMaterial(models.Model):
    """A private file (PDF/JPG/PNG, type sniffed from content); served only through an audited view."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="materials")
    file = models.FileField(upload_to="financing/applications/%Y/%m/", max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class ApplicationNote(models.Model):
    """The institution's internal notes on an application: never shown to the enterprise."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.application_id}: note {self.pk}"


class ApplicationInvitation(models.Model):
    """An institution that took a demand invites the enterprise to apply for one of its products."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="invitations")
    enterprise = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    institution = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey("institutions.Product", on_delete=models.CASCADE, related_name="+")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    application = models.ForeignKey(
        Application, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["demand", "product"], name="invitation_once_per_demand_product")
        ]

    def __str__(self) -> str:
        return f"{self.demand_id} → {self.product_id}"


class ReviewSettings(models.Model):
    """Per institution: with two-step approval on, officers propose and an institution admin decides."""

    institution = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="application_review_settings"
    )
    two_step_approval = models.BooleanField(_("two-step approval"), default=False)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("application review settings")

    def __str__(self) -> str:
        return f"{self.institution_id}: two-step={self.two_step_approval}"
