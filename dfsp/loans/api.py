"""Loans API for institutions' core systems: push a disbursement (放贷) and repayments; read loans
and schedules. Writes honour Idempotency-Key (middleware replays the first response; repayments
also store the key, so a retry after a lost response is recorded once)."""

from datetime import date
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from dfsp.core.pagination import PagePagination
from dfsp.core.schemas import ErrorOut, InputSchema
from dfsp.loans import selectors, services
from dfsp.loans.states import Channel

router = Router(tags=["loans"])

_READ_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
_WRITE_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
Number = Decimal | str  # text is accepted so that a malformed number is a coded 400, not a 422


class InstalmentOut(Schema):
    number: int
    due_date: date
    principal_due: Decimal
    interest_due: Decimal
    penalty_interest: Decimal
    overdue_interest: Decimal
    paid: Decimal = Field(description="Everything paid on this instalment, yuan.")
    outstanding: Decimal
    days_past_due: int
    bucket: str
    status: str


class LoanOut(Schema):
    id: int
    application_id: int
    contract_number: str
    enterprise_name: str
    uscc: str
    principal: Decimal
    annual_rate: Decimal = Field(description="Percent per year.")
    penalty_rate: Decimal = Field(description="Percent per year, charged per day (/360) on overdue amounts.")
    term_months: int
    start_date: date
    maturity_date: date
    repayment_day: int
    method: str
    status: str
    outstanding_principal: Decimal
    days_past_due: int
    bucket: str
    schedule_version: int
    is_first_loan: bool


class LoanDetailOut(LoanOut):
    instalments: list[InstalmentOut]


class DisbursementIn(InputSchema):
    application_id: int
    contract_number: str = Field(max_length=64)
    amount: Number = Field(description="Yuan; at most the approved amount.")
    annual_rate: Number = Field(description="Percent per year.")
    penalty_rate: Number | None = Field(None, description="Percent per year; default 1.5 × annual_rate.")
    term_months: int
    start_date: date
    repayment_day: int = Field(description="1–31; clamped to the month's last day.")
    method: str = Field(description="equal_instalment | equal_principal | interest_first | bullet")


class RepaymentIn(InputSchema):
    amount: Number
    paid_on: date
    reference: str = Field("", max_length=64)
    early_option: str = Field("", description="'', shorter_term or lower_instalment")


class AllocationOut(Schema):
    instalment: int | None = Field(description="Instalment number; null for early principal.")
    component: str
    amount: Decimal


class RepaymentOut(Schema):
    id: int
    loan_id: int
    amount: Decimal
    paid_on: date
    is_early: bool
    settles_loan: bool
    loan_status: str
    outstanding_principal: Decimal
    allocations: list[AllocationOut]


class LoanFilters(Schema):
    status: str = Field("", max_length=20)


def _loan(loan, *, detail=False) -> dict:
    data = {field: getattr(loan, field) for field in LoanOut.model_fields}
    if detail:
        data["instalments"] = [
            {
                **{
                    f: getattr(row, f) for f in InstalmentOut.model_fields if f not in ("paid", "outstanding")
                },
                "paid": row.total_paid,
                "outstanding": row.outstanding,
            }
            for row in selectors.live_instalments(loan)
        ]
    return data


def _repayment(repayment) -> dict:
    loan = repayment.loan
    loan.refresh_from_db()
    return {
        "id": repayment.pk,
        "loan_id": loan.pk,
        "amount": repayment.amount,
        "paid_on": repayment.paid_on,
        "is_early": repayment.is_early,
        "settles_loan": repayment.settles_loan,
        "loan_status": loan.status,
        "outstanding_principal": loan.outstanding_principal,
        "allocations": [
            {
                "instalment": part.instalment.number if part.instalment else None,
                "component": part.component,
                "amount": part.amount,
            }
            for part in repayment.allocations.select_related("instalment").order_by("pk")
        ],
    }


class _LazyOut:
    """Serialise only the page the paginator slices out."""

    def __init__(self, queryset):
        self.queryset = queryset

    def __getitem__(self, item):
        return [_loan(loan) for loan in self.queryset[item]]

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()


@router.get("", response={200: list[LoanOut], **_READ_ERRORS}, summary="The caller's loans")
@paginate(PagePagination)
def list_loans(request: HttpRequest, filters: Query[LoanFilters]):
    return _LazyOut(selectors.loans_for(actor=request.auth, status=filters.status))


@router.get(
    "/{int:loan_id}", response={200: LoanDetailOut, **_READ_ERRORS}, summary="One loan and its schedule"
)
def get_loan(request: HttpRequest, loan_id: int):
    return _loan(selectors.get_loan_for(actor=request.auth, loan_id=loan_id), detail=True)


@router.post(
    "/disbursements",
    response={201: LoanDetailOut, **_WRITE_ERRORS},
    summary="Record a loan made on an approved application (放贷)",
    description="409 loan_already_disbursed on a second call without the same Idempotency-Key; "
    "400 amount_exceeds_approved / loan_terms_invalid; 404 for another institution's application.",
)
def disburse(request: HttpRequest, payload: DisbursementIn):
    data = payload.dict()
    loan = services.disburse_loan(
        actor=request.auth, application_id=data.pop("application_id"), channel=Channel.API, **data
    )
    return Status(201, _loan(loan, detail=True))


@router.post(
    "/{int:loan_id}/repayments",
    response={201: RepaymentOut, **_WRITE_ERRORS},
    summary="Record a repayment",
    description="Allocated to penalty, overdue interest, interest, then principal, oldest first. "
    "400 repayment_amount_invalid / repayment_before_disbursement / amount_exceeds_outstanding / "
    "early_repayment_option_required; 409 loan_settled.",
)
def repay(request: HttpRequest, loan_id: int, payload: RepaymentIn):
    repayment = services.record_repayment(
        actor=request.auth,
        loan_id=loan_id,
        channel=Channel.API,
        idempotency_key=request.headers.get("Idempotency-Key", ""),
        **payload.dict(),
    )
    return Status(201, _repayment(repayment))
