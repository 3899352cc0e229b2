"""Complaint reads: staff (operators) see every case; filers reach theirs only through the lookup."""

from django.db.models import Avg, Count, QuerySet

from dfsp.accounts.roles import Role
from dfsp.audit.services import record_event
from dfsp.complaints.models import Complaint, ComplaintAttachment
from dfsp.core.errors import NotFound

STAFF_ROLES = frozenset({Role.OPERATOR})


def _is_staff(actor) -> bool:
    return actor.is_authenticated and actor.has_any_role(STAFF_ROLES)


def list_complaints_for(actor, *, status: str = "", kind: str = "") -> QuerySet[Complaint]:
    if not _is_staff(actor):
        return Complaint.objects.none()
    queryset = Complaint.objects.select_related("institution", "assignee")
    if status:
        queryset = queryset.filter(status=status)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset


def get_complaint_for(actor, complaint_id) -> Complaint:
    complaint = list_complaints_for(actor).filter(pk=complaint_id).first()
    if complaint is None:
        raise NotFound()
    return complaint


def get_by_tracking_number(tracking_number: str) -> Complaint:
    complaint = Complaint.objects.filter(tracking_number=(tracking_number or "").upper()).first()
    if complaint is None:
        raise NotFound()
    return complaint


def open_attachment_for(actor, complaint_id, attachment_id) -> ComplaintAttachment:
    """The file of a complaint for staff; every access is audited."""
    complaint = get_complaint_for(actor, complaint_id)
    attachment = complaint.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound()
    record_event(
        event_type="complaints.attachment.read",
        actor=actor,
        object_type="complaint_attachment",
        object_id=attachment.pk,
    )
    return attachment


def statistics() -> dict:
    by_kind = dict(Complaint.objects.values_list("kind").annotate(n=Count("pk")).order_by())
    by_subject = dict(Complaint.objects.values_list("subject_kind").annotate(n=Count("pk")).order_by())
    by_status = dict(Complaint.objects.values_list("status").annotate(n=Count("pk")).order_by())
    satisfaction = Complaint.objects.filter(satisfaction__isnull=False).aggregate(avg=Avg("satisfaction"))[
        "avg"
    ]
    return {
        "by_kind": by_kind,
        "by_subject": by_subject,
        "by_status": by_status,
        "satisfaction": satisfaction,
    }


def complaint_counts_by_institution() -> dict[int, int]:
    """Complaints (not suggestions) per institution organisation id — feeds the institution scorecard."""
    rows = (
        Complaint.objects.filter(institution__isnull=False, kind="complaint")
        .values_list("institution_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows)


def institutions() -> QuerySet:
    from dfsp.accounts.selectors import active_institutions

    return active_institutions()


def staff_users() -> list:
    from dfsp.accounts.selectors import active_members

    return list(active_members([Role.OPERATOR]))


def get_looked_up(complaint_id) -> Complaint | None:
    """The complaint whose id this session proved (tracking number + SMS code) it may see."""
    return (
        Complaint.objects.filter(pk=complaint_id).select_related("institution").first()
        if complaint_id
        else None
    )
