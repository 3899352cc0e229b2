"""Scoped reads, the borrower history, due-date reminders and schedule re-generation (deferral)."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.apps import apps

from dfsp.core.errors import AccessDenied, Conflict, NotFound, ValidationFailed
from dfsp.loans import selectors, services
from dfsp.loans.models import Instalment, ScheduleVersion
from dfsp.loans.tests.helpers import fresh, live

pytestmark = pytest.mark.django_db


def messages_to(user, **filters):
    return apps.get_model("notifications", "Message").objects.filter(recipient=user, **filters)


def test_each_party_sees_only_its_loans(
    loan, loan_officer, other_officer, certified_admin, other_enterprise_admin, regulator
):
    assert list(selectors.loans_for(actor=loan_officer)) == [loan]
    assert list(selectors.loans_for(actor=certified_admin)) == [loan]
    assert list(selectors.loans_for(actor=regulator)) == [loan]
    assert not selectors.loans_for(actor=other_officer).exists()
    assert not selectors.loans_for(actor=other_enterprise_admin).exists()
    for outsider in (other_officer, other_enterprise_admin):
        with pytest.raises(NotFound):
            selectors.get_loan_for(actor=outsider, loan_id=loan.pk)
    with pytest.raises(NotFound):
        selectors.get_loan_for(actor=loan_officer, loan_id="nope")


def test_borrower_history_counts_on_time_and_late_instalments(loan, loan_officer, time_machine):
    time_machine.move_to("2026-02-20 10:00 +08:00", tick=False)
    services.record_repayment(actor=loan_officer, loan_id=loan.pk, amount="10600", paid_on="2026-02-20")
    services.run_overdue_job(today=date(2026, 3, 25))
    history = selectors.borrower_history(uscc=loan.uscc.lower())
    assert history["loans"] == 1 and history["overdue_loans"] == 1
    assert history["total_principal"] == D("120000.00") and history["outstanding_principal"] == D("110000.00")
    assert (history["instalments_paid"], history["instalments_paid_on_time"]) == (1, 1)
    assert history["overdue_instalments_now"] == 1 and history["worst_days_past_due_now"] == 5
    assert history["loans_detail"][0]["contract_number"] == "ICBC-DQ-2026-0001"
    assert "legal_representative" not in str(history) and "mobile" not in str(history)
    assert [i.number for i in selectors.overdue_instalments(actor=loan_officer)] == [2]
    assert list(selectors.loans_of_enterprise(loan.uscc)) == [loan]


def test_reminders_go_once_per_instalment_before_the_due_date(loan, certified_admin, settings):
    settings.LOANS_REMINDER_DAYS = 3
    assert services.send_due_reminders(today=date(2026, 2, 16))["reminded"] == 0  # 4 days ahead
    assert services.send_due_reminders(today=date(2026, 2, 17))["reminded"] == 1
    assert services.send_due_reminders(today=date(2026, 2, 18))["reminded"] == 0
    assert messages_to(certified_admin, title__contains="2026-02-20").count() == 1
    assert live(loan)[0].reminded_on == date(2026, 2, 17)


def test_deferral_regenerates_the_schedule_and_keeps_the_old_version(loan, loan_officer, time_machine):
    time_machine.move_to("2026-02-20 10:00 +08:00", tick=False)
    services.record_repayment(actor=loan_officer, loan_id=loan.pk, amount="10600", paid_on="2026-02-20")
    version = services.regenerate_schedule(
        actor=loan_officer, loan_id=loan.pk, reason="deferral", term_months=17, comment="展期六个月"
    )
    loan = fresh(loan)
    assert version.number == 2 and loan.schedule_version == 2 and loan.maturity_date == date(2027, 7, 20)
    rows = live(loan)
    assert len(rows) == 18 and sum(r.principal_due for r in rows) == D("120000.00")
    assert Instalment.objects.filter(loan=loan, superseded=True).count() == 11
    assert ScheduleVersion.objects.get(loan=loan, number=1).is_current is False


def test_regeneration_is_refused_with_arrears_bad_terms_or_for_outsiders(
    loan, loan_officer, other_officer, certified_admin
):
    with pytest.raises(ValidationFailed):
        services.regenerate_schedule(actor=loan_officer, loan_id=loan.pk, reason="deferral", term_months=0)
    with pytest.raises(NotFound):
        services.regenerate_schedule(actor=other_officer, loan_id=loan.pk, reason="deferral")
    with pytest.raises(AccessDenied):
        services.regenerate_schedule(actor=certified_admin, loan_id=loan.pk, reason="deferral")
    with pytest.raises(Conflict) as caught:
        services.regenerate_schedule(
            actor=loan_officer, loan_id=loan.pk, reason="deferral", on=date(2026, 2, 21)
        )
    assert caught.value.code == "loan_has_arrears"
    assert ScheduleVersion.objects.filter(loan=loan).count() == 1
