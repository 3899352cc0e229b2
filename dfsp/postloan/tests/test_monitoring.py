"""Post-loan monitoring (FIN-P6): nothing without an active post-loan grant; with one, new risk
signals since disbursement, read through the consent gate (which logs the call)."""

from datetime import date
from types import SimpleNamespace

import pytest

from dfsp.consent import services as consent_services
from dfsp.consent.models import CallLog, GrantRequest
from dfsp.core.errors import NotFound
from dfsp.postloan import selectors, services
from dfsp.postloan.selectors.monitoring import signals_from
from dfsp.postloan.states import MONITORING_SCOPES

DISBURSED = date(2026, 1, 10)


def _record(values, *, period="", event_date=None):
    """Shaped like datahub's ProfileRecord (read here only through the gate)."""
    return SimpleNamespace(period=period, event_date=event_date, values=values)


def CategoryView(category, label, records):
    return SimpleNamespace(category=category, label=label, records=records)


def CreditProfile(*, uscc, name, sections):
    return SimpleNamespace(uscc=uscc, name=name, sections=sections)


def _profile(*, uscc):
    return CreditProfile(
        uscc=uscc,
        name="测试企业",
        sections={
            "judicial": CategoryView("judicial", "Judicial", [
                _record({"case_no": "（2025）黑0602民初1号", "case_cause": "旧案"}, event_date=date(2025, 6, 1)),
                _record({"case_no": "（2026）黑0602民初3号", "case_cause": "借款纠纷"}, event_date=date(2026, 1, 8)),
                _record({"case_no": "（2026）黑0602民初9号", "case_cause": "买卖合同纠纷"}, event_date=date(2026, 1, 20)),
            ]),
            "tax": CategoryView("tax", "Tax", [
                _record({"period": "2025-12", "tax_arrears": "0"}, period="2025-12"),
                _record({"period": "2026-01", "tax_arrears": "0"}, period="2026-01"),
            ]),
            "social_insurance": CategoryView("social_insurance", "SI", [
                _record({"period": "2025-12", "insured_count": "50"}, period="2025-12"),
                _record({"period": "2026-01", "insured_count": "48"}, period="2026-01"),
            ]),
        },
    )  # fmt: skip


def _sign(admin, bank, loan):
    preview = consent_services.preview_grant(
        actor=admin, institution_id=bank.pk, scope_codes=list(MONITORING_SCOPES), purpose_type="post_loan",
        purpose_id=str(loan.pk),
    )  # fmt: skip
    return consent_services.grant_consent(
        actor=admin, institution_id=bank.pk, scope_codes=list(MONITORING_SCOPES), purpose_type="post_loan",
        purpose_id=str(loan.pk), shown_text_hash=preview["text_hash"], confirmed=True, ip="10.0.0.8",
    )  # fmt: skip


def test_signals_compare_records_after_disbursement_with_the_level_before():
    sections = [
        CategoryView("judicial", "J", []),
        *[
            type("S", (), {"category": category, "records": records})
            for category, records in (
                ("judicial", [{"period": "", "event_date": date(2026, 2, 1), "values": {"case_no": "A1"}},
                              {"period": "", "event_date": date(2025, 2, 1), "values": {"case_no": "OLD"}}]),
                ("tax", [{"period": "2026-02", "event_date": None, "values": {"tax_arrears": "1200.50"}}]),
                ("utilities", [
                    {"period": "2025-12", "event_date": None, "values": {"utility_type": "电", "consumption": "1000"}},
                    {"period": "2026-03", "event_date": None, "values": {"utility_type": "电", "consumption": "600"}},
                    {"period": "2025-12", "event_date": None, "values": {"utility_type": "水", "consumption": "100"}},
                    {"period": "2026-03", "event_date": None, "values": {"utility_type": "水", "consumption": "95"}}]),
                ("social_insurance", [
                    {"period": "2025-12", "event_date": None, "values": {"insured_count": "50"}},
                    {"period": "2026-03", "event_date": None, "values": {"insured_count": "30"}}]),
                ("watchlist", [{"period": "", "event_date": date(2026, 4, 1), "values": {"list_kind": "经营异常"}}]),
            )
        ],
    ]  # fmt: skip

    kinds = sorted(signal.kind for signal in signals_from(sections, DISBURSED))

    assert kinds == ["blacklist", "headcount_drop", "judicial", "tax_arrears", "utilities_drop"]


def test_without_a_grant_nothing_is_read_and_consent_can_be_requested(loan, loan_officer):
    result = selectors.monitoring_for(loan_officer, loan.pk)

    assert result.grant is None and result.signals == [] and not result.request_pending
    assert not CallLog.objects.exists()  # the gate was never asked
    services.request_monitoring_consent(actor=loan_officer, loan_id=loan.pk)
    request = GrantRequest.objects.get()
    assert (request.purpose_type, request.purpose_id) == ("post_loan", str(loan.pk))
    assert selectors.monitoring_for(loan_officer, loan.pk).request_pending


def test_with_an_active_grant_new_signals_are_read_through_the_gate(
    loan, loan_officer, certified_admin, bank, monkeypatch
):
    monkeypatch.setattr("dfsp.datahub.selectors.get_credit_profile", _profile)
    _sign(certified_admin, bank, loan)

    result = selectors.monitoring_for(loan_officer, loan.pk)

    assert result.grant is not None and not result.refused
    # only the case filed after disbursement (2026-01-10) counts; the headcount fell by 4% only
    assert [(signal.kind, signal.on) for signal in result.signals] == [("judicial", "2026-01-20")]
    log = CallLog.objects.get()
    assert log.allowed and log.purpose_type == "post_loan" and log.purpose_id == str(loan.pk)


def test_withdrawn_grant_shows_nothing(loan, loan_officer, certified_admin, bank):
    grant = _sign(certified_admin, bank, loan)
    consent_services.withdraw_grant(actor=certified_admin, grant_id=grant.pk)

    result = selectors.monitoring_for(loan_officer, loan.pk)

    assert result.grant is None and not CallLog.objects.exists()


@pytest.mark.parametrize("who", ["stranger_bank_officer", "certified_admin", "other_enterprise_admin"])
def test_monitoring_is_for_the_lender_and_supervisors_only(loan, request, who):
    with pytest.raises(NotFound):
        selectors.monitoring_for(request.getfixturevalue(who), loan.pk)


def test_other_institution_cannot_request_monitoring_consent(loan, stranger_bank_officer):
    with pytest.raises(NotFound):
        services.request_monitoring_consent(actor=stranger_bank_officer, loan_id=loan.pk)
    assert not GrantRequest.objects.exists()
