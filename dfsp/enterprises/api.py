"""Enterprises API: the calling enterprise's own certification status."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from dfsp.core.api_auth import ApiCaller
from dfsp.core.errors import NotFound
from dfsp.core.schemas import ErrorOut
from dfsp.enterprises import selectors

router = Router(tags=["enterprises"])


class CertificationOut(Schema):
    status: str
    status_label: str
    submitted_at: datetime | None
    decided_at: datetime | None
    reason: str


@router.get(
    "/certification",
    response={200: CertificationOut, 401: ErrorOut, 404: ErrorOut},
    summary="Your enterprise's certification status",
)
def my_certification(request: HttpRequest):
    caller: ApiCaller = request.auth
    if caller.user is None:
        raise NotFound()
    certification = selectors.own_certification(caller.user)
    return {
        "status": certification.status,
        "status_label": str(certification.get_status_display()),
        "submitted_at": certification.submitted_at,
        "decided_at": certification.decided_at,
        "reason": certification.reason,
    }
