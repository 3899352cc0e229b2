"""Loan pages: the institution's loans, disbursement (放贷) and repayment forms; the enterprise's
loans with schedule, next due and history. Thin: parse, call one service or selector, render."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dfsp.accounts.roles import ENTERPRISE_ROLES, INSTITUTION_ROLES, Role
from dfsp.core.access import login_required_view, role_required
from dfsp.core.errors import DomainError
from dfsp.financing import selectors as financing_selectors
from dfsp.loans import selectors, services
from dfsp.loans.forms import DisburseForm, LoanFilterForm, RepaymentForm


def _apply_errors(form, exc: DomainError) -> None:
    if exc.field_errors:
        for name, message in exc.field_errors.items():
            form.add_error(name if name in form.fields else None, message)
    else:
        form.add_error(None, exc.message)


@role_required(*INSTITUTION_ROLES, Role.OPERATOR, Role.REGULATOR)
def loan_list(request):
    form = LoanFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    queryset = selectors.loans_for(actor=request.user, status=data.get("status", ""), query=data.get("q", ""))
    page = Paginator(queryset, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "loans/loan_list.html",
        {"page": page, "form": form, "totals": selectors.loan_totals(actor=request.user)},
    )


@role_required(*ENTERPRISE_ROLES)
def my_loans(request):
    loans = list(selectors.loans_for(actor=request.user))
    rows = [{"loan": loan, "next": selectors.next_due(loan)} for loan in loans]
    return render(
        request, "loans/my_loans.html", {"rows": rows, "totals": selectors.loan_totals(actor=request.user)}
    )


@login_required_view
def loan_detail(request, loan_id: int):
    loan = selectors.get_loan_for(actor=request.user, loan_id=loan_id)
    return render(
        request,
        "loans/loan_detail.html",
        {
            "loan": loan,
            "instalments": selectors.live_instalments(loan).select_related("schedule"),
            "next": selectors.next_due(loan),
            "repayments": selectors.repayments_of(loan),
            "versions": selectors.schedule_history(loan),
            "events": loan.events.select_related("actor"),
            "is_lender": request.user.has_any_role(INSTITUTION_ROLES),
        },
    )


@role_required(*INSTITUTION_ROLES)
@require_http_methods(["GET", "POST"])
def disburse(request, application_id: int):
    application = financing_selectors.get_application_for(actor=request.user, application_id=application_id)
    existing = selectors.loan_for_application(actor=request.user, application_id=application.pk)
    if existing is not None:
        messages.info(request, _("A loan was already recorded for this application."))
        return redirect("loans:detail", loan_id=existing.pk)
    initial = {
        "amount": application.approved_amount,
        "annual_rate": application.approved_rate,
        "term_months": application.approved_term_months,
        "start_date": timezone.localdate(),
        "repayment_day": timezone.localdate().day,
        "method": "equal_instalment",
    }
    form = DisburseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            loan = services.disburse_loan(
                actor=request.user, application_id=application.pk, **form.cleaned_data
            )
        except DomainError as exc:
            if exc.status != 400:
                raise
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Loan recorded; the enterprise has been told."))
            return redirect("loans:detail", loan_id=loan.pk)
    return render(request, "loans/disburse_form.html", {"form": form, "application": application})


@role_required(*INSTITUTION_ROLES)
@require_http_methods(["GET", "POST"])
def repay(request, loan_id: int):
    loan = selectors.get_loan_for(actor=request.user, loan_id=loan_id)
    form = RepaymentForm(request.POST or None, initial={"paid_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_repayment(actor=request.user, loan_id=loan.pk, **form.cleaned_data)
        except DomainError as exc:
            if exc.status != 400:
                raise
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Repayment recorded."))
            return redirect("loans:detail", loan_id=loan.pk)
    return render(
        request, "loans/repayment_form.html", {"form": form, "loan": loan, "next": selectors.next_due(loan)}
    )
