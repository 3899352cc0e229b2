"""Pages: operators and regulators only; operators act; reveal needs the explicit permission."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from dfsp.core.identifiers import make_uscc
from dfsp.datahub.models import IngestionBatch, QualityIssue

GOOD = make_uscc("91", "230603", "MA1C4QY7")
CSV = (
    "uscc,ent_name,reg_status,legal_rep_name,legal_rep_mobile,legal_rep_id\n"
    f"{GOOD},大庆华源石化新材料有限公司,active,王建国,13804590001,11010519491231002X\n"
    f"{GOOD[:17]}0,坏数据公司,active,李明,13804590002,\n"
).encode()


@pytest.fixture
def loaded(source, ingest):
    return ingest(source, "reg.csv", CSV)


def page_urls(batch):
    issue = QualityIssue.objects.filter(batch=batch).first()
    return [
        reverse("datahub:sources"),
        reverse("datahub:source_detail", args=[batch.source_id]),
        reverse("datahub:runs"),
        reverse("datahub:run_detail", args=[batch.pk]),
        reverse("datahub:run_progress", args=[batch.pk]),
        reverse("datahub:elements"),
        reverse("datahub:code_sets"),
        reverse("datahub:mappings"),
        reverse("datahub:quality"),
        reverse("datahub:issues"),
        reverse("datahub:issue_detail", args=[issue.pk]),
        reverse("datahub:profiles"),
        reverse("datahub:profile_detail", args=[GOOD]),
    ]


@pytest.mark.parametrize("persona", ["operator_user", "regulator"])
def test_operators_and_regulators_see_every_page(request, client, login, loaded, persona):
    login(request.getfixturevalue(persona))
    for url in page_urls(loaded):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", ["enterprise_admin", "loan_officer", "institution_admin"])
def test_other_roles_are_denied(request, client, login, loaded, persona):
    login(request.getfixturevalue(persona))
    for url in page_urls(loaded):
        assert client.get(url).status_code == 403, url


def test_anonymous_is_sent_to_login(client, loaded):
    for url in page_urls(loaded):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_profile_page_masks_sensitive_values(client, login, loaded, regulator):
    login(regulator)
    html = client.get(reverse("datahub:profile_detail", args=[GOOD])).content.decode()
    assert "大庆华源石化新材料有限公司" in html
    assert "138****0001" in html and "13804590001" not in html
    assert "王**" in html and "11010519491231002X" not in html


def test_unknown_profile_is_404(client, login, source, operator_user):
    login(operator_user)
    assert client.get(reverse("datahub:profile_detail", args=["91230603MA00000000"])).status_code == 404


def test_reveal_needs_the_permission_and_is_audited(client, login, loaded, regulator):
    from django.apps import apps

    audit_events = apps.get_model("audit", "AuditEvent").objects
    url = reverse("datahub:profile_reveal", args=[GOOD])
    data = {"category": "registration", "record_key": "", "element": "legal_rep_mobile"}
    login(regulator)
    assert client.post(url, data).status_code == 403
    regulator.user_permissions.add(Permission.objects.get(codename="reveal_sensitive"))
    login(regulator)
    response = client.post(url, data)
    assert response.status_code == 200 and "13804590001" in response.content.decode()
    outcomes = list(
        audit_events.filter(event_type="datahub.sensitive.revealed").values_list("outcome", flat=True)
    )
    assert sorted(outcomes) == ["denied", "success"]


def test_operator_uploads_through_the_page(
    client, login, source, operator_user, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(operator_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("datahub:source_upload", args=[source.pk]), {"file": SimpleUploadedFile("r.csv", CSV)}
        )
    batch = IngestionBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "datahub:run_detail", args=[batch.pk]
    )
    assert batch.status == "succeeded" and batch.rows_rejected == 1
    progress = client.get(reverse("datahub:run_progress", args=[batch.pk])).content.decode()
    assert "100%" in progress and "hx-trigger" not in progress


def test_upload_of_a_bad_file_shows_the_error(client, login, source, operator_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(operator_user)
    response = client.post(
        reverse("datahub:source_upload", args=[source.pk]), {"file": SimpleUploadedFile("r.exe", b"MZ")}
    )
    assert response.status_code == 400 and not IngestionBatch.objects.exists()


def test_regulator_cannot_upload_or_act_on_issues(client, login, loaded, regulator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(regulator)
    issue = QualityIssue.objects.first()
    assert (
        client.post(
            reverse("datahub:source_upload", args=[loaded.source_id]),
            {"file": SimpleUploadedFile("r.csv", CSV)},
        ).status_code
        == 403
    )
    assert client.post(reverse("datahub:issue_feedback", args=[issue.pk]), {"note": "x"}).status_code == 403


def test_issue_actions_through_pages(client, login, loaded, operator_user):
    login(operator_user)
    issue = QualityIssue.objects.first()
    assert (
        client.post(reverse("datahub:issue_feedback", args=[issue.pk]), {"note": "请更正"}).status_code == 302
    )
    assert client.post(reverse("datahub:issue_waive", args=[issue.pk]), {"reason": ""}).status_code == 400
    assert (
        client.post(reverse("datahub:issue_waive", args=[issue.pk]), {"reason": "已核实"}).status_code == 302
    )
    # a closed issue cannot move again: 409
    assert client.post(reverse("datahub:issue_feedback", args=[issue.pk]), {"note": ""}).status_code == 409


def test_profile_list_shows_the_registration_status_by_its_name(client, login, loaded, regulator):
    login(regulator)
    body = client.get(reverse("datahub:profiles")).content.decode()
    assert GOOD in body and "存续" in body and "<td>active</td>" not in body
