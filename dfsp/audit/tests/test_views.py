"""The audit pages: search, detail, audited export and chain verification."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dfsp.audit import exports
from dfsp.audit.models import AuditEvent
from dfsp.audit.services import record_event
from dfsp.audit.tests.helpers import raw_execute, record_many

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor_client(auditor, login_as):
    return login_as(auditor)


def test_the_audit_administrator_sees_the_trail(auditor_client):
    record_event(event_type="accounts.organisation.created", object_type="organisation", object_id="5")

    response = auditor_client.get(reverse("audit:events"))

    assert response.status_code == 200
    assert b"accounts.organisation.created" in response.content
    assert reverse("audit:verify").encode() in response.content


def test_the_navigation_offers_the_trail_only_to_the_audit_administrator(auditor_client, operator, login_as):
    assert f'href="{reverse("audit:events")}"'.encode() in auditor_client.get(reverse("audit:events")).content

    other = login_as(operator)
    assert f'href="{reverse("audit:events")}"'.encode() not in other.get("/").content


@pytest.mark.parametrize("persona", ["sysadmin", "secadmin", "operator"])
def test_other_roles_are_refused_and_the_refusal_is_audited(persona, request, login_as):
    client = login_as(request.getfixturevalue(persona))

    for url in (reverse("audit:events"), reverse("audit:event_detail", args=[1]), reverse("audit:verify")):
        assert client.get(url).status_code == 403
    assert client.post(reverse("audit:export", args=["csv"])).status_code == 403

    denied = AuditEvent.objects.filter(event_type="access.denied", actor_username=persona)
    assert denied.count() == 4
    assert not AuditEvent.objects.filter(event_type="audit.export").exists()


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(reverse("audit:events"))

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_detail_page_shows_details_and_hashes(auditor_client):
    event = record_event(event_type="x.detail", details={"企业": "大庆石化", "amount": "100.00"})

    response = auditor_client.get(reverse("audit:event_detail", args=[event.seq]))

    assert response.status_code == 200
    content = response.content.decode()
    assert event.hash in content and event.prev_hash in content
    assert "大庆石化" in content
    assert auditor_client.get(reverse("audit:event_detail", args=[999])).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        {"date_from": "2024-05-02", "date_to": "2024-05-01"},
        {"date_from": "2024-13-45"},
        {"date_to": "9999-12-31"},
        {"event_type": "AUTH; DROP TABLE"},
        {"outcome": "maybe"},
        {"request_id": "<script>"},
    ],
)
def test_bad_filters_give_form_errors_not_server_errors(auditor_client, query):
    response = auditor_client.get(reverse("audit:events"), query)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert response.context["page"] is None
    assert b"invalid-feedback" in response.content


def test_a_date_range_search_lists_matching_records(auditor_client):
    record_many(3)

    response = auditor_client.get(reverse("audit:events"), {"event_type": "test.event.1"})

    assert [e.event_type for e in response.context["page"]] == ["test.event.1"]


def test_pages_hold_fifty_records(auditor_client):
    record_many(51)

    first = auditor_client.get(reverse("audit:events"))
    second = auditor_client.get(reverse("audit:events"), {"page": "2"})
    nonsense = auditor_client.get(reverse("audit:events"), {"page": "abc"})

    assert len(first.context["page"]) == 50
    assert len(second.context["page"]) == 1
    assert nonsense.status_code == 200


def test_csv_export_has_a_bom_the_rows_and_is_itself_audited(auditor_client):
    record_event(event_type="accounts.user.created", details={"name": "张三"})
    record_event(event_type="auth.login.success", object_id='=HYPERLINK("http://evil")')

    response = auditor_client.post(reverse("audit:export", args=["csv"]) + "?event_type=a")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 3  # header + two records
    assert any("张三" in cell for cell in rows[2])
    assert '\'=HYPERLINK("http://evil")' in rows[1]  # formula injection is defused
    export = AuditEvent.objects.get(event_type="audit.export")
    assert export.actor_username == "auditor"
    assert export.details == {"format": "csv", "filters": {"event_type": "a"}, "rows": 2, "truncated": False}


def test_xlsx_export_contains_the_rows_and_is_audited(auditor_client):
    record_many(2)
    record_event(event_type="x.formula", object_id="=1+1", details={"ua": "bad\x01char"})

    response = auditor_client.post(reverse("audit:export", args=["xlsx"]))

    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    events_sheet = workbook.worksheets[0]
    assert events_sheet.max_row == 4  # header + three records
    formula_cells = [c for c in events_sheet[2] if c.value == "=1+1"]
    assert formula_cells and formula_cells[0].data_type == "s"  # text, never a formula
    export = AuditEvent.objects.get(event_type="audit.export")
    assert export.details["rows"] == 3 and export.details["format"] == "xlsx"


def test_an_export_over_the_limit_is_cut_and_says_so(auditor_client, monkeypatch):
    monkeypatch.setattr(exports, "ROW_LIMIT", 2)
    record_many(3)

    response = auditor_client.post(reverse("audit:export", args=["xlsx"]))

    assert response["X-Export-Truncated"] == "true"
    assert "-partial" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.worksheets[0].max_row == 3
    assert AuditEvent.objects.get(event_type="audit.export").details["truncated"] is True


def test_export_needs_a_post_and_valid_filters(auditor_client):
    assert auditor_client.get(reverse("audit:export", args=["csv"])).status_code == 405
    response = auditor_client.post(reverse("audit:export", args=["csv"]) + "?date_from=nonsense")
    assert response.status_code == 200 and response.context["form"].errors
    assert not AuditEvent.objects.filter(event_type="audit.export").exists()


def test_verification_page_reports_an_intact_chain_and_audits_the_check(auditor_client):
    record_many(2)

    assert auditor_client.get(reverse("audit:verify")).status_code == 200
    response = auditor_client.post(reverse("audit:verify"))

    assert response.status_code == 200
    assert response.context["result"].ok
    assert response.context["guards_installed"] is True
    check = AuditEvent.objects.get(event_type="audit.chain.verify")
    assert check.outcome == "success" and check.details["checked"] >= 2


def test_verification_page_names_the_altered_record(auditor_client, without_guards):
    record_many(3)
    with without_guards():
        raw_execute("UPDATE audit_auditevent SET object_id = 'x' WHERE seq = 2")

    response = auditor_client.post(reverse("audit:verify"))

    result = response.context["result"]
    assert (result.ok, result.problem, result.first_bad_seq) == (False, "altered", 2)
    assert b"alert-danger" in response.content
    assert AuditEvent.objects.get(event_type="audit.chain.verify").outcome == "failure"
