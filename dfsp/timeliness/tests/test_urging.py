"""The lateness job, urging with escalation 1 → 2 → 3, replies, 督办 and who may do what."""

import datetime as dt

import pytest
from django.apps import apps

from dfsp.core.errors import AccessDenied, Conflict, InvalidTransition, NotFound, ValidationFailed
from dfsp.financing import services as financing_services
from dfsp.timeliness import selectors, services
from dfsp.timeliness.models import Escalation, LatenessFlag, Urge
from dfsp.timeliness.tests.conftest import LATE_NOW, SH

pytestmark = pytest.mark.django_db


def messages_to(user):
    return apps.get_model("notifications", "Message").objects.filter(recipient=user, category="timeliness")


def sms_count():
    return apps.get_model("notifications", "OutboundDelivery").objects.filter(category="timeliness").count()


def audit(event_type):
    return apps.get_model("audit", "AuditEvent").objects.filter(event_type=event_type)


def test_application_is_due_on_the_second_working_day(application):
    assert application.due_at == dt.datetime(2026, 3, 4, 23, 59, 59, tzinfo=SH)


def test_job_does_not_flag_before_the_deadline(application, time_machine, loan_officer):
    time_machine.move_to(dt.datetime(2026, 3, 4, 23, 0, tzinfo=SH), tick=False)
    assert services.flag_late_applications() == {"late": 0, "flagged": 0}
    assert not LatenessFlag.objects.exists()


def test_job_flags_once_and_notifies_the_institution(late_application, loan_officer, bank_manager):
    # given an application past its accept deadline
    # when the job runs twice
    first = services.flag_late_applications()
    second = services.flag_late_applications(now=LATE_NOW + dt.timedelta(hours=1))
    # then it is flagged and the staff told once (in-app and SMS); the admins are not told yet
    assert first == {"late": 1, "flagged": 1}
    assert second == {"late": 1, "flagged": 0}
    flag = LatenessFlag.objects.get()
    assert flag.step == "accept" and flag.due_at == late_application.due_at
    assert messages_to(loan_officer).count() == 1
    assert not messages_to(bank_manager).exists()
    assert sms_count() == 1
    assert audit("timeliness.application.late").count() == 1


def test_a_new_lateness_of_the_next_step_is_flagged_again(late_application, loan_officer, time_machine):
    services.flag_late_applications()
    financing_services.accept_application(actor=loan_officer, application_id=late_application.pk)
    time_machine.move_to(dt.datetime(2026, 3, 20, 10, tzinfo=SH), tick=False)  # decide (5 days) is late too
    assert services.flag_late_applications()["flagged"] == 1
    assert sorted(LatenessFlag.objects.values_list("step", flat=True)) == ["accept", "decide"]


def test_job_task_records_a_run(late_application):
    from dfsp.timeliness.tasks import flag_late_applications

    assert flag_late_applications() == {"late": 1, "flagged": 1}
    run = apps.get_model("core", "JobRun").objects.get(job="timeliness.flag_late_applications")
    assert run.summary == {"late": 1, "flagged": 1}


def test_urges_escalate_from_staff_to_admins_to_supervision(
    late_application, regulator, operator_user, loan_officer, bank_manager
):
    first = services.urge_application(actor=regulator, application_id=late_application.pk, note="请尽快受理")
    assert first.level == 1
    assert messages_to(loan_officer).count() == 1 and not messages_to(bank_manager).exists()

    second = services.urge_application(
        actor=operator_user, application_id=late_application.pk, note="再次催办"
    )
    assert second.level == 2
    assert messages_to(loan_officer).count() == 2 and messages_to(bank_manager).count() == 1
    assert not Escalation.objects.exists()

    third = services.urge_application(actor=regulator, application_id=late_application.pk, note="第三次催办")
    assert third.level == 3
    item = Escalation.objects.get()
    assert (
        item.status == "open"
        and item.urge == third
        and item.institution_id == late_application.institution_id
    )
    assert messages_to(regulator).filter(link="/timeliness/supervision/").exists()
    assert messages_to(bank_manager).count() == 2

    fourth = services.urge_application(actor=regulator, application_id=late_application.pk, note="仍未处理")
    assert fourth.level == 3 and Escalation.objects.count() == 1
    assert sms_count() >= 4
    assert audit("timeliness.urge.sent").count() == 4


def test_reply_is_seen_by_the_urger(late_application, regulator, loan_officer):
    urge = services.urge_application(actor=regulator, application_id=late_application.pk, note="请尽快受理")
    services.reply_to_urge(actor=loan_officer, urge_id=urge.pk, reply="材料核验中，明日受理")
    seen = selectors.get_urge_for(actor=regulator, urge_id=urge.pk)
    assert seen.reply == "材料核验中，明日受理" and seen.replied_by == loan_officer
    assert messages_to(regulator).filter(body="材料核验中，明日受理").exists()
    assert audit("timeliness.urge.replied").count() == 1
    with pytest.raises(Conflict) as caught:
        services.reply_to_urge(actor=loan_officer, urge_id=urge.pk, reply="again")
    assert caught.value.code == "urge_already_replied"
    assert list(selectors.urges_for(actor=loan_officer, open_only=True)) == []


def test_wrong_roles_cannot_urge(late_application, certified_admin, loan_officer, bank_manager):
    for person in (certified_admin, loan_officer, bank_manager):
        with pytest.raises(AccessDenied):
            services.urge_application(actor=person, application_id=late_application.pk, note="x")
    assert not Urge.objects.exists()


def test_another_institution_cannot_reply_or_see(
    late_application, regulator, other_bank_officer, certified_admin
):
    urge = services.urge_application(actor=regulator, application_id=late_application.pk, note="请尽快受理")
    with pytest.raises(NotFound):
        services.reply_to_urge(actor=other_bank_officer, urge_id=urge.pk, reply="not ours")
    assert list(selectors.urges_for(actor=other_bank_officer)) == []
    with pytest.raises(AccessDenied):
        services.reply_to_urge(actor=certified_admin, urge_id=urge.pk, reply="x")
    with pytest.raises(AccessDenied):
        selectors.urges_for(actor=certified_admin)
    assert Urge.objects.get().replied_at is None


def test_only_late_applications_are_urged(application, regulator, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 3, 9, tzinfo=SH), tick=False)
    with pytest.raises(Conflict) as caught:
        services.urge_application(actor=regulator, application_id=application.pk, note="too early")
    assert caught.value.code == "application_not_late"
    with pytest.raises(NotFound):
        services.urge_application(actor=regulator, application_id=999999, note="none")
    with pytest.raises(ValidationFailed):
        time_machine.move_to(LATE_NOW, tick=False)
        services.urge_application(actor=regulator, application_id=application.pk, note="   ")
    assert not Urge.objects.exists()


def test_regulator_closes_a_supervision_item_once(late_application, regulator, operator_user):
    for note in ("一", "二", "三"):
        services.urge_application(actor=regulator, application_id=late_application.pk, note=note)
    item = Escalation.objects.get()
    with pytest.raises(AccessDenied):
        services.close_escalation(actor=operator_user, escalation_id=item.pk, note="x")
    with pytest.raises(ValidationFailed):
        services.close_escalation(actor=regulator, escalation_id=item.pk, note="")
    services.close_escalation(actor=regulator, escalation_id=item.pk, note="已约谈，机构已受理")
    item.refresh_from_db()
    assert item.status == "closed" and item.closed_by == regulator
    with pytest.raises(InvalidTransition):
        services.close_escalation(actor=regulator, escalation_id=item.pk, note="again")
    assert audit("timeliness.escalation.closed").count() == 1


def test_late_queue_counts_working_days_and_urges(late_application, regulator, loan_officer):
    services.urge_application(actor=regulator, application_id=late_application.pk, note="请尽快受理")
    [row] = selectors.late_queue(actor=regulator)
    assert row.application.pk == late_application.pk
    assert row.days_late == 2  # Thursday 5 and Friday 6 March
    assert row.urges == 1 and row.next_level == 2
    with pytest.raises(AccessDenied):
        selectors.late_queue(actor=loan_officer)
