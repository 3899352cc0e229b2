"""Safeguards around review: refused writes are audited, an entry that matches a waiting
certification blocks its approval, entries dated in the future apply when their day comes, and the
operators' queue filters and sorts by waiting time."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from dfsp.accounts.selectors import organisation_of
from dfsp.accounts.tests.factories import member
from dfsp.core.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from dfsp.enterprises import selectors, services, tasks
from dfsp.enterprises.models import BlacklistEntry, Certification
from dfsp.enterprises.states import CertificationStatus as S
from dfsp.enterprises.tests.helpers import EXE, audit_events, blacklist, certify, pdf, submit
from dfsp.notifications.models import Message

pytestmark = pytest.mark.django_db


# --- Refusals leave an audit row and change nothing ----------------------------------------------


def test_an_illegal_move_is_refused_audited_and_changes_nothing(enterprise_admin, operator_user):
    certification = submit(enterprise_admin)
    services.reject_certification(
        reviewer=operator_user, certification_id=certification.pk, reason="执照过期"
    )
    with pytest.raises(InvalidTransition):
        services.approve_certification(reviewer=operator_user, certification_id=certification.pk)
    assert Certification.objects.get(pk=certification.pk).status == S.REJECTED
    refused = audit_events(event_type="enterprises.certification.approve_refused").get()
    assert refused.outcome == "failure" and refused.actor_id == operator_user.pk
    assert refused.object_id == str(certification.pk)
    assert refused.details["code"] == "invalid_transition" and refused.details["status"] == 409


def test_a_forged_upload_is_refused_and_audited(enterprise_admin):
    with pytest.raises(ValidationFailed):
        submit(enterprise_admin, materials=services.Materials(business_licence=pdf(content=EXE)))
    refused = audit_events(event_type="enterprises.certification.submit_refused").get()
    assert refused.details["fields"] == ["business_licence"]
    assert not Certification.objects.filter(
        organisation=organisation_of(enterprise_admin), status=S.SUBMITTED
    ).exists()


def test_a_decision_on_an_unknown_certification_is_audited_as_denied(operator_user):
    with pytest.raises(NotFound):
        services.approve_certification(reviewer=operator_user, certification_id=999999)
    assert audit_events(event_type="enterprises.certification.approve_refused", outcome="denied").exists()


def test_a_bad_blacklist_entry_is_refused_and_audited_but_the_daily_job_is_not(operator_user):
    with pytest.raises(ValidationFailed):
        blacklist(operator_user, "not-a-code", start_date=None)
    assert not BlacklistEntry.objects.exists()
    refused = audit_events(event_type="enterprises.blacklist.create_refused").get()
    assert refused.actor_id == operator_user.pk and "uscc" in refused.details["fields"]

    assert services.apply_entries_now_in_force() == {"entries": 0, "flagged": 0}
    assert audit_events(event_type="enterprises.blacklist.create_refused").count() == 1


def test_a_duplicate_registration_is_audited(enterprise_admin):
    taken = organisation_of(enterprise_admin).uscc
    with pytest.raises(Conflict):
        services.register_enterprise(
            name="重复企业", uscc=taken, region_code="230602", legal_representative="李四",
            industry="C", scale="small", username="dup", full_name="李四", mobile="13912345670",
            password="Str0ng#Passw0rd", sms_code="123456",
        )  # fmt: skip
    refused = audit_events(event_type="enterprises.registration.refused").get()
    assert refused.object_id == taken and refused.details["code"] == "uscc_taken"


def test_registrations_from_one_network_are_limited(enterprise_admin):
    taken = organisation_of(enterprise_admin).uscc
    codes = []
    for _attempt in range(services.REGISTRATIONS_PER_IP_PER_HOUR + 1):
        with pytest.raises((Conflict, ValidationFailed)) as exc:
            services.register_enterprise(
                name="脚本注册", uscc=taken, region_code="230602", legal_representative="李四",
                industry="C", scale="small", username="bot", full_name="李四", mobile="13912345670",
                password="Str0ng#Passw0rd", sms_code="123456", ip="10.9.9.9",
            )  # fmt: skip
        codes.append(exc.value.code)
    assert codes[-1] == "rate_limited" and "rate_limited" not in codes[:-1]


# --- A waiting certification whose enterprise is listed meanwhile --------------------------------


def test_approval_is_refused_when_an_entry_came_into_force_while_waiting(enterprise_admin, operator_user):
    certification = submit(enterprise_admin)
    blacklist(operator_user, organisation_of(enterprise_admin).uscc, kind="serious_dishonesty")
    # operators are told at once
    assert (
        Message.objects.filter(
            recipient=operator_user, link=f"/enterprises/review/{certification.pk}/"
        ).count()
        == 2
    )
    with pytest.raises(Conflict) as exc:
        services.approve_certification(reviewer=operator_user, certification_id=certification.pk)
    assert exc.value.code == "blacklist_hit" and "拒不履行生效判决" in str(exc.value.message)
    assert Certification.objects.get(pk=certification.pk).status == S.SUBMITTED
    assert not selectors.is_certified(organisation_of(enterprise_admin))
    # rejecting stays possible; a resubmission is then terminated by the check
    services.reject_certification(
        reviewer=operator_user, certification_id=certification.pk, reason="列入名单"
    )
    assert submit(enterprise_admin, materials=services.Materials()).status == S.TERMINATED


def test_the_review_page_shows_the_hit_and_refuses_approval_as_a_form_error(
    client, login, enterprise_admin, operator_user
):
    certification = submit(enterprise_admin)
    blacklist(operator_user, organisation_of(enterprise_admin).uscc)
    login(operator_user)
    url = reverse("enterprises:review_detail", args=[certification.pk])
    page = client.get(url)
    assert "拒不履行生效判决" in page.content.decode()
    response = client.post(url, {"decision": "approve", "reason": ""})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Certification.objects.get(pk=certification.pk).status == S.SUBMITTED


def test_an_ended_entry_no_longer_blocks_approval(enterprise_admin, operator_user):
    certification = submit(enterprise_admin)
    entry = blacklist(operator_user, organisation_of(enterprise_admin).uscc)
    services.end_blacklist_entry(actor=operator_user, entry_id=entry.pk)
    services.approve_certification(reviewer=operator_user, certification_id=certification.pk)
    assert selectors.is_certified(organisation_of(enterprise_admin))


# --- Entries dated in the future ----------------------------------------------------------------


def test_a_future_entry_flags_certified_enterprises_on_its_start_date(enterprise_admin, operator_user):
    certify(enterprise_admin, operator_user)
    organisation = organisation_of(enterprise_admin)
    start = timezone.localdate() + timedelta(days=3)
    entry = blacklist(operator_user, organisation.uscc, start_date=start)
    assert tasks.apply_blacklist_entries() == {"entries": 0, "flagged": 0}
    assert selectors.is_certified(organisation)

    with time_machine.travel(timezone.now() + timedelta(days=3), tick=False):
        assert tasks.apply_blacklist_entries() == {"entries": 1, "flagged": 1}
        certification = Certification.objects.get(organisation=organisation)
        assert certification.status == S.RE_REVIEW_REQUIRED and certification.blacklist_entry == entry
        assert Message.objects.filter(recipient=operator_user, body__contains="拒不履行").exists()
        assert audit_events(event_type="enterprises.blacklist.in_force", object_id=str(entry.pk)).exists()
        # applied once: an operator who keeps the certification is not overruled the next night
        services.approve_certification(reviewer=operator_user, certification_id=certification.pk)
        assert tasks.apply_blacklist_entries() == {"entries": 0, "flagged": 0}
        assert selectors.is_certified(organisation)
    assert BlacklistEntry.objects.get(pk=entry.pk).applied_at is not None


def test_an_entry_in_force_when_created_is_applied_at_once(enterprise_admin, operator_user):
    certify(enterprise_admin, operator_user)
    entry = blacklist(operator_user, organisation_of(enterprise_admin).uscc)
    assert BlacklistEntry.objects.get(pk=entry.pk).applied_at is not None
    assert tasks.apply_blacklist_entries() == {"entries": 0, "flagged": 0}


# --- The operators' queue -------------------------------------------------------------------------


def test_the_queue_filters_and_sorts_by_waiting_time(client, login, operator_user):
    admins = [member("enterprise_admin", username=f"queue_admin_{n}") for n in range(3)]
    waiting = [submit(admin) for admin in admins]
    now = timezone.now()
    for days, certification in zip((1, 5, 3), waiting, strict=True):
        Certification.objects.filter(pk=certification.pk).update(submitted_at=now - timedelta(days=days))
    services.return_certification(reviewer=operator_user, certification_id=waiting[2].pk, reason="补材料")

    oldest_first = list(selectors.review_queue(operator_user))
    assert oldest_first == [waiting[1], waiting[0]]  # 5 days, then 1 day; the returned one left the queue
    assert list(selectors.review_queue(operator_user, order="newest")) == [waiting[0], waiting[1]]
    assert list(selectors.review_queue(operator_user, status="returned")) == [waiting[2]]
    name = waiting[0].organisation.name
    assert list(selectors.review_queue(operator_user, query=name)) == [waiting[0]]

    login(operator_user)
    page = client.get(reverse("enterprises:review_queue"), {"order": "oldest"})
    assert list(page.context["page"].object_list) == [waiting[1], waiting[0]]
    page = client.get(reverse("enterprises:review_queue"), {"status": "returned"})
    assert list(page.context["page"].object_list) == [waiting[2]]


def test_the_queue_is_for_operators_only(client, login, enterprise_admin):
    login(enterprise_admin)
    assert client.get(reverse("enterprises:review_queue")).status_code == 403


# --- Decisions reach the enterprise admin's mobile -----------------------------------------------


def test_a_decision_is_sent_by_sms_after_commit(operator_user, django_capture_on_commit_callbacks):
    from dfsp.enterprises.tests.helpers import CapturingSms

    admin = member("enterprise_admin", username="sms_admin", mobile="13904590077")
    certification = submit(admin)
    with django_capture_on_commit_callbacks(execute=True):
        services.return_certification(
            reviewer=operator_user, certification_id=certification.pk, reason="请补充授权书"
        )
    assert any(address == "13904590077" and "请补充授权书" in text for address, text in CapturingSms.sent)
    assert Message.objects.filter(recipient=admin, body="请补充授权书").exists()


def test_an_entry_moved_to_a_later_start_applies_on_that_day(enterprise_admin, operator_user):
    organisation = organisation_of(enterprise_admin)
    entry = blacklist(operator_user, organisation.uscc, start_date=timezone.localdate())
    assert BlacklistEntry.objects.get(pk=entry.pk).applied_at is not None
    later = timezone.localdate() + timedelta(days=2)
    services.update_blacklist_entry(
        actor=operator_user, entry_id=entry.pk, **{**_entry_fields(entry), "start_date": later}
    )
    assert BlacklistEntry.objects.get(pk=entry.pk).applied_at is None
    with time_machine.travel(timezone.now() + timedelta(days=2), tick=False):
        assert tasks.apply_blacklist_entries()["entries"] == 1


def _entry_fields(entry):
    return {
        name: getattr(entry, name)
        for name in ("uscc", "name", "kind", "source", "reason", "issuing_body", "start_date", "end_date")
    }
