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
