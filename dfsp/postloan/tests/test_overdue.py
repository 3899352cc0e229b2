"""Overdue reports: filed by the lender on its overdue loan, collection moves, blacklist proposals
effective only after an operator approves them, and the risk-monitoring feed."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from dfsp.core.errors import AccessDenied, Conflict, InvalidTransition, NotFound, ValidationFailed
from dfsp.enterprises import selectors as enterprise_selectors
from dfsp.postloan import selectors, services
from dfsp.postloan.models import BlacklistProposal, OverdueReport
from dfsp.postloan.states import COLLECTION_TRANSITIONS, CollectionStatus


def _listed(operator, uscc) -> int:
    return enterprise_selectors.blacklist_for(operator, query=uscc).count()


def test_report_takes_days_and_amount_from_the_loan(overdue_loan, loan_officer, certified_admin):
    report = services.file_overdue_report(actor=loan_officer, loan_id=overdue_loan.pk, note="电话已联系")

    assert report.status == CollectionStatus.CONTACTED
    assert report.days_past_due == 13
    assert report.amount_overdue > Decimal("10000")  # 1/12 of 120 000 principal plus interest
    assert report.updates.count() == 1


def test_a_loan_that_is_not_overdue_cannot_be_reported(loan, loan_officer):
    with pytest.raises(Conflict) as raised:
        services.file_overdue_report(actor=loan_officer, loan_id=loan.pk)
    assert raised.value.code == "loan_not_overdue" and not OverdueReport.objects.exists()


def test_second_open_report_on_the_same_loan_is_a_conflict(overdue_loan, loan_officer):
    services.file_overdue_report(actor=loan_officer, loan_id=overdue_loan.pk)
    with pytest.raises(Conflict):
        services.file_overdue_report(actor=loan_officer, loan_id=overdue_loan.pk)
    assert OverdueReport.objects.count() == 1


@pytest.mark.parametrize("who", ["stranger_bank_officer", "certified_admin", "other_enterprise_admin"])
def test_only_the_lender_reports(overdue_loan, request, who):
    with pytest.raises(NotFound):
        services.file_overdue_report(actor=request.getfixturevalue(who), loan_id=overdue_loan.pk)
    assert not OverdueReport.objects.exists()


ALL_MOVES = [(a, b) for a in CollectionStatus.values for b in CollectionStatus.values if a != b]


@pytest.mark.parametrize(("current", "target"), ALL_MOVES)
def test_each_collection_move_is_allowed_or_refused_by_the_table(overdue_loan, loan_officer, current, target):
    report = services.file_overdue_report(actor=loan_officer, loan_id=overdue_loan.pk)
    OverdueReport.objects.filter(pk=report.pk).update(status=current)

    if target in COLLECTION_TRANSITIONS[current]:
        services.update_overdue_report(actor=loan_officer, report_id=report.pk, status=target, note="进展")
        report.refresh_from_db()
        assert report.status == target
        assert (report.closed_at is not None) == (target in ("settled", "written_off"))
    else:
        with pytest.raises(InvalidTransition):
            services.update_overdue_report(actor=loan_officer, report_id=report.pk, status=target)
        report.refresh_from_db()
        assert report.status == current


def test_same_status_update_needs_a_note_and_a_closed_report_takes_none(overdue_loan, loan_officer):
    report = services.file_overdue_report(actor=loan_officer, loan_id=overdue_loan.pk)
    with pytest.raises(ValidationFailed):
        services.update_overdue_report(actor=loan_officer, report_id=report.pk, status="contacted")
    services.update_overdue_report(
        actor=loan_officer, report_id=report.pk, status="contacted", note="再次联系"
    )
    services.update_overdue_report(actor=loan_officer, report_id=report.pk, status="settled", note="已结清")
    with pytest.raises(Conflict):
        services.update_overdue_report(actor=loan_officer, report_id=report.pk, status="settled", note="x")
    assert report.updates.count() == 3


def test_another_institution_cannot_update_or_see_the_report(
    overdue_loan, loan_officer, stranger_bank_officer
):
    report = services.file_overdue_report(actor=loan_officer, loan_id=overdue_loan.pk)
    with pytest.raises(NotFound):
        services.update_overdue_report(actor=stranger_bank_officer, report_id=report.pk, status="promised")
    with pytest.raises(NotFound):
        selectors.get_overdue_report_for(stranger_bank_officer, report.pk)
    assert not selectors.overdue_reports_for(stranger_bank_officer).exists()


def test_blacklist_proposal_takes_effect_only_after_operator_approval(
    overdue_loan, loan_officer, operator_user
):
    report = services.file_overdue_report(
        actor=loan_officer, loan_id=overdue_loan.pk, blacklist_reason="恶意逃废债，多次失联"
    )
    proposal = BlacklistProposal.objects.get(report=report)
    assert proposal.status == "pending"
    assert _listed(operator_user, overdue_loan.uscc) == 0  # nothing listed while pending

    services.approve_blacklist_proposal(actor=operator_user, proposal_id=proposal.pk)

    proposal.refresh_from_db()
    assert proposal.status == "approved" and proposal.blacklist_entry_id
    assert _listed(operator_user, overdue_loan.uscc) == 1
    with pytest.raises(InvalidTransition):
        services.reject_blacklist_proposal(actor=operator_user, proposal_id=proposal.pk, reason="晚了")


def test_rejected_proposal_lists_nobody_and_needs_a_reason(overdue_loan, loan_officer, operator_user):
    report = services.file_overdue_report(actor=loan_officer, loan_id=overdue_loan.pk)
    proposal = services.propose_blacklist(actor=loan_officer, report_id=report.pk, reason="失联")
    with pytest.raises(ValidationFailed):
        services.reject_blacklist_proposal(actor=operator_user, proposal_id=proposal.pk, reason=" ")

    services.reject_blacklist_proposal(actor=operator_user, proposal_id=proposal.pk, reason="证据不足")

    proposal.refresh_from_db()
    assert proposal.status == "rejected" and proposal.review_reason == "证据不足"
    assert _listed(operator_user, overdue_loan.uscc) == 0
    with pytest.raises(InvalidTransition):
        services.approve_blacklist_proposal(actor=operator_user, proposal_id=proposal.pk)


def test_only_operators_review_and_one_proposal_waits_at_a_time(overdue_loan, loan_officer, regulator):
    report = services.file_overdue_report(actor=loan_officer, loan_id=overdue_loan.pk)
    proposal = services.propose_blacklist(actor=loan_officer, report_id=report.pk, reason="失联")
    with pytest.raises(Conflict):
        services.propose_blacklist(actor=loan_officer, report_id=report.pk, reason="再次")
    for reviewer in (loan_officer, regulator):
        with pytest.raises(AccessDenied):
            services.approve_blacklist_proposal(actor=reviewer, proposal_id=proposal.pk)
    proposal.refresh_from_db()
    assert proposal.status == "pending"


def test_risk_feed_lists_reports_changed_since(overdue_loan, loan_officer):
    before = timezone.now() - timedelta(minutes=1)
    report = services.file_overdue_report(actor=loan_officer, loan_id=overdue_loan.pk)

    assert list(selectors.overdue_reports_since(before)) == [report]
    assert list(selectors.overdue_reports_since(before, uscc=overdue_loan.uscc)) == [report]
    assert not selectors.overdue_reports_since(timezone.now() + timedelta(minutes=1)).exists()


def test_api_files_and_updates_a_report(overdue_loan, loan_officer, login, client):
    login(loan_officer)
    created = client.post(
        "/api/v1/postloan/overdue-reports",
        {"loan_id": overdue_loan.pk, "status": "promised", "note": "承诺月底还款"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    report_id = created.json()["id"]
    illegal = client.post(
        f"/api/v1/postloan/overdue-reports/{report_id}",
        {"status": "written_off"},
        content_type="application/json",
    )
    moved = client.post(
        f"/api/v1/postloan/overdue-reports/{report_id}",
        {"status": "legal_action"},
        content_type="application/json",
    )
    assert illegal.status_code == 409 and illegal.json()["code"] == "invalid_transition"
    assert moved.status_code == 200 and moved.json()["status"] == "legal_action"


def test_api_other_institution_gets_404(overdue_loan, stranger_bank_officer, login, client):
    login(stranger_bank_officer)
    response = client.post(
        "/api/v1/postloan/overdue-reports", {"loan_id": overdue_loan.pk}, content_type="application/json"
    )
    assert response.status_code == 404 and not OverdueReport.objects.exists()


def test_api_key_of_the_lender_files_and_proposes(overdue_loan, bank, operator_user):
    from django.test import Client

    from dfsp.accounts import api_keys
    from dfsp.accounts.tests.factories import member

    admin = member("institution_admin", organisation=bank, username="bank_key_admin_t")
    _key, raw = api_keys.create_api_key(actor=admin, name="信贷系统")
    headers = {"Authorization": f"Bearer {raw}"}
    client = Client()

    created = client.post(
        "/api/v1/postloan/overdue-reports",
        {"loan_id": overdue_loan.pk},
        content_type="application/json",
        headers=headers,
    )
    proposed = client.post(
        f"/api/v1/postloan/overdue-reports/{created.json()['id']}/blacklist-proposal",
        {"reason": "失联"},
        content_type="application/json",
        headers=headers,
    )

    assert created.status_code == 201 and proposed.status_code == 201
    assert proposed.json()["status"] == "pending"
    assert _listed(operator_user, overdue_loan.uscc) == 0
