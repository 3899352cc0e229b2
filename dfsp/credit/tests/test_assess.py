from decimal import Decimal

import pytest

from dfsp.consent.gate import GateRefused
from dfsp.consent.models import CallLog
from dfsp.core.errors import Conflict, NotFound
from dfsp.credit import selectors, services, versions
from dfsp.credit.models import Score
from dfsp.credit.states import ModelKind
from dfsp.credit.tests.conftest import good_records, record

pytestmark = pytest.mark.django_db


def test_a_granted_institution_gets_score_grade_reasons_fraud_and_limit(
    credit_data, platform_models, enterprise, grant, loan_officer
):
    # given a healthy enterprise that granted the bank its credit data for application A-1
    credit_data.set(enterprise.uscc, good_records())
    grant()
    # when the loan officer assesses it
    assessment = services.assess(
        actor=loan_officer, uscc=enterprise.uscc, purpose_type="application", purpose_id="A-1"
    )
    # then the expert scorecard gives 715 = 600 + 15 + 40 + 20 + 10 + 5 + 5 + 0 + 10 + 5 + 0 + 0 + 5 + 0 (hand-computed)
    assert assessment.score == 715
    assert assessment.grade == "AA"
    assert assessment.base + sum(r["points"] for r in assessment.reasons) == assessment.score
    by_code = {r["code"]: r for r in assessment.reasons}
    assert by_code["tax_grade"]["points"] == 40 and by_code["tax_grade"]["direction"] == "up"
    assert (
        by_code["annual_tax_paid"]["value"] == "200,000 – 1,000,000"
    )  # money shown as its bin, not the figure
    assert by_code["honours_count"]["direction"] == "neutral"
    assert assessment.fraud_score == 0 and assessment.fraud_rules == []
    # 600 000 taxes / 0.04 = 15 000 000 revenue × 0.25 = 3 750 000 × 1.3 (AA) = 4 875 000
    assert assessment.limit == Decimal("4875000.00")
    assert [s["code"] for s in assessment.limit_derivation] == [
        "taxes",
        "revenue",
        "base",
        "grade",
        "rounding",
        "limit",
    ]
    shown = [s["value"] for s in assessment.limit_derivation]
    assert shown[:2] == ["≈ 600,000", "≈ 15,000,000"]  # sensitive taxes: two significant figures
    assert shown[-1] == "4,875,000.00"
    assert len(assessment.score_ids) == 3
    rows = Score.objects.filter(pk__in=assessment.score_ids)
    assert {r.kind for r in rows} == set(ModelKind.values)
    assert all(len(r.inputs_hash) == 64 for r in rows)
    assert set(assessment.model_versions) == set(ModelKind.values)
    log = CallLog.objects.get(pk=rows.first().call_log_id)
    assert log.allowed and log.channel == "model" and log.grant_id is not None


def test_without_a_grant_the_gate_refuses_and_nothing_is_scored(
    credit_data, platform_models, enterprise, loan_officer
):
    credit_data.set(enterprise.uscc, good_records())
    with pytest.raises(GateRefused) as refused:
        services.assess(
            actor=loan_officer, uscc=enterprise.uscc, purpose_type="application", purpose_id="A-1"
        )
    assert refused.value.code == "consent_no_grant"
    assert not Score.objects.exists()


def test_with_no_active_version_scoring_is_refused_before_reading(
    credit_data, platform_models, enterprise, grant, loan_officer, operator_user
):
    credit_data.set(enterprise.uscc, good_records())
    grant()
    versions.retire_version(actor=operator_user, version_id=platform_models[ModelKind.SCORECARD].pk)
    reads_before = CallLog.objects.count()
    with pytest.raises(Conflict) as refused:
        services.assess(
            actor=loan_officer, uscc=enterprise.uscc, purpose_type="application", purpose_id="A-1"
        )
    assert refused.value.code == "credit_model_inactive" and refused.value.status == 409
    assert CallLog.objects.count() == reads_before  # no grant read was spent
    assert not Score.objects.exists()


def test_a_product_caps_the_limit_in_ten_thousand_yuan(
    credit_data, platform_models, enterprise, grant, loan_officer, product
):
    credit_data.set(enterprise.uscc, good_records())
    grant(scopes=("registration", "tax"))
    assessment = services.assess(
        actor=loan_officer,
        uscc=enterprise.uscc,
        purpose_type="application",
        purpose_id="A-1",
        product=product,
    )
    assert product.amount_max == Decimal("300")
    assert assessment.limit == Decimal("3000000.00")  # 300 万元
    assert "product_cap" in [s["code"] for s in assessment.limit_derivation]


def test_the_institutions_own_active_parameters_are_used(
    credit_data, platform_models, enterprise, grant, loan_officer, bank_admin
):
    credit_data.set(enterprise.uscc, good_records())
    grant()
    card = versions.derive_version(actor=bank_admin, model_id=platform_models[ModelKind.SCORECARD].model_id)
    versions.update_params(
        actor=bank_admin,
        version_id=card.pk,
        changes={"grade_cutoffs": [760, 720, 710, 650, 600, 550, 500, 450]},
    )
    versions.activate_version(actor=bank_admin, version_id=card.pk)
    assessment = services.assess(
        actor=loan_officer, uscc=enterprise.uscc, purpose_type="application", purpose_id="A-1"
    )
    assert assessment.score == 715 and assessment.grade == "A"  # 715 < 720 under the bank's cut-offs
    assert assessment.model_version_ids[ModelKind.SCORECARD] == card.pk
    # the platform's version still scores for everyone else
    assert selectors.active_version(ModelKind.SCORECARD).pk == platform_models[ModelKind.SCORECARD].pk


def test_another_institution_cannot_read_the_score(
    credit_data, platform_models, enterprise, grant, loan_officer, other_officer, operator_user
):
    credit_data.set(enterprise.uscc, good_records())
    grant()
    assessment = services.assess(
        actor=loan_officer, uscc=enterprise.uscc, purpose_type="application", purpose_id="A-1"
    )
    with pytest.raises(NotFound):
        selectors.get_score_for(actor=other_officer, score_id=assessment.score_ids[0])
    with pytest.raises(NotFound):
        services.recompute_score(actor=other_officer, score_id=assessment.score_ids[0])
    assert not selectors.scores_for(actor=other_officer).exists()
    assert selectors.get_score_for(actor=operator_user, score_id=assessment.score_ids[0])


def test_recompute_matches_and_detects_tampering(
    credit_data, platform_models, enterprise, grant, loan_officer
):
    credit_data.set(enterprise.uscc, good_records())
    grant()
    assessment = services.assess(
        actor=loan_officer,
        uscc=enterprise.uscc,
        purpose_type="application",
        purpose_id="A-1",
        amount=Decimal("500000"),
    )
    for score_id in assessment.score_ids:
        _score, matches = services.recompute_score(actor=loan_officer, score_id=score_id)
        assert matches
    card = Score.objects.get(pk=assessment.score_ids[0])
    card.outputs = {**card.outputs, "score": 800}
    card.save(update_fields=["outputs"])
    assert services.recompute_score(actor=loan_officer, score_id=card.pk)[1] is False


def test_adverse_records_lower_the_score_and_fire_fraud_rules(
    credit_data, platform_models, enterprise, grant, loan_officer
):
    records = good_records(
        judicial=[record(values={"judicial_kind": "dishonest", "case_no": "X1"}, code="dishonest")],
        watchlist=[record(values={"list_kind": "abnormal", "listed_on": "2025-01-01"}, code="abnormal")],
    )
    credit_data.set(enterprise.uscc, records)
    grant()
    assessment = services.assess(
        actor=loan_officer,
        uscc=enterprise.uscc,
        purpose_type="application",
        purpose_id="A-1",
        platform_history={"recent_applications": 4},
    )
    # 715 − 5 (judicial 1 case? no: dishonest is not counted as a case) − 120 − 80 = 510
    assert assessment.score == 715 - 120 - 80
    fired = {r["code"] for r in assessment.fraud_rules}
    assert fired == {"dishonest_debtor", "watchlist", "application_burst"}
    assert assessment.fraud_score == 100  # 50 + 40 + 20 capped
    assert assessment.limit == Decimal("0.00")
