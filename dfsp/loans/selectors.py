"""Reads of loans, scoped to the actor: institutions see their own loans, an enterprise its own,
operators and regulators all. "Not yours" and "does not exist" raise the same NotFound.

Public for postloan/timeliness: ``loans_for``, ``get_loan_for``, ``loans_of_enterprise``,
``borrower_history``, ``overdue_instalments``, ``live_instalments``, ``next_due``.
"""

from datetime import date
from decimal import Decimal

from django.db.models import Count, Max, Q, QuerySet, Sum

from dfsp.core.errors import NotFound
from dfsp.loans.actors import acting
from dfsp.loans.models import Instalment, Loan, Repayment, ScheduleVersion
from dfsp.loans.states import InstalmentStatus, LoanStatus

ZERO = Decimal("0.00")


def loans_for(*, actor, status: str = "", query: str = "") -> QuerySet[Loan]:
    who = acting(actor)
    queryset = Loan.objects.all()
    if who.sees_all:
        pass
    elif who.organisation is not None and who.is_institution:
        queryset = queryset.filter(institution=who.organisation)
    elif who.organisation is not None and who.is_enterprise:
        queryset = queryset.filter(enterprise=who.organisation)
    else:
        return queryset.none()
    if status:
        queryset = queryset.filter(status=status)
    if query:
        queryset = queryset.filter(Q(contract_number__icontains=query) | Q(enterprise_name__icontains=query))
    return queryset


def get_loan_for(*, actor, loan_id) -> Loan:
    try:
        return loans_for(actor=actor).get(pk=int(loan_id))
    except (Loan.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def loan_for_application(*, actor, application_id) -> Loan | None:
    return loans_for(actor=actor).filter(application_id=application_id).first()


def live_instalments(loan) -> QuerySet[Instalment]:
    """The instalments of the current schedule (plus earlier ones already paid)."""
    return loan.instalments.filter(superseded=False).order_by("due_date", "number")


def schedule_history(loan) -> QuerySet[ScheduleVersion]:
    return loan.schedule_versions.order_by("-number").prefetch_related("instalments")


def next_due(loan) -> Instalment | None:
    return live_instalments(loan).exclude(status=InstalmentStatus.PAID).first()


def repayments_of(loan) -> QuerySet[Repayment]:
    return loan.repayments.prefetch_related("allocations__instalment").order_by("-paid_on", "-pk")


def loans_of_enterprise(uscc: str) -> QuerySet[Loan]:
    """System read (no acting person): every loan of one enterprise, for post-loan monitoring."""
    return Loan.objects.filter(uscc=(uscc or "").strip().upper()).order_by("start_date", "pk")


def overdue_instalments(
    *, actor=None, institution=None, bucket: str = "", as_of: date | None = None
) -> QuerySet[Instalment]:
    """Live unpaid instalments past due (as computed by the last overdue job run).

    Scoped to ``actor`` when given; ``institution`` narrows further (system reads).
    """
    queryset = Instalment.objects.filter(superseded=False, status=InstalmentStatus.OVERDUE).select_related(
        "loan"
    )
    if actor is not None:
        queryset = queryset.filter(loan__in=loans_for(actor=actor))
    if institution is not None:
        queryset = queryset.filter(loan__institution=institution)
    if bucket:
        queryset = queryset.filter(bucket=bucket)
    if as_of is not None:
        queryset = queryset.filter(due_date__lt=as_of)
    return queryset.order_by("-days_past_due", "due_date")


def borrower_history(*, uscc: str) -> dict:
    """An enterprise's borrowing record on the platform: no personal data, only loans and how
    they were repaid (used by credit decisions, post-loan monitoring and timeliness)."""
    loans = loans_of_enterprise(uscc)
    totals = loans.aggregate(
        count=Count("pk"),
        principal=Sum("principal"),
        outstanding=Sum("outstanding_principal"),
        active=Count("pk", filter=Q(status=LoanStatus.ACTIVE)),
        overdue=Count("pk", filter=Q(status=LoanStatus.OVERDUE)),
        settled=Count("pk", filter=Q(status=LoanStatus.SETTLED)),
    )
    instalments = Instalment.objects.filter(loan__in=loans, superseded=False)
    paid = instalments.filter(status=InstalmentStatus.PAID)
    record = paid.aggregate(
        paid=Count("pk"),
        on_time=Count("pk", filter=Q(max_days_past_due=0)),
        late=Count("pk", filter=Q(max_days_past_due__gt=0)),
        worst=Max("max_days_past_due"),
    )
    currently = instalments.filter(status=InstalmentStatus.OVERDUE).aggregate(
        n=Count("pk"), worst=Max("days_past_due")
    )
    return {
        "uscc": (uscc or "").strip().upper(),
        "loans": totals["count"],
        "active_loans": totals["active"],
        "overdue_loans": totals["overdue"],
        "settled_loans": totals["settled"],
        "total_principal": totals["principal"] or ZERO,
        "outstanding_principal": totals["outstanding"] or ZERO,
        "instalments_paid": record["paid"],
        "instalments_paid_on_time": record["on_time"],
        "instalments_paid_late": record["late"],
        "on_time_ratio": (record["on_time"] / record["paid"]) if record["paid"] else None,
        "overdue_instalments_now": currently["n"],
        "worst_days_past_due_now": currently["worst"] or 0,
        "worst_days_past_due_ever": max(record["worst"] or 0, currently["worst"] or 0),
        "first_loan_on": loans.values_list("start_date", flat=True).first(),
        "loans_detail": [
            {
                "contract_number": loan.contract_number,
                "institution": loan.institution_name,
                "principal": loan.principal,
                "start_date": loan.start_date,
                "maturity_date": loan.maturity_date,
                "status": loan.status,
                "days_past_due": loan.days_past_due,
            }
            for loan in loans
        ],
    }


def loan_totals(*, actor) -> dict:
    """Counts and sums of the loans the actor sees (list page header)."""
    return loans_for(actor=actor).aggregate(
        count=Count("pk"),
        principal=Sum("principal"),
        outstanding=Sum("outstanding_principal"),
        overdue=Count("pk", filter=Q(status=LoanStatus.OVERDUE)),
    )
