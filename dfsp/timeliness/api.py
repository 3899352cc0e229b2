"""Timeliness API: institutions list their urges and reply; regulators and operators list late
applications and urge. Thin: parse, call one selector or service, render."""

from datetime import datetime

from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from dfsp.core.schemas import ErrorOut
from dfsp.timeliness import selectors, services

router = Router(tags=["timeliness"])

_READ_ERRORS = {401: ErrorOut, 403: ErrorOut, 422: ErrorOut}
_WRITE_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class UrgeOut(Schema):
    id: int
    application_id: int
    institution_id: int
    institution_name: str
    enterprise_name: str
    step: str = Field(description="accept, decide or disburse")
    due_at: datetime
    level: int = Field(description="1 staff, 2 also administrators, 3 also referred for supervision (督办)")
    note: str
    urged_at: datetime
    reply: str
    replied_at: datetime | None


class UrgeFilters(Schema):
    open: bool = Field(False, description="Only urges still waiting for a reply.")


class ReplyIn(Schema):
    reply: str = Field(..., max_length=2000)


class UrgeIn(Schema):
    note: str = Field(..., max_length=2000)


class LateOut(Schema):
    application_id: int
    enterprise_name: str
    institution_id: int
    institution_name: str
    step: str
    due_at: datetime
    working_days_late: int
    urges: int
    next_level: int
    under_supervision: bool


def _urge_out(urge) -> UrgeOut:
    return UrgeOut(
        id=urge.pk,
        application_id=urge.application_id,
        institution_id=urge.institution_id,
        institution_name=urge.institution.name,
        enterprise_name=urge.application.enterprise_name,
        step=urge.step,
        due_at=urge.due_at,
        level=urge.level,
        note=urge.note,
        urged_at=urge.at,
        reply=urge.reply,
        replied_at=urge.replied_at,
    )


@router.get("/urges", response={200: list[UrgeOut], **_READ_ERRORS})
def list_urges(request, filters: Query[UrgeFilters]):
    """An institution's urges (regulators and operators: all urges, with the replies)."""
    return [_urge_out(u) for u in selectors.urges_for(actor=request.auth, open_only=filters.open)[:500]]


@router.post("/urges/{urge_id}/reply", response={200: UrgeOut, **_WRITE_ERRORS})
def reply(request, urge_id: int, payload: ReplyIn):
    """Answer an urge of your institution (once)."""
    urge = services.reply_to_urge(actor=request.auth, urge_id=urge_id, reply=payload.reply)
    return _urge_out(selectors.get_urge_for(actor=request.auth, urge_id=urge.pk))


@router.get("/late-applications", response={200: list[LateOut], **_READ_ERRORS})
def late_applications(request):
    """Open applications past their step's deadline, longest late first (regulators, operators)."""
    return [
        LateOut(
            application_id=row.application.pk,
            enterprise_name=row.application.enterprise_name,
            institution_id=row.application.institution_id,
            institution_name=row.application.institution.name,
            step=row.step,
            due_at=row.due_at,
            working_days_late=row.days_late,
            urges=row.urges,
            next_level=row.next_level,
            under_supervision=row.escalation is not None,
        )
        for row in selectors.late_queue(actor=request.auth)
    ]


@router.post("/late-applications/{application_id}/urge", response={201: UrgeOut, **_WRITE_ERRORS})
def urge(request, application_id: int, payload: UrgeIn):
    """Urge the institution (regulators and operators, signed in as a person)."""
    sent = services.urge_application(actor=request.auth, application_id=application_id, note=payload.note)
    return Status(201, _urge_out(selectors.get_urge_for(actor=request.auth, urge_id=sent.pk)))
