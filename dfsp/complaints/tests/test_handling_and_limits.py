"""Complaints, second pass: configurable limits, handling through the pages, rating rules, the
lookup code's throttle and attempt limit, statistics by subject and the scorecard summary."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from dfsp.accounts.tests.factories import OrganisationFactory, member
from dfsp.complaints import selectors, services, tasks
from dfsp.complaints.models import Complaint, LookupCode
from dfsp.complaints.states import ComplaintStatus
from dfsp.complaints.tests.audit_trail import audited
from dfsp.complaints.tests.conftest import MOBILE, file_one
from dfsp.core.errors import NotFound, ValidationFailed
from dfsp.notifications.models import Message

pytestmark = pytest.mark.django_db


def test_time_limits_come_from_settings(bank, operator_user):
    limits = {"submitted": 2, "accepted": 1, "assigned": 8}
    with override_settings(COMPLAINT_STEP_HOURS=limits), time_machine.travel(timezone.now(), tick=False):
        complaint = file_one(bank)
        assert complaint.due_at == timezone.now() + timedelta(hours=2)
        complaint = services.accept_complaint(actor=operator_user, complaint_id=complaint.pk)
        assert complaint.due_at == timezone.now() + timedelta(hours=1)
        complaint = services.assign_complaint(
            actor=operator_user, complaint_id=complaint.pk, assignee=operator_user
        )
        assert complaint.due_at == timezone.now() + timedelta(hours=8)
        complaint = services.reply_complaint(actor=operator_user, complaint_id=complaint.pk, reply="已处理")
        assert complaint.due_at is None


@override_settings(
    COMPLAINT_STEP_HOURS={"submitted": 24, "accepted": 24, "assigned": 4}, COMPLAINT_ESCALATE_AFTER_HOURS=2
)
def test_a_late_assigned_case_reminds_its_handler_then_escalates(bank, operator_user):
    handler = member(
        "operator", organisation=operator_user.memberships.first().organisation, username="handler_t"
    )
    complaint = file_one(bank)
    services.accept_complaint(actor=operator_user, complaint_id=complaint.pk)
    services.assign_complaint(actor=operator_user, complaint_id=complaint.pk, assignee=handler)
    before = Message.objects.filter(recipient=handler).count()
    with time_machine.travel(timezone.now() + timedelta(hours=5), tick=False):
        assert tasks.escalate_overdue_complaints() == {"reminded": 1, "escalated": 0}
    assert Message.objects.filter(recipient=handler).count() == before + 1
    with time_machine.travel(timezone.now() + timedelta(hours=8), tick=False):
        assert tasks.escalate_overdue_complaints() == {"reminded": 0, "escalated": 1}
    assert audited(event_type="complaints.escalated", object_id=complaint.pk)
    assert selectors.statistics()["escalated"] == 1
    # handling the case clears the lateness flags for the next step
    complaint = services.reply_complaint(actor=handler, complaint_id=complaint.pk, reply="已处理")
    assert not complaint.escalated and complaint.reminded_at is None


def test_staff_handle_a_case_through_the_pages_and_see_script_as_text(client, login, bank, operator_user):
    complaint = file_one(bank, content="<script>alert(1)</script>贷款审批太慢")
    login(operator_user)
    url = f"/complaints/manage/{complaint.pk}/"
    html = client.get(url).content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html
    assert client.post(url, {"action": "reply", "reply": "太早了"}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.SUBMITTED  # refused: not accepted yet, no 500
    client.post(url, {"action": "accept"})
    client.post(url, {"action": "assign", "assignee": operator_user.pk})
    client.post(url, {"action": "reply", "reply": "已督促银行三日内答复"})
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.REPLIED and complaint.assignee == operator_user
    for status in ("accepted", "assigned", "replied"):
        assert audited(event_type=f"complaints.{status}", object_id=complaint.pk)


def test_platform_complaints_name_the_service(client, bank):
    with pytest.raises(ValidationFailed):
        file_one(None, service="")
    response = client.post(
        "/complaints/",
        {
            "kind": "suggestion",
            "subject_kind": "platform",
            "title": "建议",
            "content": "增加夜间客服",
            "contact_name": "张伟",
            "contact_mobile": MOBILE,
        },
    )
    assert response.status_code == 200 and not Complaint.objects.exists()


def _look_up(client, complaint, sms):
    client.post(
        "/complaints/lookup/",
        {"step": "send", "tracking_number": complaint.tracking_number, "mobile": MOBILE},
    )
    code = re.search(r"\d{6}", sms[-1]["text"]).group(0)
    client.post(
        "/complaints/lookup/", {"step": "code", "tracking_number": complaint.tracking_number, "code": code}
    )


def test_rating_waits_for_the_reply(client, bank, operator_user, sms):
    complaint = file_one(bank)
    _look_up(client, complaint, sms)
    response = client.post("/complaints/track/", {"satisfaction": "5"})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.SUBMITTED and complaint.satisfaction is None
    services.accept_complaint(actor=operator_user, complaint_id=complaint.pk)
    services.assign_complaint(actor=operator_user, complaint_id=complaint.pk, assignee=operator_user)
    services.reply_complaint(actor=operator_user, complaint_id=complaint.pk, reply="已处理")
    assert client.post("/complaints/track/", {"satisfaction": "9"}).status_code == 200
    client.post("/complaints/track/", {"satisfaction": "2", "comment": "答复太慢"})
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.CLOSED and complaint.satisfaction == 2


def test_lookup_codes_are_throttled(bank, sms):
    complaint = file_one(bank)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        services.send_lookup_code(tracking_number=complaint.tracking_number, mobile=MOBILE)
        services.send_lookup_code(tracking_number=complaint.tracking_number, mobile=MOBILE)
    assert len(sms) == 1
    for minute in range(2, 8):
        with time_machine.travel(start + timedelta(minutes=minute), tick=False):
            services.send_lookup_code(tracking_number=complaint.tracking_number, mobile=MOBILE)
    assert len(sms) == services.CODES_PER_DAY
    assert audited(event_type="complaints.lookup_throttled", object_id=complaint.pk)
    with time_machine.travel(start + timedelta(days=1, minutes=10), tick=False):
        services.send_lookup_code(tracking_number=complaint.tracking_number, mobile=MOBILE)
    assert len(sms) == services.CODES_PER_DAY + 1


def test_a_code_dies_after_five_wrong_guesses(bank, sms):
    complaint = file_one(bank)
    services.send_lookup_code(tracking_number=complaint.tracking_number, mobile=MOBILE)
    code = re.search(r"\d{6}", sms[0]["text"]).group(0)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(services.MAX_CODE_ATTEMPTS):
        with pytest.raises(NotFound):
            services.verify_lookup_code(tracking_number=complaint.tracking_number, code=wrong)
    with pytest.raises(NotFound):
        services.verify_lookup_code(tracking_number=complaint.tracking_number, code=code)
    assert LookupCode.objects.get().attempts == services.MAX_CODE_ATTEMPTS


def test_statistics_by_subject_and_the_scorecard_summary(client, login, bank, operator_user, regulator):
    other = OrganisationFactory(institution=True, name="大庆另一银行")
    first = file_one(bank)
    file_one(bank, kind="suggestion")
    file_one(other)
    file_one(None, service="credit")
    services.accept_complaint(actor=operator_user, complaint_id=first.pk)
    services.assign_complaint(actor=operator_user, complaint_id=first.pk, assignee=operator_user)
    services.reply_complaint(actor=operator_user, complaint_id=first.pk, reply="已处理")
    services.rate_complaint(complaint=first, satisfaction=4)

    stats = selectors.statistics()
    rows = {row["name"]: row for row in stats["institutions"]}
    assert rows["大庆测试银行"] == {
        "institution_id": bank.pk,
        "name": "大庆测试银行",
        "total": 2,
        "complaints": 1,
        "satisfaction": 4.0,
    }
    assert rows["大庆另一银行"]["total"] == 1
    assert [(row["service"], row["total"]) for row in stats["services"]] == [("credit", 1)]
    assert stats["by_kind_and_subject"] == {
        "complaint:institution": 2,
        "suggestion:institution": 1,
        "complaint:platform": 1,
    }
    assert selectors.institution_complaint_summary(bank) == {
        "complaints": 1,
        "closed": 1,
        "rated": 1,
        "satisfaction": 4.0,
    }
    assert (
        selectors.institution_complaint_summary(bank, start=timezone.now() + timedelta(days=1))["complaints"]
        == 0
    )
    login(regulator)
    html = client.get("/complaints/manage/statistics/").content.decode()
    assert "大庆测试银行" in html and "信用信息" in html
    assert "13904591101" not in html and "张伟" not in html
