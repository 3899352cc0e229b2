"""gate.read_credit_features: the model read. Same decision, counting and call log as
read_credit_profile, unmasked typed records, plus the enterprise's own pre-assessment."""

import pytest

from dfsp.consent.gate import MODEL_CHANNEL, OWN_DATA_REASON, GateRefused, read_credit_features
from dfsp.consent.models import CallLog, Grant
from dfsp.consent.tests.conftest import stub_profile


@pytest.fixture(autouse=True)
def _standards(standards):
    pass


def read(actor, uscc, scopes=("registration", "tax"), purpose_type="demand", purpose_id="D-1"):
    return read_credit_features(
        actor=actor,
        uscc=uscc,
        scopes=list(scopes),
        purpose_type=purpose_type,
        purpose_id=purpose_id,
        provider=stub_profile,
    )


def test_without_a_grant_the_model_read_is_refused_and_logged(loan_officer, enterprise):
    with pytest.raises(GateRefused) as refused:
        read(loan_officer, enterprise.uscc)
    assert refused.value.code == "consent_no_grant"
    log = CallLog.objects.get()
    assert (log.allowed, log.reason, log.channel, log.enterprise_id) == (
        False,
        "consent_no_grant",
        MODEL_CHANNEL,
        enterprise.pk,
    )


def test_a_granted_model_read_is_counted_logged_and_unmasked(sign, loan_officer, enterprise):
    grant = sign(scopes=("registration", "tax"), query_limit=2)
    features = read(loan_officer, enterprise.uscc)
    registration = features.records["registration"][0].values
    assert registration["legal_rep_mobile"] == "13804590001"  # raw, for computation only
    assert registration["legal_rep_id"] == "230602199001011234"
    assert [r.period for r in features.records["tax"]] != [] and "2001-01" not in [
        r.period for r in features.records["tax"]
    ]  # the scope's 24 months back still applies
    grant.refresh_from_db()
    assert grant.query_count == 1
    log = CallLog.objects.get(pk=features.call_log_id)
    assert (log.allowed, log.reason, log.channel, log.grant_id) == (True, "allowed", MODEL_CHANNEL, grant.pk)
    # the second read exhausts the limit, the third is refused
    read(loan_officer, enterprise.uscc)
    with pytest.raises(GateRefused) as refused:
        read(loan_officer, enterprise.uscc)
    assert refused.value.code == "consent_grant_exhausted"
    assert Grant.objects.get(pk=grant.pk).status == "exhausted"


def test_a_granted_but_empty_category_reads_as_empty_not_unknown(sign, loan_officer, enterprise):
    sign(scopes=("registration", "judicial", "honours_lists"))
    features = read(loan_officer, enterprise.uscc, scopes=("registration", "judicial", "honours_lists"))
    assert features.records["honour"] == [] and features.records["watchlist"] == []
    assert "tax" not in features.records


def test_a_partially_covered_read_is_refused(sign, loan_officer, enterprise):
    sign(scopes=("registration",))
    with pytest.raises(GateRefused) as refused:
        read(loan_officer, enterprise.uscc, scopes=("registration", "tax"))
    assert refused.value.code == "consent_scope_not_granted"


def test_an_enterprise_pre_assesses_its_own_data_only(enterprise_admin, enterprise, other_enterprise_admin):
    features = read(enterprise_admin, enterprise.uscc, purpose_type="pre_assessment", purpose_id="self")
    assert features.reason == OWN_DATA_REASON and features.grant_id is None
    assert features.records["registration"][0].values["ent_name"] == "大庆测试企业"
    log = CallLog.objects.get(pk=features.call_log_id)
    assert (log.allowed, log.reason, log.enterprise_id) == (True, OWN_DATA_REASON, enterprise.pk)
    # another enterprise may not read it, not even "for pre-assessment"
    with pytest.raises(GateRefused) as refused:
        read(other_enterprise_admin, enterprise.uscc, purpose_type="pre_assessment", purpose_id="self")
    assert refused.value.code == "consent_role_not_permitted"
    # and its own data for any other purpose goes through the normal rules (enterprises hold no grants)
    with pytest.raises(GateRefused):
        read(enterprise_admin, enterprise.uscc, purpose_type="application", purpose_id="A-1")
    assert CallLog.objects.filter(allowed=False).count() == 2


def test_an_institution_cannot_claim_a_pre_assessment_without_a_grant(loan_officer, enterprise):
    with pytest.raises(GateRefused) as refused:
        read(loan_officer, enterprise.uscc, purpose_type="pre_assessment", purpose_id="self")
    assert refused.value.code == "consent_no_grant"


def test_unknown_scopes_are_refused(loan_officer, enterprise):
    with pytest.raises(GateRefused) as refused:
        read(loan_officer, enterprise.uscc, scopes=("nonsense",))
    assert refused.value.code == "consent_unknown_scope"
