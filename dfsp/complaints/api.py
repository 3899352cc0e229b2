"""Complaints API: operators read cases and statistics. Filing stays on the public web form, where
attachments and the one-time lookup code are handled."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from dfsp.complaints import selectors
from dfsp.core.errors import AccessDenied
from dfsp.core.masking import mask_mobile, mask_name
from dfsp.core.pagination import PagePagination
from dfsp.core.schemas import ErrorOut

router = Router(tags=["complaints"])

_READ_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class ComplaintOut(Schema):
    id: int
    tracking_number: str
    kind: str
    subject_kind: str
    institution_id: int | None
    title: str
    status: str
    contact_name: str
    contact_mobile: str
    satisfaction: int | None
    escalated: bool
    due_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_contact_name(complaint) -> str:
        return mask_name(complaint.contact_name)

    @staticmethod
    def resolve_contact_mobile(complaint) -> str:
        return mask_mobile(complaint.contact_mobile)


class StatisticsOut(Schema):
    by_kind: dict[str, int]
    by_subject: dict[str, int]
    by_status: dict[str, int]
    satisfaction: float | None
    by_institution: dict[str, int]


def _ensure_staff(caller) -> None:
    if not caller.has_any_role(selectors.STAFF_ROLES):
        raise AccessDenied(code="role")


@router.get("", response={200: list[ComplaintOut], **_READ_ERRORS}, summary="List complaints (operators)")
@paginate(PagePagination)
def list_complaints(request: HttpRequest, status: str = "", kind: str = ""):
    _ensure_staff(request.auth)
    return selectors.list_complaints_for(request.auth, status=status, kind=kind)


@router.get("/statistics", response={200: StatisticsOut, **_READ_ERRORS}, summary="Complaint statistics")
def statistics(request: HttpRequest):
    _ensure_staff(request.auth)
    stats = selectors.statistics()
    by_institution = {str(key): value for key, value in selectors.complaint_counts_by_institution().items()}
    return {**stats, "by_institution": by_institution}


@router.get(
    "/{complaint_id}", response={200: ComplaintOut, **_READ_ERRORS}, summary="One complaint (operators)"
)
def get_complaint(request: HttpRequest, complaint_id: int):
    _ensure_staff(request.auth)
    return selectors.get_complaint_for(request.auth, complaint_id)
