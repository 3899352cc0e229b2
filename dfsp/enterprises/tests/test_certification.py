"""Certification (FIN-P1): submission, blacklist check, review, resubmission, materials, access."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dfsp.accounts.selectors import organisation_of
from dfsp.core.errors import AccessDenied, Conflict, InvalidTransition, NotFound, ValidationFailed
from dfsp.enterprises import selectors, services
from dfsp.enterprises.models import Certification, CertificationMaterial
from dfsp.enterprises.states import CertificationStatus as S
from dfsp.enterprises.tests.helpers import EXE, PNG, audit_events, blacklist, certify, pdf, submit
from dfsp.notifications.models import Message

pytestmark = pytest.mark.django_db


def test_submission_enters_the_queue_and_operators_are_told(enterprise_admin, operator_user):
    certification = submit(enterprise_admin)
    assert certification.status == S.SUBMITTED
    assert certification.materials.get().content_type == "application/pdf"
    assert list(selectors.review_queue(operator_user)) == [certification]
    assert Message.objects.filter(recipient=operator_user, category="enterprises.certification").exists()
    assert audit_events(event_type="enterprises.certification.submitted").exists()


def test_approval_certifies_and_tells_the_enterprise(enterprise_admin, operator_user):
    organisation = organisation_of(enterprise_admin)
    with pytest.raises(AccessDenied) as exc:
        selectors.ensure_certified(organisation)
    assert exc.value.code == "enterprise_not_certified"
    certify(enterprise_admin, operator_user)
    selectors.ensure_certified(organisation)
    certification = Certification.objects.get(organisation=organisation)
    assert [e.to_status for e in certification.events.all()] == [S.SUBMITTED, S.APPROVED]
    assert Message.objects.filter(recipient=enterprise_admin, title__isnull=False).exists()


def test_rejection_needs_a_reason_and_the_enterprise_may_resubmit(enterprise_admin, operator_user):
    certification = submit(enterprise_admin)
    with pytest.raises(ValidationFailed):
        services.reject_certification(reviewer=operator_user, certification_id=certification.pk, reason=" ")
    services.reject_certification(
        reviewer=operator_user, certification_id=certification.pk, reason="执照过期"
    )
    certification.refresh_from_db()
    assert certification.status == S.REJECTED and certification.reason == "执照过期"
    # approving a rejected certification is an illegal move
    with pytest.raises(InvalidTransition):
        services.approve_certification(reviewer=operator_user, certification_id=certification.pk)
    again = submit(enterprise_admin, materials=services.Materials())  # the licence is already on file
    assert again.status == S.RESUBMITTED


def test_return_for_more_material_then_resubmit(enterprise_admin, operator_user):
    certification = submit(enterprise_admin)
    services.return_certification(
        reviewer=operator_user, certification_id=certification.pk, reason="补充授权书"
    )
    assert Certification.objects.get(pk=certification.pk).status == S.RETURNED
    again = submit(
        enterprise_admin,
        submitted_by_agent=True,
        agent_name="李代理",
        materials=services.Materials(authorisation_letter=SimpleUploadedFile("授权书.png", PNG)),
    )
    assert again.status == S.RESUBMITTED
    assert set(again.materials.values_list("kind", flat=True)) == {"business_licence", "authorisation_letter"}


def test_an_agent_must_upload_the_authorisation_letter(enterprise_admin):
    with pytest.raises(ValidationFailed) as exc:
        submit(enterprise_admin, submitted_by_agent=True, agent_name="李代理")
    assert "authorisation_letter" in exc.value.field_errors
    assert not CertificationMaterial.objects.exists()


def test_a_blacklisted_enterprise_certification_is_terminated_with_list_and_reason(
    enterprise_admin, operator_user
):
    blacklist(operator_user, organisation_of(enterprise_admin).uscc)
    certification = submit(enterprise_admin)
    assert certification.status == S.TERMINATED
    assert (
        "失信被执行人" in certification.reason
        or "judgment" in certification.reason.lower()
        or "拒不履行" in certification.reason
    )
    assert "拒不履行生效判决" in certification.reason and "萨尔图区人民法院" in certification.reason
    assert Message.objects.filter(recipient=enterprise_admin, body__contains="拒不履行生效判决").exists()
    assert not selectors.review_queue(operator_user).exists()


def test_an_expired_or_ended_entry_no_longer_matches(enterprise_admin, operator_user):
    uscc = organisation_of(enterprise_admin).uscc
    blacklist(
        operator_user, uscc, start_date=date(2023, 1, 1), end_date=timezone.localdate() - timedelta(days=1)
    )
    ended = blacklist(operator_user, uscc, kind="serious_dishonesty")
    services.end_blacklist_entry(actor=operator_user, entry_id=ended.pk)
    assert submit(enterprise_admin).status == S.SUBMITTED


def test_an_entry_added_later_flags_certified_enterprises_for_re_review(enterprise_admin, operator_user):
    certify(enterprise_admin, operator_user)
    organisation = organisation_of(enterprise_admin)
    blacklist(operator_user, organisation.uscc, kind="serious_dishonesty")
    certification = Certification.objects.get(organisation=organisation)
    assert certification.status == S.RE_REVIEW_REQUIRED
    assert not selectors.is_certified(organisation)
    assert certification in selectors.review_queue(operator_user)
    assert Message.objects.filter(recipient=operator_user, body__contains="拒不履行").exists()
    services.terminate_certification(
        reviewer=operator_user, certification_id=certification.pk, reason="确认列入名单"
    )
    assert Certification.objects.get(pk=certification.pk).status == S.TERMINATED


def test_a_future_entry_does_not_flag_yet(enterprise_admin, operator_user):
    certify(enterprise_admin, operator_user)
    blacklist(
        operator_user,
        organisation_of(enterprise_admin).uscc,
        start_date=timezone.localdate() + timedelta(days=3),
    )
    assert selectors.is_certified(organisation_of(enterprise_admin))


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("licence.pdf", EXE, content_type="application/pdf"),  # an .exe renamed
        SimpleUploadedFile("licence.pdf", b"just text", content_type="application/pdf"),
    ],
)
def test_forged_uploads_are_refused_and_nothing_changes(enterprise_admin, upload):
    with pytest.raises(ValidationFailed) as exc:
        submit(enterprise_admin, materials=services.Materials(business_licence=upload))
    assert "business_licence" in exc.value.field_errors
    assert not CertificationMaterial.objects.exists()
    assert selectors.certification_status_of(organisation_of(enterprise_admin)) == S.DRAFT


def test_an_oversize_upload_is_refused(enterprise_admin, monkeypatch):
    monkeypatch.setattr(services, "MAX_MATERIAL_BYTES", 100)
    with pytest.raises(ValidationFailed) as exc:
        submit(
            enterprise_admin,
            materials=services.Materials(business_licence=pdf(content=b"%PDF-1.4\n" + b"0" * 200)),
        )
    assert "business_licence" in exc.value.field_errors


def test_only_the_enterprise_admin_submits_and_only_operators_decide(enterprise_admin, operator_user):
    from dfsp.accounts.tests.factories import member

    staff = member("enterprise_user", organisation=organisation_of(enterprise_admin))
    with pytest.raises(AccessDenied):
        submit(staff)
    certification = submit(enterprise_admin)
    with pytest.raises(AccessDenied):
        services.approve_certification(reviewer=enterprise_admin, certification_id=certification.pk)
    with pytest.raises(Conflict):
        submit(enterprise_admin)  # already waiting: cannot submit twice


def test_materials_are_for_own_admins_and_operators_only(
    enterprise_admin, other_enterprise_admin, operator_user, loan_officer
):
    material = submit(enterprise_admin).materials.get()
    assert selectors.get_material_for(enterprise_admin, material.pk) == material
    assert selectors.get_material_for(operator_user, material.pk) == material
    for outsider in (other_enterprise_admin, loan_officer):
        with pytest.raises(NotFound):
            selectors.get_material_for(outsider, material.pk)
    with pytest.raises(NotFound):
        selectors.get_certification_for(other_enterprise_admin, material.certification_id)


# --- HTTP ------------------------------------------------------------------------------------------


def test_certification_pages_submit_review_and_download(client, login, enterprise_admin, operator_user):
    login(enterprise_admin)
    response = client.post(
        reverse("enterprises:certification"),
        {
            "legal_representative": "王建国",
            "address": "大庆市",
            "contact_name": "王建国",
            "contact_mobile": "13804590001",
            "business_licence": pdf(),
        },
    )
    assert response.status_code == 302
    certification = Certification.objects.get(organisation=organisation_of(enterprise_admin))
    material = certification.materials.get()
    download = client.get(reverse("enterprises:material", args=[material.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert audit_events(event_type="enterprises.material.viewed", object_id=str(material.pk)).count() == 1
    page = client.get(reverse("enterprises:account"))
    assert page.status_code == 200 and certification.get_status_display() in page.content.decode()

    login(operator_user)
    queue = client.get(reverse("enterprises:review_queue"))
    assert certification.organisation.name in queue.content.decode()
    detail_url = reverse("enterprises:review_detail", args=[certification.pk])
    assert client.get(detail_url).status_code == 200
    response = client.post(detail_url, {"decision": "reject", "reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert client.post(detail_url, {"decision": "approve", "reason": ""}).status_code == 302
    assert Certification.objects.get(pk=certification.pk).status == S.APPROVED
    # a second decision on an approved certification is a 409
    assert client.post(detail_url, {"decision": "reject", "reason": "x"}).status_code == 409


def test_forged_upload_through_the_page_is_a_field_error(client, login, enterprise_admin):
    login(enterprise_admin)
    response = client.post(
        reverse("enterprises:certification"),
        {
            "legal_representative": "王建国",
            "contact_name": "王建国",
            "contact_mobile": "13804590001",
            "business_licence": SimpleUploadedFile("licence.pdf", EXE),
        },
    )
    assert response.status_code == 200
    assert "business_licence" in response.context["form"].errors


def test_another_enterprise_cannot_open_materials_or_review_pages(
    client, login, enterprise_admin, other_enterprise_admin, loan_officer
):
    material = submit(enterprise_admin).materials.get()
    login(other_enterprise_admin)
    assert client.get(reverse("enterprises:material", args=[material.pk])).status_code == 404
    assert audit_events(event_type="enterprises.material.denied", outcome="denied").count() == 1
    assert client.get(reverse("enterprises:review_queue")).status_code == 403
    assert audit_events(event_type="access.denied").exists()
    login(loan_officer)
    assert client.get(reverse("enterprises:material", args=[material.pk])).status_code == 403
    assert client.get(reverse("enterprises:account")).status_code == 403


def test_api_reports_own_certification(client, login, enterprise_admin, operator_user):
    certify(enterprise_admin, operator_user)
    login(enterprise_admin)
    body = client.get("/api/v1/enterprises/certification").json()
    assert body["status"] == "approved"
    client.logout()
    assert client.get("/api/v1/enterprises/certification").status_code == 401
