"""Complaint reads: staff (operators) see every case; filers reach theirs only through the lookup."""

from django.db.models import Avg, Count, Q, QuerySet

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
    """Figures for the staff statistics page and the API: by type, subject, status; per institution
    and per platform service (with average satisfaction); open cases past their time limit."""
    from django.utils import timezone

    from dfsp.complaints.states import ComplaintStatus, SubjectKind

    complaints = Complaint.objects.all()
    by_kind = dict(complaints.values_list("kind").annotate(n=Count("pk")).order_by())
    by_subject = dict(complaints.values_list("subject_kind").annotate(n=Count("pk")).order_by())
    by_status = dict(complaints.values_list("status").annotate(n=Count("pk")).order_by())
    satisfaction = complaints.filter(satisfaction__isnull=False).aggregate(avg=Avg("satisfaction"))["avg"]
    by_kind_and_subject = {
        f"{kind}:{subject}": n
        for kind, subject, n in complaints.values_list("kind", "subject_kind")
        .annotate(n=Count("pk"))
        .order_by()
    }
    institutions = [
        {"institution_id": row["institution_id"], "name": row["institution__name"], **_figures(row)}
        for row in complaints.filter(subject_kind=SubjectKind.INSTITUTION, institution__isnull=False)
        .values("institution_id", "institution__name")
        .annotate(n=Count("pk"), complaints=Count("pk", filter=Q(kind="complaint")), avg=Avg("satisfaction"))
        .order_by("-n", "institution__name")
    ]
    services = [
        {"service": row["service"], **_figures(row)}
        for row in complaints.filter(subject_kind=SubjectKind.PLATFORM)
        .values("service")
        .annotate(n=Count("pk"), complaints=Count("pk", filter=Q(kind="complaint")), avg=Avg("satisfaction"))
        .order_by("-n", "service")
    ]
    late_open = (
        complaints.filter(due_at__lt=timezone.now())
        .exclude(status__in=[ComplaintStatus.REPLIED, ComplaintStatus.CLOSED])
        .count()
    )
    return {
        "by_kind": by_kind,
        "by_subject": by_subject,
        "by_status": by_status,
        "by_kind_and_subject": by_kind_and_subject,
        "institutions": institutions,
        "services": services,
        "late_open": late_open,
        "escalated": complaints.filter(escalated=True).exclude(status=ComplaintStatus.CLOSED).count(),
        "satisfaction": satisfaction,
    }


def _figures(row: dict) -> dict:
    return {
        "total": row["n"],
        "complaints": row["complaints"],
        "satisfaction": round(row["avg"], 2) if row["avg"] is not None else None,
    }


def institution_complaint_summary(institution, *, start=None, end=None) -> dict:
    """One institution's complaints (filed in [start, end)) for its scorecard: complaints proper
    (not petitions or suggestions), how many are closed, and the filers' average satisfaction."""
    institution_id = getattr(institution, "pk", institution)
    complaints = Complaint.objects.filter(institution_id=institution_id, kind="complaint")
    if start is not None:
        complaints = complaints.filter(created_at__gte=start)
    if end is not None:
        complaints = complaints.filter(created_at__lt=end)
    figures = complaints.aggregate(
        complaints=Count("pk"),
        closed=Count("pk", filter=Q(status="closed")),
        rated=Count("satisfaction"),
        satisfaction=Avg("satisfaction"),
    )
    if figures["satisfaction"] is not None:
        figures["satisfaction"] = round(figures["satisfaction"], 2)
    return figures


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
