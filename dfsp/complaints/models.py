from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dfsp.complaints.states import ComplaintKind, ComplaintStatus, SubjectKind


class Complaint(models.Model):
    # Unguessable: "TS" + 18 random characters (32-letter alphabet, ~90 bits); the lookup also needs a one-time SMS code.
    tracking_number = models.CharField(max_length=24, unique=True)
    kind = models.CharField(_("type"), max_length=12, choices=ComplaintKind.choices)
    subject_kind = models.CharField(_("about"), max_length=12, choices=SubjectKind.choices)
    institution = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    service = models.CharField(_("platform service"), max_length=60, blank=True)
    title = models.CharField(_("title"), max_length=120)
    content = models.TextField(_("content"), max_length=4000)
    contact_name = models.CharField(_("contact name"), max_length=40)
    contact_mobile = models.CharField(_("contact mobile"), max_length=11)
    filer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=12, choices=ComplaintStatus.choices, default=ComplaintStatus.SUBMITTED
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reply = models.TextField(_("reply"), blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction"), null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "due_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(satisfaction__isnull=True)
                | models.Q(satisfaction__gte=1, satisfaction__lte=5),
                name="complaint_satisfaction_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return self.tracking_number


class ComplaintEvent(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint_id}:{self.to_status}"


class ComplaintAttachment(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="complaints/%Y/%m/")
    original_name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()

    def __str__(self) -> str:
        return self.original_name


class LookupCode(models.Model):
    """One-time code sent by SMS to the contact mobile; stored as a hash."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    used = models.BooleanField(default=False)
    attempts = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return f"code:{self.complaint_id}"
