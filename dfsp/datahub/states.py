"""State machines of the data platform: ingestion batches (sync runs) and quality issues."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BatchStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")  # recorded, waiting for a worker
    RUNNING = "running", _("Running")  # read, standardised, checked and loaded by a worker
    SUCCEEDED = "succeeded", _("Succeeded")  # accepted rows loaded, rejected rows kept with reasons
    FAILED = "failed", _("Failed")  # nothing loaded; the run report says why
    DUPLICATE = "duplicate", _("Duplicate")  # identical content already loaded; nothing changed


BATCH_TRANSITIONS = {
    BatchStatus.QUEUED: {BatchStatus.RUNNING, BatchStatus.FAILED},
    BatchStatus.RUNNING: {BatchStatus.SUCCEEDED, BatchStatus.FAILED, BatchStatus.DUPLICATE},
    BatchStatus.SUCCEEDED: set(),
    BatchStatus.FAILED: set(),
    BatchStatus.DUPLICATE: set(),
}


class IssueStatus(models.TextChoices):
    OPEN = "open", _("Open")  # found by the quality check of a batch
    FEEDBACK_SENT = "feedback_sent", _("Sent back to source")  # the source owner was asked to correct
    RESUBMITTED = "resubmitted", _("Correction resubmitted")  # a corrected batch is being re-checked
    CLOSED = "closed", _("Closed")  # the corrected rows passed the re-check
    WAIVED = "waived", _("Waived")  # accepted as is, with a reason


ALLOWED_TRANSITIONS = {
    IssueStatus.OPEN: {IssueStatus.FEEDBACK_SENT, IssueStatus.RESUBMITTED, IssueStatus.WAIVED},
    IssueStatus.FEEDBACK_SENT: {IssueStatus.RESUBMITTED, IssueStatus.WAIVED},
    IssueStatus.RESUBMITTED: {IssueStatus.CLOSED, IssueStatus.FEEDBACK_SENT},
    IssueStatus.CLOSED: set(),
    IssueStatus.WAIVED: set(),
}
