"""Post-loan demo on the loans demo (made through the services, so audit rows and messages are real):

* ratings both ways on 华源新材料's loan GH-DQ-2026-0318 (ent_admin ↔ bank_officer);
* a deferral request on the same loan, waiting for bank_officer's decision;
* a renewal application for GH-DQ-2026-0107, maturing in a few months;
* an overdue report on the overdue loan GH-DQ-2026-0215 with a blacklist proposal that waits for
  the operator's review (nothing is listed until then).
"""

from datetime import timedelta

from django.contrib.auth import get_user_model

from dfsp.accounts.roles import INSTITUTION_ROLES
from dfsp.accounts.selectors import active_members
from dfsp.core.errors import DomainError
from dfsp.loans import selectors as loan_selectors
from dfsp.postloan import services
from dfsp.postloan.models import BlacklistProposal, Deferral, OverdueReport, Rating, Renewal

DEMO_LOAN, RENEWED_LOAN, OVERDUE_LOAN = "GH-DQ-2026-0318", "GH-DQ-2026-0107", "GH-DQ-2026-0215"


def _user(username):
    return get_user_model().objects.filter(username=username).first()


def _pick(loans, contract, **fallback):
    """The loans demo's loan with this contract number, else any loan of the demo enterprise that fits."""
    return loans.filter(contract_number=contract).first() or loans.filter(**fallback).order_by("pk").first()


def _staff_of(loan):
    """Who acts for the lending institution: its demo loan officer when there is one."""
    people = active_members(INSTITUTION_ROLES, loan.institution)
    return next(
        (u for u in people if u.username in ("bank_officer", "rcb_officer")), people[0] if people else None
    )


def _try(stdout, what, call) -> bool:
    try:
        call()
    except DomainError as exc:
        stdout.write(f"  postloan: {what} skipped ({exc.code})")
        return False
    return True


def seed(stdout) -> None:
    _seed_population(stdout)
    ent_admin = _user("ent_admin")
    if ent_admin is None:
        stdout.write("  postloan: demo users missing; skipped")
        return
    loans = loan_selectors.loans_for(actor=ent_admin)
    done = []
    loan = _pick(loans, DEMO_LOAN, status="active")
    officer = _staff_of(loan) if loan is not None else None
    if loan is not None and officer is not None:
        if not Rating.objects.filter(loan=loan, direction="ent_to_inst").exists():
            _try(stdout, "enterprise rating", lambda: services.rate_loan(
                actor=ent_admin, loan_id=loan.pk, stars=5, tags=["fast", "professional", "transparent"],
                comment="客户经理上门服务，三个工作日放款，利率透明。"))  # fmt: skip
            done.append("rating by the enterprise")
        if not Rating.objects.filter(loan=loan, direction="inst_to_ent").exists():
            _try(stdout, "institution rating", lambda: services.rate_loan(
                actor=officer, loan_id=loan.pk, stars=4, tags=["cooperative", "complete_materials"],
                comment="材料齐全，配合度高，经营稳健。"))  # fmt: skip
            done.append("rating by the bank")
        if not Deferral.objects.filter(loan=loan).exists():
            _try(stdout, "deferral", lambda: services.request_deferral(
                actor=ent_admin, loan_id=loan.pk, kind="principal",
                reason="下游车企回款周期由60天延长至120天，申请本金延期六个月，利息照常按月支付。",
                proposed_maturity_date=loan.maturity_date + timedelta(days=183)))  # fmt: skip
            done.append("deferral request")
    renewed = _pick(loans, RENEWED_LOAN, status="active")
    if (
        renewed is not None
        and not Renewal.objects.filter(loan=renewed).exists()
        and _renew(stdout, ent_admin, renewed)
    ):
        done.append("renewal")
    overdue = _pick(loans, OVERDUE_LOAN, status="overdue")
    if (
        overdue is not None
        and _staff_of(overdue) is not None
        and overdue.status == "overdue"
        and not OverdueReport.objects.filter(loan=overdue).exists()
        and _report(stdout, _staff_of(overdue), overdue)
    ):
        done.append("overdue report with a blacklist proposal")
    pending = BlacklistProposal.objects.filter(status="pending").count()
    stdout.write(f"  postloan: {', '.join(done) or 'nothing new'}; {pending} blacklist proposal(s) waiting")


def _renew(stdout, ent_admin, loan) -> bool:
    return _try(stdout, "renewal", lambda: services.request_renewal(
        actor=ent_admin, loan_id=loan.pk, amount=loan.principal, term_months=loan.term_months,
        purpose="续贷：继续用于聚丙烯原料采购周转", confirmed=True))  # fmt: skip


def _report(stdout, officer, loan) -> bool:
    return _try(stdout, "overdue report", lambda: services.file_overdue_report(
        actor=officer, loan_id=loan.pk, status="contacted",
        note="已电话联系财务负责人，称资金周转困难，暂无明确还款日期。",
        blacklist_reason="连续两期未还款，多次催收后仍无还款计划，疑似转移资产。"))  # fmt: skip


# Stars, tags and comments the demo population's enterprises give their lenders (in turn).
POPULATION_RATINGS = [
    (5, ["fast", "professional"], "客户经理主动上门，一周内放款。"),
    (4, ["fair_rate"], "利率合理，材料要求清楚。"),
    (5, ["few_materials", "fast"], "线上申请，材料很少。"),
    (3, ["slow"], "审批比预期慢了几天。"),
    (4, ["transparent"], "费用透明，没有额外收费。"),
]


def _seed_population(stdout) -> None:
    """The demo population's lending history (loans' demo_population), and its enterprises' ratings
    of about two loans in three, a few weeks after each loan started."""
    import datetime as dt
    from functools import partial

    from django.utils import timezone

    from dfsp.loans import demo_population

    loans = demo_population.seed(stdout)
    try:
        import time_machine
    except ImportError:
        return
    rated = 0
    for number, loan in enumerate(loans):
        when = loan.start_date + dt.timedelta(days=25)
        if number % 3 == 2 or when >= timezone.localdate():
            continue
        if Rating.objects.filter(loan=loan, direction="ent_to_inst").exists():
            continue
        stars, tags, comment = POPULATION_RATINGS[number % len(POPULATION_RATINGS)]
        with time_machine.travel(timezone.make_aware(dt.datetime.combine(when, dt.time(16))), tick=False):
            rated += _try(stdout, "population rating", partial(
                services.rate_loan, actor=demo_population._admin_of(loan.enterprise), loan_id=loan.pk,
                stars=stars, tags=tags, comment=comment))  # fmt: skip
    if rated:
        stdout.write(f"  postloan: {rated} ratings by the demo population\n")
