"""Post-loan API: institutions' systems file and update overdue reports; both parties rate a loan.

Thin: parse, call one service or selector, render. Errors use the platform's error body
(400 validation, 404 not yours or none, 409 illegal move / already rated).
"""

from datetime import datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from dfsp.core.schemas import ErrorOut
from dfsp.postloan import selectors, services
from dfsp.postloan.states import CollectionStatus

router = Router(tags=["postloan"])

_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class OverdueReportIn(Schema):
    loan_id: int
    status: CollectionStatus = CollectionStatus.CONTACTED
    note: str = Field("", max_length=2000)
    blacklist_reason: str = Field(
        "", max_length=2000, description="Non-empty: also propose a blacklist entry."
    )


class OverdueUpdateIn(Schema):
    status: CollectionStatus
    note: str = Field("", max_length=2000)


class ProposalOut(Schema):
    id: int
    status: str
    reason: str
    review_reason: str


class OverdueReportOut(Schema):
    id: int
    loan_id: int
    uscc: str
    enterprise_name: str
    status: str
    amount_overdue: Decimal = Field(description="Yuan, from the loan's schedule.")
    days_past_due: int
    note: str
    filed_at: datetime
    updated_at: datetime
    proposals: list[ProposalOut]


class ProposalIn(Schema):
    reason: str = Field(..., min_length=1, max_length=2000)


class RatingIn(Schema):
    stars: int = Field(..., ge=1, le=5)
    tags: list[str] = Field(default_factory=list, max_length=10)
    comment: str = Field("", max_length=1000)


class RatingOut(Schema):
    id: int
    loan_id: int
    direction: str
    stars: int
    tags: list[str]
    comment: str
    created_at: datetime


def _report_out(report) -> dict:
    return {
        "id": report.pk,
        "loan_id": report.loan_id,
        "uscc": report.uscc,
        "enterprise_name": report.enterprise_name,
        "status": report.status,
        "amount_overdue": report.amount_overdue,
        "days_past_due": report.days_past_due,
        "note": report.note,
        "filed_at": report.filed_at,
        "updated_at": report.updated_at,
        "proposals": [
            {"id": p.pk, "status": p.status, "reason": p.reason, "review_reason": p.review_reason}
            for p in report.proposals.all()
        ],
    }


@router.get(
    "/overdue-reports", response={200: list[OverdueReportOut], **_ERRORS}, summary="Your overdue reports"
)
def list_reports(request: HttpRequest, status: str = ""):
    return [
        _report_out(report) for report in selectors.overdue_reports_for(request.auth, status=status)[:200]
    ]


@router.post(
    "/overdue-reports",
    response={201: OverdueReportOut, **_ERRORS},
    summary="File an overdue report (逾期上报)",
    description="Only for an overdue loan of the calling institution; days and amount come from the loan. "
    "An open report on the same loan is 409 overdue_report_open.",
)
def file_report(request: HttpRequest, payload: OverdueReportIn):
    report = services.file_overdue_report(actor=request.auth, **payload.dict())
    return Status(201, _report_out(report))


@router.post(
    "/overdue-reports/{report_id}",
    response={200: OverdueReportOut, **_ERRORS},
    summary="Update an overdue report's collection status",
    description="A status change must be an allowed move (409 invalid_transition otherwise).",
)
def update_report(request: HttpRequest, report_id: int, payload: OverdueUpdateIn):
    report = services.update_overdue_report(actor=request.auth, report_id=report_id, **payload.dict())
    return _report_out(report)


@router.post(
    "/overdue-reports/{report_id}/blacklist-proposal",
    response={201: ProposalOut, **_ERRORS},
    summary="Propose listing the borrower (effective only after operator review)",
)
def propose(request: HttpRequest, report_id: int, payload: ProposalIn):
    proposal = services.propose_blacklist(actor=request.auth, report_id=report_id, reason=payload.reason)
    return Status(
        201, {"id": proposal.pk, "status": proposal.status, "reason": proposal.reason, "review_reason": ""}
    )


@router.post(
    "/loans/{loan_id}/rating",
    response={201: RatingOut, **_ERRORS},
    summary="Rate the other party of a loan (once per side)",
    description="Enterprise members rate the institution, institution staff the enterprise; "
    "a second rating is 409 already_rated; anyone else gets 404.",
)
def rate(request: HttpRequest, loan_id: int, payload: RatingIn):
    rating = services.rate_loan(actor=request.auth, loan_id=loan_id, **payload.dict())
    return Status(
        201,
        {
            "id": rating.pk,
            "loan_id": rating.loan_id,
            "direction": rating.direction,
            "stars": rating.stars,
            "tags": rating.tags,
            "comment": rating.comment,
            "created_at": rating.created_at,
        },
    )
