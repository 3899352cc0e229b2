"""Before maturity: the once-per-loan reminder, renewal through a new application, and deferral
requests decided by the lender (approval regenerates the schedule)."""

from datetime import date

import pytest

from dfsp.core.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from dfsp.notifications.models import Message
from dfsp.postloan import services
from dfsp.postloan.models import Deferral, MaturityReminder, Renewal
from dfsp.postloan.states import DEFERRAL_TRANSITIONS, DeferralStatus

NEW_MATURITY = date(2027, 7, 20)


def _request(actor, loan, **overrides):
    fields = {"kind": "principal", "reason": "订单回款延迟", "proposed_maturity_date": NEW_MATURITY}
    fields.update(overrides)
    return services.request_deferral(actor=actor, loan_id=loan.pk, **fields)


def test_deferral_request_carries_a_working_day_deadline(loan, certified_admin):
    deferral = _request(certified_admin, loan)

    assert deferral.status == DeferralStatus.PENDING
    assert deferral.due_at is not None and deferral.due_at > deferral.requested_at


def test_approval_regenerates_the_schedule_up_to_the_new_maturity(loan, certified_admin, loan_officer):
    version_before = loan.schedule_version
    deferral = _request(certified_admin, loan)

    services.approve_deferral(actor=loan_officer, deferral_id=deferral.pk, comment="同意展期")

    loan.refresh_from_db()
    deferral.refresh_from_db()
    assert deferral.status == DeferralStatus.APPROVED
    assert loan.schedule_version == version_before + 1 == deferral.schedule_version
    assert (loan.maturity_date.year, loan.maturity_date.month) == (2027, 7)
    assert loan.method == "interest_first"  # principal deferred: interest monthly, principal at maturity


def test_rejection_needs_a_reason_and_keeps_the_schedule(loan, certified_admin, loan_officer):
    deferral = _request(certified_admin, loan)
    with pytest.raises(ValidationFailed):
        services.reject_deferral(actor=loan_officer, deferral_id=deferral.pk, reason="")
    services.reject_deferral(actor=loan_officer, deferral_id=deferral.pk, reason="经营状况不支持")

    loan.refresh_from_db()
    deferral.refresh_from_db()
    assert deferral.status == DeferralStatus.REJECTED and loan.schedule_version == 1


@pytest.mark.parametrize("decided", ["approved", "rejected", "withdrawn"])
@pytest.mark.parametrize("action", ["approve", "reject", "withdraw"])
def test_decided_requests_refuse_every_further_move(loan, certified_admin, loan_officer, decided, action):
    assert DEFERRAL_TRANSITIONS[decided] == set()
    deferral = _request(certified_admin, loan)
    Deferral.objects.filter(pk=deferral.pk).update(status=decided)
    with pytest.raises(InvalidTransition):
        if action == "approve":
            services.approve_deferral(actor=loan_officer, deferral_id=deferral.pk)
        elif action == "reject":
            services.reject_deferral(actor=loan_officer, deferral_id=deferral.pk, reason="不同意")
        else:
            services.withdraw_deferral(actor=certified_admin, deferral_id=deferral.pk)
    loan.refresh_from_db()
    assert loan.schedule_version == 1


def test_enterprise_withdraws_and_may_ask_again(loan, certified_admin):
    deferral = _request(certified_admin, loan)
    with pytest.raises(Conflict):
        _request(certified_admin, loan)
    services.withdraw_deferral(actor=certified_admin, deferral_id=deferral.pk)
    assert _request(certified_admin, loan).status == DeferralStatus.PENDING


@pytest.mark.parametrize(
    "overrides",
    [{"kind": "everything"}, {"reason": " "}, {"proposed_maturity_date": date(2026, 12, 1)},
     {"proposed_maturity_date": date(2031, 1, 1)}, {"proposed_maturity_date": "2027-07-20"}],
)  # fmt: skip
def test_bad_deferral_requests_are_refused(loan, certified_admin, overrides):
    with pytest.raises(ValidationFailed):
        _request(certified_admin, loan, **overrides)
    assert not Deferral.objects.exists()


def test_strangers_neither_request_nor_decide(loan, certified_admin, other_enterprise_admin, loan_officer,
                                              stranger_bank_officer):  # fmt: skip
    with pytest.raises(NotFound):
        _request(other_enterprise_admin, loan)
    with pytest.raises(NotFound):
        _request(loan_officer, loan)  # the lender does not request for the borrower
    deferral = _request(certified_admin, loan)
    with pytest.raises(NotFound):
        services.approve_deferral(actor=stranger_bank_officer, deferral_id=deferral.pk)
    with pytest.raises(NotFound):
        services.approve_deferral(actor=certified_admin, deferral_id=deferral.pk)  # not the decider
    deferral.refresh_from_db()
    assert deferral.status == DeferralStatus.PENDING


def test_renewal_is_a_new_application_to_the_same_product_linked_to_the_loan(loan, certified_admin, product):
    renewal = services.request_renewal(
        actor=certified_admin,
        loan_id=loan.pk,
        amount="300000",
        term_months=12,
        purpose="续贷",
        confirmed=True,
    )

    assert renewal.loan == loan
    assert renewal.application.product_id == product.pk and renewal.application.status == "submitted"
    with pytest.raises(Conflict):
        services.request_renewal(
            actor=certified_admin,
            loan_id=loan.pk,
            amount="300000",
            term_months=12,
            purpose="再次",
            confirmed=True,
        )
    assert Renewal.objects.count() == 1


def test_renewal_by_a_stranger_is_not_found(loan, other_enterprise_admin, loan_officer):
    for actor in (other_enterprise_admin, loan_officer):
        with pytest.raises(NotFound):
            services.request_renewal(actor=actor, loan_id=loan.pk, amount="1", term_months=1, purpose="x")
    assert not Renewal.objects.exists()


def test_maturity_reminder_is_sent_once_per_loan(
    loan, certified_admin, settings, django_capture_on_commit_callbacks
):
    settings.POSTLOAN_MATURITY_REMINDER_DAYS = 30
    assert services.send_maturity_reminders(today=date(2026, 11, 1)) == 0  # maturity 2027-01-20 is far

    with django_capture_on_commit_callbacks(execute=True):
        sent = services.send_maturity_reminders(today=date(2027, 1, 1))
        again = services.send_maturity_reminders(today=date(2027, 1, 2))

    assert (sent, again) == (1, 0)
    assert MaturityReminder.objects.filter(loan=loan).count() == 1
    assert Message.objects.filter(recipient=certified_admin, category="postloan.maturity").count() == 1


def test_a_deferral_past_its_deadline_is_reminded_to_the_lender_once(
    loan, certified_admin, loan_officer, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.apps import apps

    from dfsp.postloan.models import CaseEvent

    audit_events = apps.get_model("audit", "AuditEvent").objects

    deferral = _request(certified_admin, loan)
    assert services.remind_late_deferrals(now=deferral.due_at - timedelta(minutes=1)) == 0

    later = deferral.due_at + timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.remind_late_deferrals(now=later)
        second = services.remind_late_deferrals(now=later + timedelta(hours=1))

    deferral.refresh_from_db()
    assert (first, second) == (1, 0)
    assert deferral.late_notified_at == later and deferral.status == DeferralStatus.PENDING
    officer_messages = Message.objects.filter(
        recipient=loan_officer, link=f"/postloan/deferrals/{deferral.pk}/"
    )
    assert officer_messages.count() == 1  # the request's own message left outside the capture
    assert Message.objects.filter(recipient=certified_admin, category="postloan.maturity").count() == 1
    assert CaseEvent.objects.filter(object_id=deferral.pk, action="late").count() == 1
    assert audit_events.filter(event_type="postloan.deferral.late", object_id=str(deferral.pk)).count() == 1


def test_decided_or_withdrawn_deferrals_are_never_reminded(loan, certified_admin, loan_officer):
    from datetime import timedelta

    deferral = _request(certified_admin, loan)
    services.reject_deferral(actor=loan_officer, deferral_id=deferral.pk, reason="材料不全")

    assert services.remind_late_deferrals(now=deferral.due_at + timedelta(days=3)) == 0
    deferral.refresh_from_db()
    assert deferral.late_notified_at is None
