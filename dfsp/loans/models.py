"""Loans after disbursement (FIN-P3/P4): the contract, its versioned repayment schedule,
instalments with their overdue state, repayments and how each was allocated."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dfsp.core.industries import industry_choices, scale_choices
from dfsp.loans.states import (
    Bucket,
    Channel,
    Component,
    EarlyRepaymentOption,
    InstalmentStatus,
    LoanStatus,
    RepaymentMethod,
    ScheduleReason,
)

MONEY = {"max_digits": 18, "decimal_places": 2}
ZERO = 0


class Loan(models.Model):
    """One disbursed loan (放贷) made on one approved application."""

    application = models.OneToOneField("financing.Application", on_delete=models.PROTECT, related_name="loan")
    institution = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="loans_made"
    )
    enterprise = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="loans_taken"
    )
    # Copied at disbursement: lists and statistics filter without joins across apps.
    enterprise_name = models.CharField(_("enterprise"), max_length=200)
    uscc = models.CharField(_("unified social credit code"), max_length=18, db_index=True)
    institution_name = models.CharField(_("institution"), max_length=200)
    product_name = models.CharField(_("product"), max_length=100)
    region_code = models.CharField(_("region"), max_length=6, blank=True)
    industry = models.CharField(_("industry"), max_length=1, choices=industry_choices(), blank=True)
    scale = models.CharField(_("scale"), max_length=10, choices=scale_choices(), blank=True)
    is_first_loan = models.BooleanField(_("first loan (首贷)"), default=False)

    contract_number = models.CharField(_("contract number"), max_length=64)
    principal = models.DecimalField(_("principal (yuan)"), **MONEY)
    annual_rate = models.DecimalField(_("annual rate (%)"), max_digits=7, decimal_places=4)
    penalty_rate = models.DecimalField(
        _("penalty annual rate (%)"),
        max_digits=7,
        decimal_places=4,
        help_text=_(
            "Charged per day on overdue principal and unpaid interest; default 1.5 × the contract rate."
        ),
    )
    term_months = models.PositiveSmallIntegerField(_("term (months)"))
    start_date = models.DateField(_("start date"))
    maturity_date = models.DateField(_("maturity date"))
    repayment_day = models.PositiveSmallIntegerField(_("repayment day of month"))
    method = models.CharField(_("repayment method"), max_length=20, choices=RepaymentMethod.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=LoanStatus.choices, default=LoanStatus.ACTIVE
    )
    outstanding_principal = models.DecimalField(_("outstanding principal (yuan)"), **MONEY)
    # Maintained by the daily overdue job: the worst instalment of the loan.
    days_past_due = models.PositiveIntegerField(_("days past due"), default=0)
    bucket = models.CharField(
        _("overdue bucket"), max_length=10, choices=Bucket.choices, default=Bucket.CURRENT
    )
    schedule_version = models.PositiveSmallIntegerField(_("schedule version"), default=1)
    channel = models.CharField(
        _("recorded through"), max_length=10, choices=Channel.choices, default=Channel.UI
    )
    disbursed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    disbursed_at = models.DateTimeField(_("disbursed at"), default=timezone.now)
    settled_on = models.DateField(_("settled on"), null=True, blank=True)

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-start_date", "-pk"]
        indexes = [
            models.Index(fields=["institution", "status"], name="loan_inst_status_idx"),
            models.Index(fields=["enterprise", "status"], name="loan_ent_status_idx"),
            models.Index(fields=["status", "bucket"], name="loan_status_bucket_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "contract_number"], name="loan_contract_unique_per_institution"
            ),
            models.CheckConstraint(condition=Q(principal__gt=0), name="loan_principal_positive"),
            models.CheckConstraint(
                condition=Q(outstanding_principal__gte=0)
                & Q(outstanding_principal__lte=models.F("principal")),
                name="loan_outstanding_within_principal",
            ),
            models.CheckConstraint(condition=Q(annual_rate__gte=0), name="loan_rate_not_negative"),
            models.CheckConstraint(
                condition=Q(repayment_day__gte=1) & Q(repayment_day__lte=31), name="loan_repayment_day_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="settled") | Q(outstanding_principal=0),
                name="loan_settled_has_nothing_left",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract_number} · {self.enterprise_name}"


class LoanEvent(models.Model):
    """One row per move of a loan and per note-worthy action (repayment, new schedule)."""

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=20, choices=LoanStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=LoanStatus.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    comment = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.loan_id}: {self.action}"


class ScheduleVersion(models.Model):
    """A generated schedule. Re-generated on early repayment and deferral; old versions stay."""

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="schedule_versions")
    number = models.PositiveSmallIntegerField(_("version"))
    reason = models.CharField(_("reason"), max_length=20, choices=ScheduleReason.choices)
    comment = models.TextField(_("comment"), blank=True)
    # The terms this version was generated from (principal = outstanding at that moment).
    principal = models.DecimalField(_("principal scheduled (yuan)"), **MONEY)
    annual_rate = models.DecimalField(_("annual rate (%)"), max_digits=7, decimal_places=4)
    term_months = models.PositiveSmallIntegerField(_("instalments"))
    start_date = models.DateField(_("runs from"))
    repayment_day = models.PositiveSmallIntegerField(_("repayment day of month"))
    method = models.CharField(_("repayment method"), max_length=20, choices=RepaymentMethod.choices)
    is_current = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("schedule version")
        verbose_name_plural = _("schedule versions")
        ordering = ["loan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["loan", "number"], name="schedule_version_unique"),
            models.UniqueConstraint(
                fields=["loan"], condition=Q(is_current=True), name="schedule_one_current_per_loan"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.loan_id} v{self.number}"


class Instalment(models.Model):
    """One due date of a loan. ``superseded`` rows belong to an older schedule version (history)."""

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="instalments")
    schedule = models.ForeignKey(ScheduleVersion, on_delete=models.CASCADE, related_name="instalments")
    number = models.PositiveSmallIntegerField(_("number"))
    due_date = models.DateField(_("due date"))
    principal_due = models.DecimalField(_("principal due"), **MONEY)
    interest_due = models.DecimalField(_("interest due"), **MONEY)
    principal_paid = models.DecimalField(_("principal paid"), default=ZERO, **MONEY)
    interest_paid = models.DecimalField(_("interest paid"), default=ZERO, **MONEY)
    overdue_interest = models.DecimalField(_("overdue interest accrued"), default=ZERO, **MONEY)
    overdue_interest_paid = models.DecimalField(_("overdue interest paid"), default=ZERO, **MONEY)
    penalty_interest = models.DecimalField(_("penalty interest accrued"), default=ZERO, **MONEY)
    penalty_interest_paid = models.DecimalField(_("penalty interest paid"), default=ZERO, **MONEY)
    # The overdue job accrues up to and including this date; running twice the same day adds nothing.
    accrued_through = models.DateField(null=True, blank=True)
    days_past_due = models.PositiveIntegerField(_("days past due"), default=0)
    bucket = models.CharField(
        _("overdue bucket"), max_length=10, choices=Bucket.choices, default=Bucket.CURRENT
    )
    max_days_past_due = models.PositiveIntegerField(_("longest delay (days)"), default=0)
    status = models.CharField(
        _("status"), max_length=20, choices=InstalmentStatus.choices, default=InstalmentStatus.PENDING
    )
    paid_on = models.DateField(_("paid in full on"), null=True, blank=True)
    reminded_on = models.DateField(_("reminder sent on"), null=True, blank=True)
    superseded = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        ordering = ["loan", "due_date", "number"]
        indexes = [
            models.Index(fields=["status", "due_date"], name="instalment_status_due_idx"),
            models.Index(fields=["loan", "superseded", "due_date"], name="instalment_loan_live_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "number"], name="instalment_number_unique_per_schedule"
            ),
            models.CheckConstraint(
                condition=Q(principal_due__gte=0) & Q(interest_due__gte=0), name="instalment_due_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(principal_paid__lte=models.F("principal_due"))
                & Q(interest_paid__lte=models.F("interest_due"))
                & Q(overdue_interest_paid__lte=models.F("overdue_interest"))
                & Q(penalty_interest_paid__lte=models.F("penalty_interest")),
                name="instalment_paid_within_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.loan_id} #{self.number} {self.due_date}"

    @property
    def late_charges(self):
        return self.penalty_interest + self.overdue_interest

    @property
    def total_due(self):
        return self.principal_due + self.interest_due + self.overdue_interest + self.penalty_interest

    @property
    def total_paid(self):
        return (
            self.principal_paid + self.interest_paid + self.overdue_interest_paid + self.penalty_interest_paid
        )

    @property
    def outstanding(self):
        return self.total_due - self.total_paid


class Repayment(models.Model):
    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="repayments")
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    paid_on = models.DateField(_("paid on"))
    channel = models.CharField(
        _("recorded through"), max_length=10, choices=Channel.choices, default=Channel.UI
    )
    reference = models.CharField(_("bank reference"), max_length=64, blank=True)
    # The institution system's key: the same key on the same loan records the repayment once.
    idempotency_key = models.CharField(max_length=100, blank=True)
    is_early = models.BooleanField(_("early repayment"), default=False)
    early_option = models.CharField(
        _("after early repayment"), max_length=20, choices=EarlyRepaymentOption.choices, blank=True
    )
    settles_loan = models.BooleanField(_("settled the loan"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("repayment")
        verbose_name_plural = _("repayments")
        ordering = ["-paid_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="repayment_amount_positive"),
            models.UniqueConstraint(
                fields=["loan", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="repayment_key_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.loan_id}: {self.amount} on {self.paid_on}"


class RepaymentAllocation(models.Model):
    """How much of one repayment went to one component of one instalment. An early repayment of
    principal beyond what was scheduled has no instalment: the schedule is re-generated after it."""

    repayment = models.ForeignKey(Repayment, on_delete=models.CASCADE, related_name="allocations")
    instalment = models.ForeignKey(
        Instalment, on_delete=models.PROTECT, null=True, blank=True, related_name="allocations"
    )
    component = models.CharField(_("component"), max_length=20, choices=Component.choices)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)

    class Meta:
        ordering = ["repayment", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="allocation_amount_positive")]

    def __str__(self) -> str:
        return f"{self.repayment_id} → {self.instalment_id} {self.component} {self.amount}"
