"""The data platform API: operators act, regulators read, everyone else is refused; nothing changes
on a refusal or on bad input."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dfsp.accounts import api_keys
from dfsp.core.identifiers import make_uscc
from dfsp.datahub.models import CreditRecord, IngestionBatch, QualityIssue, QualityIssueEvent
from dfsp.datahub.states import BatchStatus, IssueStatus

pytestmark = pytest.mark.django_db
API = "/api/v1/data"
GOOD = make_uscc("91", "230603", "MA1C4QY7")
REGISTRATION = (
    "uscc,ent_name,reg_status,reg_capital,established_on,legal_rep_name,division,industry\n"
    f"{GOOD},大庆华源石化新材料有限公司,active,5000,2015-03-02,王建国,230603,C\n"
).encode()
BAD_TAX = f"uscc,period,tax_grade,tax_paid\n{GOOD},2026-10,A,100\n{GOOD},2026-09,E,100\n".encode()
FIXED_TAX = f"uscc,period,tax_grade,tax_paid\n{GOOD},2026-09,B,100\n".encode()


def csv(name: str = "reg.csv", content: bytes = REGISTRATION) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def as_user(user) -> Client:
    from conftest import log_in

    return log_in(Client(), user)


def assert_error(response, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    assert response.json()["code"] == code


@pytest.fixture
def operator(operator_user):
    return as_user(operator_user)


@pytest.fixture
def issue(tax_source, ingest):
    batch = ingest(tax_source, "tax.csv", BAD_TAX)
    return QualityIssue.objects.get(batch=batch, rule_code="tax-grade-code")


@pytest.fixture
def institution_key(institution_admin):
    _key, raw = api_keys.create_api_key(actor=institution_admin, name="信贷系统")
    return {"Authorization": f"Bearer {raw}"}


# --- Reading ---------------------------------------------------------------------------------------


def test_regulator_reads_sources_runs_dictionary_and_code_sets(source, regulator, ingest):
    batch = ingest(source, "reg.csv", REGISTRATION)
    reader = as_user(regulator)

    sources = reader.get(f"{API}/sources").json()
    assert sources["count"] == 1 and sources["items"][0]["code"] == "aic"
    one = reader.get(f"{API}/sources/{source.pk}").json()
    assert one["category"] == "registration" and "ent_name" in one["items"]

    runs = reader.get(f"{API}/runs", {"source_id": source.pk, "status": "succeeded"}).json()
    assert [r["id"] for r in runs["items"]] == [batch.pk]
    run = reader.get(f"{API}/runs/{batch.pk}").json()
    assert (run["status"], run["progress"], run["rows_read"], run["rows_changed"]) == ("succeeded", 100, 1, 1)
    assert run["source_code"] == "aic"

    elements = reader.get(f"{API}/elements", {"q": "uscc"}).json()
    assert any(e["code"] == "uscc" for e in elements["items"])
    code_sets = reader.get(f"{API}/code-sets", {"page_size": 100}).json()["items"]
    tax_grade = next(c for c in code_sets if c["code"] == "TAX_GRADE")
    detail = reader.get(f"{API}/code-sets/{tax_grade['id']}").json()
    assert {v["value"] for v in detail["values"]} >= {"A", "B", "M", "C", "D"}
    assert len(detail["values"]) == tax_grade["value_count"]


def test_run_filters_are_validated(operator, source):
    assert_error(operator.get(f"{API}/runs", {"status": "done"}), 422, "validation_error")
    assert_error(operator.get(f"{API}/runs", {"source_id": 999999}), 404, "not_found")


def test_unknown_ids_are_404(operator, standards):
    for path in ("sources/999999", "runs/999999", "issues/999999", "code-sets/999999"):
        assert_error(operator.get(f"{API}/{path}"), 404, "not_found")


@pytest.mark.parametrize("persona", ["enterprise_admin", "loan_officer", "system_admin"])
def test_other_roles_cannot_read(request, persona, source):
    client = as_user(request.getfixturevalue(persona))
    for path in ("sources", f"sources/{source.pk}", "runs", "issues", "elements", "code-sets"):
        assert_error(client.get(f"{API}/{path}"), 403, "permission_denied")


def test_an_institution_api_key_is_refused(institution_key, source):
    assert_error(Client().get(f"{API}/sources", headers=institution_key), 403, "permission_denied")
    refused = Client().post(f"{API}/sources/{source.pk}/uploads", {"file": csv()}, headers=institution_key)
    assert_error(refused, 403, "permission_denied")
    assert not IngestionBatch.objects.exists()


def test_anonymous_is_401(source):
    assert_error(Client().get(f"{API}/sources"), 401, "not_authenticated")


# --- Uploading -------------------------------------------------------------------------------------


def test_operator_uploads_a_file_and_the_run_loads_it(operator, source, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = operator.post(f"{API}/sources/{source.pk}/uploads", {"file": csv()})
    assert response.status_code == 202, response.content
    assert response.json()["status"] == "queued" and response.json()["file_name"] == "reg.csv"
    run = operator.get(f"{API}/runs/{response.json()['id']}").json()
    assert run["status"] == BatchStatus.SUCCEEDED and run["rows_accepted"] == 1
    assert CreditRecord.objects.get(uscc=GOOD).batch_id == run["id"]


def test_an_upload_with_the_same_idempotency_key_starts_one_run(operator, source):
    headers = {"Idempotency-Key": "upload-2026-11-25-aic"}
    first = operator.post(f"{API}/sources/{source.pk}/uploads", {"file": csv()}, headers=headers)
    again = operator.post(f"{API}/sources/{source.pk}/uploads", {"file": csv()}, headers=headers)
    assert first.status_code == again.status_code == 202
    assert again.json()["id"] == first.json()["id"]
    assert IngestionBatch.objects.count() == 1


@pytest.mark.parametrize(
    ("upload", "field"),
    [
        (SimpleUploadedFile("reg.pdf", b"%PDF-1.4 ...", content_type="application/pdf"), "file"),
        (SimpleUploadedFile("reg.csv", b"", content_type="text/csv"), "file"),
        (SimpleUploadedFile("reg.xlsx", b"uscc,name\n1,2\n", content_type="text/csv"), "file"),
        (SimpleUploadedFile("reg.csv", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, content_type="text/csv"), "file"),
    ],
    ids=["wrong-suffix", "empty", "not-a-workbook", "binary-as-csv"],
)
def test_bad_files_are_400_and_start_nothing(operator, source, upload, field):
    response = operator.post(f"{API}/sources/{source.pk}/uploads", {"file": upload})
    assert_error(response, 400, "validation_error")
    assert response.json()["errors"][0]["field"] == field
    assert not IngestionBatch.objects.exists()


def test_missing_file_is_422(operator, source):
    assert_error(operator.post(f"{API}/sources/{source.pk}/uploads", {}), 422, "validation_error")
    assert not IngestionBatch.objects.exists()


def test_a_too_large_file_is_refused_before_reading(operator, source, settings):
    settings.DATAHUB_MAX_UPLOAD_BYTES = 100
    response = operator.post(f"{API}/sources/{source.pk}/uploads", {"file": csv()})
    assert_error(response, 400, "validation_error")
    assert not IngestionBatch.objects.exists()


def test_a_paused_source_takes_no_upload(operator, operator_user, source):
    from dfsp.datahub import services

    services.set_source_status(actor=operator_user, source=source, status="paused")
    assert_error(
        operator.post(f"{API}/sources/{source.pk}/uploads", {"file": csv()}), 400, "validation_error"
    )
    assert not IngestionBatch.objects.exists()


@pytest.mark.parametrize("persona", ["regulator", "enterprise_admin"])
def test_only_operators_upload(request, persona, source):
    client = as_user(request.getfixturevalue(persona))
    assert_error(client.post(f"{API}/sources/{source.pk}/uploads", {"file": csv()}), 403, "permission_denied")
    assert_error(client.post(f"{API}/sources/{source.pk}/pulls"), 403, "permission_denied")
    assert not IngestionBatch.objects.exists()


def test_upload_to_an_unknown_source_is_404(operator, standards):
    assert_error(operator.post(f"{API}/sources/999999/uploads", {"file": csv()}), 404, "not_found")


def test_a_file_drop_source_cannot_be_pulled(operator, source):
    assert_error(operator.post(f"{API}/sources/{source.pk}/pulls"), 400, "validation_error")
    assert not IngestionBatch.objects.exists()


def test_a_session_upload_needs_the_csrf_token(operator, source):
    operator.handler.enforce_csrf_checks = True
    assert_error(
        operator.post(f"{API}/sources/{source.pk}/uploads", {"file": csv()}), 403, "permission_denied"
    )
    assert not IngestionBatch.objects.exists()


# --- Quality issues --------------------------------------------------------------------------------


def test_issue_feedback_and_correction_loop(operator, issue, owner, django_capture_on_commit_callbacks):
    from dfsp.notifications.models import Message

    listed = operator.get(f"{API}/issues", {"status": "open"}).json()
    assert [i["id"] for i in listed["items"]] == [issue.pk]

    sent = operator.post(
        f"{API}/issues/{issue.pk}/status",
        {"status": "feedback_sent", "note": "请更正"},
        content_type="application/json",
    )
    assert sent.status_code == 200 and sent.json()["status"] == IssueStatus.FEEDBACK_SENT
    assert Message.objects.filter(recipient=owner, category="datahub.quality").exists()

    with django_capture_on_commit_callbacks(execute=True):
        correction = operator.post(
            f"{API}/issues/{issue.pk}/corrections", {"file": csv("fixed.csv", FIXED_TAX)}
        )
    assert correction.status_code == 202 and correction.json()["origin"] == "correction"
    assert operator.get(f"{API}/issues/{issue.pk}").json()["status"] == IssueStatus.CLOSED


def test_waiving_needs_a_note_and_illegal_moves_are_409(operator, issue):
    def move(body):
        return operator.post(f"{API}/issues/{issue.pk}/status", body, content_type="application/json")

    assert_error(move({"status": "waived", "note": " "}), 400, "validation_error")
    assert_error(move({"status": "closed"}), 422, "validation_error")
    assert_error(move({"status": "waived", "extra": 1}), 422, "validation_error")
    issue.refresh_from_db()
    assert issue.status == IssueStatus.OPEN and not issue.events.exists()

    waived = move({"status": "waived", "note": "历史数据，已人工核实"})
    assert waived.status_code == 200 and waived.json()["resolution"] == "历史数据，已人工核实"
    assert_error(move({"status": "feedback_sent"}), 409, "invalid_transition")
    correction = operator.post(f"{API}/issues/{issue.pk}/corrections", {"file": csv("fixed.csv", FIXED_TAX)})
    assert_error(correction, 409, "invalid_transition")
    assert QualityIssueEvent.objects.filter(issue=issue).count() == 1


def test_regulator_reads_issues_but_cannot_move_them(regulator, issue):
    reader = as_user(regulator)
    assert reader.get(f"{API}/issues/{issue.pk}").json()["rule_code"] == "tax-grade-code"
    refused = reader.post(
        f"{API}/issues/{issue.pk}/status", {"status": "feedback_sent"}, content_type="application/json"
    )
    assert_error(refused, 403, "permission_denied")
    issue.refresh_from_db()
    assert issue.status == IssueStatus.OPEN


def test_moving_an_unknown_issue_is_404(operator, standards):
    response = operator.post(
        f"{API}/issues/999999/status", {"status": "feedback_sent"}, content_type="application/json"
    )
    assert_error(response, 404, "not_found")
