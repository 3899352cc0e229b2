"""Product and revision state machines.

Product:  draft → pending_review → live ⇄ offline
                         ↘ rejected → pending_review (after editing)
Revision: draft → submitted → approved | rejected
A live product keeps its approved content listed while a newer revision is under review.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProductStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # being prepared, never approved
    PENDING_REVIEW = "pending_review", _("Pending review")  # first version awaits the operator
    REJECTED = "rejected", _("Rejected")  # first version refused; the institution may edit and resubmit
    LIVE = "live", _("Live")  # listed in the financial supermarket
    OFFLINE = "offline", _("Offline")  # approved but taken off the shelf by the institution


PRODUCT_TRANSITIONS = {
    ProductStatus.DRAFT: {ProductStatus.PENDING_REVIEW},
    ProductStatus.PENDING_REVIEW: {ProductStatus.LIVE, ProductStatus.REJECTED},
    ProductStatus.REJECTED: {ProductStatus.PENDING_REVIEW},
    ProductStatus.LIVE: {ProductStatus.OFFLINE},
    ProductStatus.OFFLINE: {ProductStatus.LIVE},
}
ALLOWED_TRANSITIONS = PRODUCT_TRANSITIONS


class RevisionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # editable by the institution
    SUBMITTED = "submitted", _("Under review")  # waits for an operator
    APPROVED = "approved", _("Approved")  # became the listed content
    REJECTED = "rejected", _("Rejected")  # refused with a reason; kept for comparison


REVISION_TRANSITIONS = {
    RevisionStatus.DRAFT: {RevisionStatus.SUBMITTED},
    RevisionStatus.SUBMITTED: {RevisionStatus.APPROVED, RevisionStatus.REJECTED},
    RevisionStatus.APPROVED: set(),
    RevisionStatus.REJECTED: set(),
}

# Products whose approved content is (or was) public.
APPROVED_STATES = frozenset({ProductStatus.LIVE, ProductStatus.OFFLINE})
