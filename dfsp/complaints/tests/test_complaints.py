import re
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dfsp.complaints import selectors, services, tasks
from dfsp.complaints.models import Complaint
from dfsp.complaints.states import ComplaintStatus
from dfsp.complaints.tests.audit_trail import audited
from dfsp.complaints.tests.conftest import MOBILE, file_one  # noqa: F401
from dfsp.core.errors import AccessDenied, InvalidTransition, NotFound, ValidationFailed
from dfsp.notifications.models import Message

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_anyone_files_and_gets_an_unguessable_tracking_number(client, bank):
    response = client.post(
        "/complaints/",
        {
            "kind": "complaint",
            "subject_kind": "institution",
            "institution": bank.pk,
            "title": "审批超时",
            "content": "三周没有答复",
            "contact_name": "张伟",
            "contact_mobile": "13904591101",
            "attachments": SimpleUploadedFile("proof.png", PNG, content_type="image/png"),
        },
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert re.fullmatch(r"TS[A-Z2-9]{18}", complaint.tracking_number)
    assert complaint.attachments.get().content_type == "image/png"
    assert complaint.tracking_number in client.get("/complaints/filed/").content.decode()
    assert audited(event_type="complaints.filed", object_id=complaint.pk)


def test_disguised_and_oversized_attachments_are_refused(bank):
    disguised = SimpleUploadedFile("invoice.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationFailed):
        file_one(bank, attachments=[disguised])
    huge = SimpleUploadedFile("big.png", PNG + b"\x00" * (5 * 1024 * 1024), content_type="image/png")
    with pytest.raises(ValidationFailed):
        file_one(bank, attachments=[huge])
    assert not Complaint.objects.exists()


def test_lookup_needs_the_one_time_code(client, bank, sms):
    complaint = file_one(bank)
    # a forged number or a wrong mobile sends nothing and reveals nothing
    client.post(
        "/complaints/lookup/",
        {"step": "send", "tracking_number": "TSFORGED000000000000", "mobile": "13904591101"},
    )
    client.post(
        "/complaints/lookup/",
        {"step": "send", "tracking_number": complaint.tracking_number, "mobile": "13900000000"},
    )
    assert sms == []
    assert client.get("/complaints/track/").status_code == 302
    # the right pair sends a code; a wrong code fails; the right one opens the case once
    client.post(
        "/complaints/lookup/",
        {"step": "send", "tracking_number": complaint.tracking_number, "mobile": "13904591101"},
    )
    code = re.search(r"\d{6}", sms[0]["text"]).group(0)
    wrong = "000000" if code != "000000" else "111111"
    client.post(
        "/complaints/lookup/", {"step": "code", "tracking_number": complaint.tracking_number, "code": wrong}
    )
    assert client.get("/complaints/track/").status_code == 302
    client.post(
        "/complaints/lookup/", {"step": "code", "tracking_number": complaint.tracking_number, "code": code}
    )
    response = client.get("/complaints/track/")
    assert response.status_code == 200 and "审批超时" in response.content.decode()
    with pytest.raises(NotFound):
        services.verify_lookup_code(tracking_number=complaint.tracking_number, code=code)


def test_handling_runs_accept_assign_reply_and_the_filer_rates(bank, operator_user):
    complaint = file_one(bank)
    with pytest.raises(InvalidTransition):
        services.reply_complaint(actor=operator_user, complaint_id=complaint.pk, reply="x")
    services.accept_complaint(actor=operator_user, complaint_id=complaint.pk)
    services.assign_complaint(actor=operator_user, complaint_id=complaint.pk, assignee=operator_user)
    services.reply_complaint(actor=operator_user, complaint_id=complaint.pk, reply="已督促银行答复")
    complaint = services.rate_complaint(complaint=complaint, satisfaction=4)
    assert complaint.status == ComplaintStatus.CLOSED and complaint.satisfaction == 4
    assert list(complaint.events.values_list("to_status", flat=True)) == [
        "submitted",
        "accepted",
        "assigned",
        "replied",
        "closed",
    ]
    assert selectors.complaint_counts_by_institution() == {bank.pk: 1}


def test_only_operators_handle(bank, enterprise_admin, loan_officer):
    complaint = file_one(bank)
    for outsider in (enterprise_admin, loan_officer):
        with pytest.raises(AccessDenied):
            services.accept_complaint(actor=outsider, complaint_id=complaint.pk)
        with pytest.raises(NotFound):
            selectors.get_complaint_for(outsider, complaint.pk)


def test_staff_list_masks_personal_data_and_outsiders_are_refused(
    client, login, bank, operator_user, enterprise_admin
):
    file_one(bank)
    login(enterprise_admin)
    assert client.get("/complaints/manage/").status_code == 403
    login(operator_user)
    body = client.get("/complaints/manage/").content.decode()
    assert "13904591101" not in body and "张伟" not in body
    assert client.get("/complaints/manage/statistics/").status_code == 200


def test_late_cases_are_reminded_then_escalated(bank, operator_user):
    complaint = file_one(bank)
    with time_machine.travel(timezone.now() + timedelta(hours=25), tick=False):
        assert tasks.escalate_overdue_complaints() == {"reminded": 1, "escalated": 0}
        assert tasks.escalate_overdue_complaints() == {"reminded": 0, "escalated": 0}
    with time_machine.travel(timezone.now() + timedelta(hours=40), tick=False):
        assert tasks.escalate_overdue_complaints() == {"reminded": 0, "escalated": 1}
    complaint.refresh_from_db()
    assert complaint.escalated
    assert Message.objects.filter(recipient=operator_user).count() >= 2


def test_api_lists_masked_cases_for_operators_only(client, login, bank, operator_user, enterprise_admin):
    complaint = file_one(bank)
    login(enterprise_admin)
    assert client.get("/api/v1/complaints").status_code == 403
    login(operator_user)
    body = client.get("/api/v1/complaints").json()
    assert body["items"][0]["contact_mobile"] != "13904591101"
    assert client.get(f"/api/v1/complaints/{complaint.pk}").status_code == 200
    assert client.get("/api/v1/complaints/statistics").json()["by_institution"] == {str(bank.pk): 1}
    assert client.get("/api/v1/complaints/999999").status_code == 404
