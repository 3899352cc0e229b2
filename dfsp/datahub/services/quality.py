"""Quality issues: the feedback and correction loop with a source's owner."""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from dfsp.audit.services import record_event
from dfsp.core.errors import ValidationFailed
from dfsp.core.transitions import ensure_transition
from dfsp.datahub.models import QualityIssue, QualityIssueEvent
from dfsp.datahub.services.common import require_writer
from dfsp.datahub.states import ALLOWED_TRANSITIONS, IssueStatus
from dfsp.notifications.services import notify


def move_issue(*, issue: QualityIssue, target: str, actor, note: str = "") -> QualityIssue:
    ensure_transition(issue.status, target, ALLOWED_TRANSITIONS)
    QualityIssueEvent.objects.create(
        issue=issue, from_status=issue.status, to_status=target, actor=actor, note=note
    )
    issue.status = target
    if target in (IssueStatus.CLOSED, IssueStatus.WAIVED):
        issue.resolution = note
    issue.save(update_fields=["status", "resolution", "updated_at"])
    record_event(
        event_type=f"datahub.issue.{target}",
        actor=actor,
        object_type="datahub.qualityissue",
        object_id=issue.pk,
        details={"rule": issue.rule_code},
    )
    return issue


def notify_owner(issue: QualityIssue) -> None:
    owner = issue.source.owner
    if owner is None:
        return
    notify(
        recipients=[owner],
        category="datahub.quality",
        title=_("Data quality issue in %(source)s") % {"source": issue.source.name},
        body=_("%(summary)s. Please correct the rows and resubmit.") % {"summary": issue.summary},
        link=reverse("datahub:issue_detail", args=[issue.pk]),
    )


@transaction.atomic
def send_feedback(*, actor, issue: QualityIssue, note: str = "") -> QualityIssue:
    """Send the issue back to the source owner (in-app message) for correction."""
    require_writer(actor)
    issue = QualityIssue.objects.select_for_update().get(pk=issue.pk)
    move_issue(issue=issue, target=IssueStatus.FEEDBACK_SENT, actor=actor, note=note)
    notify_owner(issue)
    return issue


@transaction.atomic
def waive_issue(*, actor, issue: QualityIssue, reason: str) -> QualityIssue:
    require_writer(actor)
    if not reason.strip():
        raise ValidationFailed(field_errors={"reason": _("Give the reason for waiving.")})
    issue = QualityIssue.objects.select_for_update().get(pk=issue.pk)
    return move_issue(issue=issue, target=IssueStatus.WAIVED, actor=actor, note=reason.strip())
