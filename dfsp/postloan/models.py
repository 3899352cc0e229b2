"""Post-loan: overdue reports and blacklist proposals, renewal and deferral requests, maturity
reminders, mutual evaluation (ratings) and the event trail of every move."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dfsp.postloan.states import (
    OPEN_COLLECTION_STATES,
    CollectionStatus,
    DeferralKind,
    DeferralStatus,
    Direction,
    ProposalStatus,
)

MONEY = {"max_digits": 18, "decimal_places": 2}
ACTION_LABELS = {
    "filed": _("Filed"),
    "updated": _("Updated"),
    "proposed": _("Proposed"),
    "requested": _("Requested"),
    "approved": _("Approved"),
    "rejected": _("Rejected"),
    "withdrawn": _("Withdrawn"),
    "late": _("Decision deadline passed; institution reminded"),
}


class OverdueReport(models.Model):
    """An institution's report on one overdue loan of its own (逾期上报); updated as collection goes on.

    Risk monitoring reads these rows (``selectors.overdue_reports_since``)."""

    loan = models.ForeignKey("loans.Loan", on_delete=models.PROTECT, related_name="overdue_reports")
    institution = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    # Copied from the loan at filing: risk monitoring reads without joins across apps.
    uscc = models.CharField(_("unified social credit code"), max_length=18, db_index=True)
    enterprise_name = models.CharField(_("enterprise"), max_length=200)
    status = models.CharField(
        _("collection status"),
        max_length=20,
        choices=CollectionStatus.choices,
        default=CollectionStatus.CONTACTED,
    )
    amount_overdue = models.DecimalField(_("amount overdue (yuan)"), **MONEY)
    days_past_due = models.PositiveIntegerField(_("days past due"))
    note = models.TextField(_("note"), blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    filed_at = models.DateTimeField(_("filed at"), default=timezone.now)
    updated_at = models.DateTimeField(_("last updated"), default=timezone.now, db_index=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("overdue report")
        verbose_name_plural = _("overdue reports")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["loan"],
                condition=Q(status__in=OPEN_COLLECTION_STATES),
                name="overdue_report_one_open_per_loan",
            ),
            models.CheckConstraint(
                condition=Q(amount_overdue__gte=0), name="overdue_report_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_name} · {self.get_status_display()}"


class OverdueUpdate(models.Model):
    """One row per filing and per update of an overdue report: the collection history."""

    report = models.ForeignKey(OverdueReport, on_delete=models.CASCADE, related_name="updates")
    from_status = models.CharField(max_length=20, choices=CollectionStatus.choices, blank=True)
    status = models.CharField(_("collection status"), max_length=20, choices=CollectionStatus.choices)
    amount_overdue = models.DecimalField(_("amount overdue (yuan)"), **MONEY)
    days_past_due = models.PositiveIntegerField(_("days past due"))
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.status}"


class BlacklistProposal(models.Model):
    """An institution proposes to list a borrower; it takes effect only after an operator approves."""

    report = models.ForeignKey(OverdueReport, on_delete=models.CASCADE, related_name="proposals")
    institution = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    uscc = models.CharField(_("unified social credit code"), max_length=18)
    enterprise_name = models.CharField(_("enterprise"), max_length=200)
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_reason = models.TextField(_("review reason"), blank=True)
    blacklist_entry_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("blacklist proposal")
        verbose_name_plural = _("blacklist proposals")
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report"],
                condition=Q(status="pending"),
                name="blacklist_proposal_one_pending_per_report",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(blacklist_entry_id__isnull=False),
                name="blacklist_proposal_approved_has_entry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_name} · {self.get_status_display()}"


class Renewal(models.Model):
    """A renewal (续贷): a new application to the same product, linked to the maturing loan."""

    loan = models.ForeignKey("loans.Loan", on_delete=models.PROTECT, related_name="renewals")
    application = models.OneToOneField(
        "financing.Application", on_delete=models.PROTECT, related_name="renewal_of"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)

    class Meta:
        verbose_name = _("renewal")
        verbose_name_plural = _("renewals")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.loan_id} → {self.application_id}"


class Deferral(models.Model):
    """A request to defer principal and/or interest (延期还本付息), decided by the lending institution."""

    loan = models.ForeignKey("loans.Loan", on_delete=models.PROTECT, related_name="deferrals")
    kind = models.CharField(_("what to defer"), max_length=20, choices=DeferralKind.choices)
    reason = models.TextField(_("reason"))
    # The proposed new maturity; the outstanding principal is rescheduled up to it (see services).
    proposed_maturity_date = models.DateField(_("proposed new maturity date"))
    status = models.CharField(
        _("status"), max_length=20, choices=DeferralStatus.choices, default=DeferralStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    due_at = models.DateTimeField(_("decision due by"), null=True, blank=True, db_index=True)
    # Set once by the hourly job when the deadline passed without a decision (see services).
    late_notified_at = models.DateTimeField(_("reminded as late at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("decision reason"), blank=True)
    schedule_version = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("deferral request")
        verbose_name_plural = _("deferral requests")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["loan"], condition=Q(status="pending"), name="deferral_one_pending_per_loan"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.loan_id} · {self.get_kind_display()}"

    @property
    def is_late(self) -> bool:
        return self.status == "pending" and self.due_at is not None and self.due_at < timezone.now()


class MaturityReminder(models.Model):
    """The one reminder before maturity (renew or defer); the job sends at most one per loan."""

    loan = models.OneToOneField("loans.Loan", on_delete=models.CASCADE, related_name="maturity_reminder")
    sent_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.loan_id} @ {self.sent_at:%Y-%m-%d}"


class Rating(models.Model):
    """One side's rating of the other after a loan was made (FIN-P7): once per loan and direction."""

    loan = models.ForeignKey("loans.Loan", on_delete=models.PROTECT, related_name="ratings")
    direction = models.CharField(_("direction"), max_length=20, choices=Direction.choices)
    rater = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    ratee = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    # The rated enterprise's code, so institutions reviewing it later find its ratings by code.
    uscc = models.CharField(max_length=18, db_index=True)
    product_id_rated = models.PositiveBigIntegerField(null=True, blank=True)
    stars = models.PositiveSmallIntegerField(
        _("stars"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    tags = models.JSONField(_("tags"), default=list, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["loan", "direction"], name="rating_once_per_loan_and_side"),
            models.CheckConstraint(condition=Q(stars__gte=1) & Q(stars__lte=5), name="rating_stars_1_to_5"),
        ]
        indexes = [models.Index(fields=["ratee", "direction"], name="rating_ratee_idx")]

    def __str__(self) -> str:
        return f"{self.loan_id} {self.direction} {self.stars}★"


class CaseEvent(models.Model):
    """One row per move of a post-loan case (overdue report, proposal, deferral, renewal)."""

    class Kind(models.TextChoices):
        OVERDUE_REPORT = "overdue_report", _("Overdue report")
        PROPOSAL = "proposal", _("Blacklist proposal")
        DEFERRAL = "deferral", _("Deferral request")
        RENEWAL = "renewal", _("Renewal")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    loan_id_ref = models.PositiveBigIntegerField(db_index=True)
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
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
        indexes = [models.Index(fields=["kind", "object_id"], name="case_event_object_idx")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.action}"

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))
