"""Certification states (FIN-P1) and the moves between them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificationStatus(models.TextChoices):
    DRAFT = "draft", _("Not submitted")  # registered, certification data not yet sent
    SUBMITTED = "submitted", _("Waiting for review")  # first submission, in the operators' queue
    RETURNED = "returned", _("Returned for more material")  # operator asked for more; enterprise edits
    RESUBMITTED = "resubmitted", _("Resubmitted")  # sent again after a return or rejection; in the queue
    APPROVED = "approved", _("Certified")  # the enterprise may publish demands and apply
    REJECTED = "rejected", _("Rejected")  # refused with a reason; the enterprise may resubmit
    TERMINATED = "terminated", _("Terminated (blacklist)")  # a blacklist entry matched at submission
    RE_REVIEW_REQUIRED = "re_review_required", _("Re-review required")  # certified, then blacklisted


S = CertificationStatus

ALLOWED_TRANSITIONS = {
    S.DRAFT: {S.SUBMITTED, S.TERMINATED},
    S.SUBMITTED: {S.APPROVED, S.REJECTED, S.RETURNED},
    S.RESUBMITTED: {S.APPROVED, S.REJECTED, S.RETURNED},
    S.RETURNED: {S.RESUBMITTED, S.TERMINATED},
    S.REJECTED: {S.RESUBMITTED, S.TERMINATED},
    # Once the entry has ended the enterprise may try again; the check runs again.
    S.TERMINATED: {S.RESUBMITTED, S.TERMINATED},
    S.APPROVED: {S.RE_REVIEW_REQUIRED},
    S.RE_REVIEW_REQUIRED: {S.APPROVED, S.REJECTED, S.TERMINATED},
}

# States in the operators' review queue.
QUEUE_STATES = frozenset({S.SUBMITTED, S.RESUBMITTED, S.RE_REVIEW_REQUIRED})
# States from which the enterprise may (re)submit.
SUBMITTABLE_STATES = frozenset({S.DRAFT, S.RETURNED, S.REJECTED, S.TERMINATED})


class BlacklistKind(models.TextChoices):
    SERIOUS_DISHONESTY = "serious_dishonesty", _("Serious dishonesty list")  # 严重失信主体名单
    JUDGMENT_DEFAULTER = "judgment_defaulter", _("Dishonest judgment debtor")  # 失信被执行人
    ABNORMAL_OPERATION = "abnormal_operation", _("Abnormal operation list")  # 经营异常名录
    OTHER = "other", _("Other list")
