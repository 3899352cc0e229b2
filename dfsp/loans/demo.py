"""Demo loans, made through the services (audit rows and messages are real):

* 华源新材料's approved application at 工行大庆分行 (from the financing demo) is disbursed today;
* two earlier loans of 华源新材料 (工行 and 大庆农商行) with repayments on their due dates;
* one loan of 华源新材料 whose last two instalments were missed: the overdue job marks it overdue.
"""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from dfsp.financing import selectors as financing_selectors
from dfsp.financing import services as financing_services
from dfsp.institutions import selectors as institution_selectors
from dfsp.loans import selectors, services
from dfsp.loans.models import Loan

ENTERPRISE = "华源新材料"


def _user(username):
    return get_user_model().objects.filter(username=username).first()


def _approved_application(officer, enterprise_admin, *, amount, term: int):
    """An application of the demo enterprise, approved by ``officer``'s institution, through financing,
    on a live product the enterprise has no open application for."""
    busy = {
        a.product_id
        for a in financing_selectors.applications_for(actor=enterprise_admin)
        if a.status in ("submitted", "accepted", "returned", "approved")
    }
    products = [
        p for p in institution_selectors.list_products_for(officer) if p.status == "live" and p.pk not in busy
    ]
    if not products:
        return None
    product = products[0]
    amount = max(Decimal(amount), product.amount_min * 10000)
    amount = min(amount, product.amount_max * 10000)
    term = min(max(term, product.term_min), product.term_max)
    preview = financing_services.preview_application(actor=enterprise_admin, product_id=product.pk)
    application = financing_services.submit_application(
        actor=enterprise_admin,
        product_id=product.pk,
        amount=amount,
        term_months=term,
        purpose="补充流动资金，采购聚丙烯原料",
        number=preview["number"],
        shown_text_hash=preview["text_hash"],
        confirmed=True,
    )
    financing_services.accept_application(actor=officer, application_id=application.pk)
    return financing_services.approve_application(
        actor=officer,
        application_id=application.pk,
        amount=amount,
        rate=product.rate_min,
        term_months=term,
        conditions="按月付息，按期还本",
    )


def _disburse(officer, application, contract, *, start, method, day):
    return services.disburse_loan(
        actor=officer,
        application_id=application.pk,
        contract_number=contract,
        amount=application.approved_amount,
        annual_rate=application.approved_rate,
        term_months=application.approved_term_months,
        start_date=start,
        repayment_day=day,
        method=method,
    )


def _pay_due(officer, loan, *, upto, skip_last: int = 0):
    """Pay every instalment due up to ``upto`` on its due date, except the last ``skip_last``."""
    due = [row for row in selectors.live_instalments(loan) if row.due_date <= upto]
    for row in due[: len(due) - skip_last]:
        row.refresh_from_db()
        if row.outstanding > 0:
            services.record_repayment(
                actor=officer,
                loan_id=loan.pk,
                amount=row.outstanding,
                paid_on=row.due_date,
                reference=f"DEMO-{loan.pk}-{row.number}",
            )


def seed(stdout) -> None:
    officer, rcb_officer, ent_admin = _user("bank_officer"), _user("rcb_officer"), _user("ent_admin")
    if not (officer and ent_admin):
        stdout.write("  loans: demo users missing; skipped")
        return
    today = timezone.localdate()
    made = 0
    # 1. The approved demo application from financing, disbursed today.
    waiting = [
        a
        for a in financing_selectors.applications_for(actor=officer, status="approved")
        if ENTERPRISE in a.enterprise_name
    ]
    for application in waiting[:1]:
        if not Loan.objects.filter(application=application).exists():
            _disburse(
                officer,
                application,
                "GH-DQ-2026-0318",
                start=today,
                method="equal_instalment",
                day=min(today.day, 28),
            )
            made += 1
    # 2. Earlier loans with repayments, and 3. one overdue loan.
    # The overdue loan first: it matters most to the post-loan demo. Each loan goes to the preferred
    # institution, or the other one when the enterprise already has open applications on all its products.
    plans = [
        ("GH-DQ-2026-0215", "500000", 130, "equal_instalment", 2),
        ("GH-DQ-2026-0107", "800000", 240, "equal_principal", 0),
        ("NSH-DQ-2026-0562", "300000", 150, "interest_first", 0),
    ]
    for contract, amount, days_ago, method, missed in plans:
        if Loan.objects.filter(contract_number=contract).exists():
            continue
        preferred = [rcb_officer, officer] if contract.startswith("NSH") else [officer, rcb_officer]
        for staff in filter(None, preferred):
            application = _approved_application(staff, ent_admin, amount=amount, term=12)
            if application is not None:
                break
        else:
            continue
        start = today - timedelta(days=days_ago)
        loan = _disburse(staff, application, contract, start=start, method=method, day=min(start.day, 28))
        _pay_due(staff, loan, upto=today - timedelta(days=1), skip_last=missed)
        made += 1
    summary = services.run_overdue_job(today=today)
    overdue = Loan.objects.filter(status="overdue").count()
    stdout.write(
        f"  loans: {made} new, {Loan.objects.count()} in all, {overdue} overdue ({summary['past_due_instalments']} instalments past due)"
    )
