from django.db import models
from django.utils.translation import gettext_lazy as _


class ComplaintKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    PETITION = "petition", _("Petition")
    SUGGESTION = "suggestion", _("Suggestion")


class SubjectKind(models.TextChoices):
    INSTITUTION = "institution", _("A financial institution")
    PLATFORM = "platform", _("A platform service")


class ComplaintStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")  # filed; waiting for an operator to accept it
    ACCEPTED = "accepted", _("Accepted")  # an operator took it in
    ASSIGNED = "assigned", _("Assigned")  # a handler is working on it
    REPLIED = "replied", _("Replied")  # the filer has an answer and may rate it
    CLOSED = "closed", _("Closed")  # finished (rated or closed by staff)


ALLOWED_TRANSITIONS = {
    ComplaintStatus.SUBMITTED: {ComplaintStatus.ACCEPTED, ComplaintStatus.CLOSED},
    ComplaintStatus.ACCEPTED: {ComplaintStatus.ASSIGNED},
    ComplaintStatus.ASSIGNED: {ComplaintStatus.REPLIED},
    ComplaintStatus.REPLIED: {ComplaintStatus.CLOSED},
    ComplaintStatus.CLOSED: set(),
}

# Default hours allowed in each state before it is late (settings.COMPLAINT_STEP_HOURS overrides).
DEFAULT_STEP_HOURS = {
    ComplaintStatus.SUBMITTED: 24,
    ComplaintStatus.ACCEPTED: 24,
    ComplaintStatus.ASSIGNED: 72,
}
