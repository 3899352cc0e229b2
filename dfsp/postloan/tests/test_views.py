"""Pages: each party sees its loan page and actions; strangers get 404; the borrower-history
fragment is for the application's institution only; forms report bad input without changes."""

import pytest

from dfsp.postloan import services
from dfsp.postloan.models import Deferral, OverdueReport, Rating


def test_enterprise_loan_page_rates_and_requests_a_deferral(loan, certified_admin, client, login):
    login(certified_admin)
    page = client.get(f"/postloan/loans/{loan.pk}/")
    assert page.status_code == 200 and b"rating-form" in page.content and b"deferral-form" in page.content

    rated = client.post(f"/postloan/loans/{loan.pk}/rate/", {"stars": "5", "tags": ["fast"], "comment": "好"})
    bad = client.post(
        f"/postloan/loans/{loan.pk}/deferral/",
        {"kind": "principal", "proposed_maturity_date": "2026-01-01", "reason": "x"},
    )
    good = client.post(
        f"/postloan/loans/{loan.pk}/deferral/",
        {"kind": "both", "proposed_maturity_date": "2027-06-20", "reason": "回款慢"},
    )

    assert rated.status_code == 302 and Rating.objects.get().stars == 5
    assert bad.status_code == 302 and good.status_code == 302
    assert Deferral.objects.count() == 1
    assert client.get(good["Location"]).status_code == 200


def test_lender_decides_a_deferral_on_its_page(loan, certified_admin, loan_officer, client, login):
    deferral = services.request_deferral(
        actor=certified_admin,
        loan_id=loan.pk,
        kind="interest",
        reason="疫情",
        proposed_maturity_date=loan.maturity_date.replace(year=2027, month=6),
    )
    login(loan_officer)
    assert b"approve-deferral" in client.get(f"/postloan/deferrals/{deferral.pk}/").content
    missing_reason = client.post(
        f"/postloan/deferrals/{deferral.pk}/decide/", {"decision": "reject", "reason": ""}
    )
    deferral.refresh_from_db()
    assert missing_reason.status_code == 302 and deferral.status == "pending"
    client.post(f"/postloan/deferrals/{deferral.pk}/decide/", {"decision": "reject", "reason": "不符合条件"})
    deferral.refresh_from_db()
    assert deferral.status == "rejected"


@pytest.mark.parametrize("who", ["other_enterprise_admin", "stranger_bank_officer"])
def test_strangers_get_404_on_loan_pages(loan, request, client, login, who):
    login(request.getfixturevalue(who))
    for url in (f"/postloan/loans/{loan.pk}/", f"/postloan/loans/{loan.pk}/monitoring/"):
        assert client.get(url).status_code in (403, 404)
    assert client.post(f"/postloan/loans/{loan.pk}/rate/", {"stars": "5"}).status_code in (403, 404)
    assert not Rating.objects.exists()


def test_lender_files_and_updates_an_overdue_report_through_pages(
    overdue_loan, loan_officer, operator_user, client, login
):
    login(loan_officer)
    assert client.get(f"/postloan/loans/{overdue_loan.pk}/overdue/new/").status_code == 200
    response = client.post(
        f"/postloan/loans/{overdue_loan.pk}/overdue/new/",
        {"status": "contacted", "note": "已电话催收", "blacklist_reason": "恶意拖欠"},
    )
    report = OverdueReport.objects.get()
    assert response.status_code == 302 and report.proposals.get().status == "pending"
    client.post(f"/postloan/overdue/{report.pk}/update/", {"status": "legal_action", "note": "已起诉"})
    refused = client.post(f"/postloan/overdue/{report.pk}/update/", {"status": "promised", "note": "x"})
    report.refresh_from_db()
    assert refused.status_code == 302 and report.status == "legal_action"
    assert client.get(f"/postloan/overdue/{report.pk}/").status_code == 200
    assert client.get("/postloan/overdue/").status_code == 200

    login(operator_user)
    queue = client.get("/postloan/proposals/")
    assert queue.status_code == 200 and report.enterprise_name.encode() in queue.content
    proposal = report.proposals.get()
    client.post(f"/postloan/proposals/{proposal.pk}/review/", {"decision": "approve"})
    proposal.refresh_from_db()
    assert proposal.status == "approved"


def test_borrower_history_fragment_for_the_application_institution_only(
    loan, approved, loan_officer, stranger_bank_officer, client, login
):
    application = approved(amount="100000")
    url = f"/postloan/history/?application={application.pk}"
    login(stranger_bank_officer)
    assert client.get(url).status_code == 404
    login(loan_officer)
    fragment = client.get(url)
    assert fragment.status_code == 200
    assert b"borrower-history" in fragment.content and loan.contract_number.encode() not in fragment.content
    assert loan.product_name.encode() in fragment.content
    assert client.get("/postloan/history/?application=abc").status_code == 404


def test_monitoring_page_without_grant_offers_the_request(loan, loan_officer, client, login):
    login(loan_officer)
    page = client.get(f"/postloan/loans/{loan.pk}/monitoring/")
    assert page.status_code == 200 and b"request-consent" in page.content
    client.post(f"/postloan/loans/{loan.pk}/monitoring/request/")
    assert b"request-consent" not in client.get(f"/postloan/loans/{loan.pk}/monitoring/").content


def test_renewal_page_shows_the_consent_and_submits(loan, certified_admin, client, login):
    login(certified_admin)
    form = client.get(f"/postloan/loans/{loan.pk}/renewal/")
    assert form.status_code == 200 and b"consent-text" in form.content
    unconfirmed = client.post(
        f"/postloan/loans/{loan.pk}/renewal/",
        {"amount": "300000", "term_months": "12", "purpose": "续贷", "number": form.context["form"]["number"].value(),
         "shown_text_hash": form.context["form"]["shown_text_hash"].value()},
    )  # fmt: skip
    assert unconfirmed.status_code == 200 and not loan.renewals.exists()


def test_lists_render_for_each_party(loan, certified_admin, loan_officer, regulator, client, login):
    for user in (certified_admin, loan_officer, regulator):
        login(user)
        assert client.get("/postloan/loans/").status_code == 200
        assert client.get("/postloan/deferrals/").status_code == 200
