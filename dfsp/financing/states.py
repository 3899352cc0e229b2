"""Financing demand states (FIN-P2) and the moves between them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DemandStatus(models.TextChoices):
    PENDING_REVIEW = "pending_review", _("Waiting for review")  # published by the enterprise, not yet visible
    LIVE = "live", _("Live")  # approved; institutions see it until it is taken or its validity ends
    REJECTED = "rejected", _("Rejected")  # refused by an operator, with a reason the enterprise sees
    TAKEN = "taken", _("Taken")  # an institution took it (接单); no one else can
    EXPIRED = "expired", _("Expired")  # its validity ended before it was taken
    WITHDRAWN = "withdrawn", _("Withdrawn")  # the enterprise withdrew it


S = DemandStatus

ALLOWED_TRANSITIONS = {
    S.PENDING_REVIEW: {S.LIVE, S.REJECTED, S.WITHDRAWN, S.EXPIRED},
    S.LIVE: {S.TAKEN, S.EXPIRED, S.WITHDRAWN},
    S.REJECTED: set(),
    S.TAKEN: set(),
    S.EXPIRED: set(),
    S.WITHDRAWN: set(),
}


class Guarantee(models.TextChoices):
    CREDIT = "credit", _("Unsecured (credit)")
    MORTGAGE = "mortgage", _("Mortgage")
    PLEDGE = "pledge", _("Pledge")
    GUARANTEE = "guarantee", _("Third-party guarantee")
    OTHER = "other", _("Other")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    VERY_URGENT = "very_urgent", _("Very urgent")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")  # waiting for the institution to accept it (受理)
    ACCEPTED = "accepted", _("Accepted")  # the institution is reviewing it
    RETURNED = "returned", _("Returned for more information")  # 补充材料; resumes where it stopped
    APPROVED = "approved", _("Approved")  # amount, rate, term and conditions decided; loan not yet made
    REJECTED = "rejected", _("Rejected")  # with a coded reason; the enterprise may re-apply
    WITHDRAWN = "withdrawn", _("Withdrawn")  # by the enterprise, before a loan was made
    DISBURSED = "disbursed", _("Disbursed")  # the loan was made; the loans app follows it from here


A = ApplicationStatus

APPLICATION_TRANSITIONS = {
    A.SUBMITTED: {A.ACCEPTED, A.REJECTED, A.RETURNED, A.WITHDRAWN},
    A.ACCEPTED: {A.APPROVED, A.REJECTED, A.RETURNED, A.WITHDRAWN},
    # a returned application goes back to the step it was returned from (``returned_from``)
    A.RETURNED: {A.SUBMITTED, A.ACCEPTED, A.WITHDRAWN},
    A.APPROVED: {A.DISBURSED, A.WITHDRAWN},
    A.REJECTED: set(),
    A.WITHDRAWN: set(),
    A.DISBURSED: set(),
}

# States in which an application is still running: at most one per enterprise and product.
OPEN_APPLICATION_STATES = (A.SUBMITTED, A.ACCEPTED, A.RETURNED, A.APPROVED)


class ApplicationStep(models.TextChoices):
    """The steps that carry a time limit (working days, per institution type)."""

    ACCEPT = "accept", _("Accept the application")
    DECIDE = "decide", _("Decide the application")
    DISBURSE = "disburse", _("Disburse after approval")
