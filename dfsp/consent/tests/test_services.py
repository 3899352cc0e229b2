from datetime import timedelta
from types import SimpleNamespace
from unittest import mock

import pytest
from django.apps import apps
from django.utils import timezone

from dfsp.consent import selectors, services
from dfsp.consent.models import ConsentTemplate, Grant
from dfsp.consent.states import GrantStatus, RequestStatus
from dfsp.core.errors import AccessDenied, InvalidTransition, NotFound, ValidationFailed
from dfsp.notifications.models import Message

AuditEvent = apps.get_model("audit", "AuditEvent")


def test_default_scopes_match_the_product_scope_codes(scopes):
    # dfsp.institutions.codes.DataScope (consent may not import institutions: it sits above)
    product_codes = {
        "registration",
        "tax",
        "social_insurance",
        "housing_fund",
        "utilities",
        "real_estate",
        "ip",
        "import_export",
        "judicial",
        "licences_penalties",
    }
    assert product_codes <= set(scopes)
    assert selectors.validate_scope_codes(["tax", "tax", "ip"]) == ["tax", "ip"]
    with pytest.raises(ValidationFailed):
        selectors.validate_scope_codes(["tax", "everything"])


def test_scopes_for_product_follow_its_declaration(db):
    product = SimpleNamespace(data_scopes=["registration", "judicial"])
    assert [s.code for s in selectors.scopes_for_product(product)] == ["registration", "judicial"]


def test_signed_grant_keeps_evidence_and_notifies_the_institution(sign, enterprise_admin, loan_officer):
    grant = sign(query_limit=3)
    assert grant.status == GrantStatus.ACTIVE and grant.signed_by == enterprise_admin
    assert grant.template.version == 1 and "大庆" in grant.text and grant.signer_ip == "10.0.0.8"
    # default: the end of the local day 364 days ahead, never more than one year
    valid_until = timezone.localtime(grant.valid_until)
    assert valid_until.date() == timezone.localtime(grant.signed_at).date() + timedelta(days=364)
    assert (valid_until.hour, valid_until.minute) == (23, 59)
    assert grant.valid_until - grant.signed_at <= timedelta(days=365)
    assert services.verify_grant_evidence(grant)
    assert Message.objects.filter(recipient=loan_officer, category="consent").exists()
    assert AuditEvent.objects.filter(event_type="consent.grant.signed", object_id=str(grant.pk)).exists()


@pytest.mark.parametrize(
    "field, value",
    [
        ("text", "本企业授权任何机构查询全部信息。"),
        ("scope_codes", ["registration", "tax", "judicial"]),
        ("query_limit", 999),
        ("purpose_id", "D-2"),
        ("signer_ip", "10.9.9.9"),
        ("channel", "api"),
        ("text_hash", "0" * 64),
        ("signature", "30" * 70),
        ("signature", "not hex"),
    ],
)
def test_evidence_signature_detects_tampering(sign, field, value):
    grant = sign(query_limit=3)
    Grant.objects.filter(pk=grant.pk).update(**{field: value})  # bypasses the model, as an attacker would
    assert not services.verify_grant_evidence(Grant.objects.get(pk=grant.pk))


def test_evidence_validity_window_is_signed(sign):
    grant = sign()
    Grant.objects.filter(pk=grant.pk).update(valid_until=grant.valid_until + timedelta(days=30))
    assert services.verify_grant_evidence(grant)  # the untouched in-memory copy still verifies
    assert not services.verify_grant_evidence(Grant.objects.get(pk=grant.pk))


def test_evidence_fields_cannot_be_changed_through_the_model(sign):
    grant = sign()
    grant.scope_codes = ["registration", "tax", "ip"]
    with pytest.raises(ValueError):
        grant.save()
    with pytest.raises(ValueError):
        grant.delete()


def test_signing_needs_confirmation_and_the_text_that_was_shown(enterprise_admin, institution):
    args = {
        "actor": enterprise_admin,
        "institution_id": institution.pk,
        "scope_codes": ["tax"],
        "purpose_type": "demand",
        "purpose_id": "D-1",
    }
    preview = services.preview_grant(**args)
    with pytest.raises(ValidationFailed):
        services.grant_consent(**args, shown_text_hash=preview["text_hash"], confirmed=False)
    with pytest.raises(ValidationFailed):
        services.grant_consent(**args, shown_text_hash="0" * 64, confirmed=True)
    with pytest.raises(ValidationFailed):
        services.grant_consent(
            **{**args, "scope_codes": []}, shown_text_hash=preview["text_hash"], confirmed=True
        )
    assert not Grant.objects.exists()


def test_validity_is_at_most_one_year(enterprise_admin, institution):
    with pytest.raises(ValidationFailed):
        services.preview_grant(
            actor=enterprise_admin,
            institution_id=institution.pk,
            scope_codes=["tax"],
            purpose_type="demand",
            purpose_id="D-1",
            valid_until=timezone.now() + timedelta(days=400),
        )


def test_default_validity_is_stable_between_preview_and_signing(enterprise_admin, institution):
    """The text shown names the same end date when the enterprise signs minutes later."""
    args = {
        "actor": enterprise_admin,
        "institution_id": institution.pk,
        "scope_codes": ["tax"],
        "purpose_type": "demand",
        "purpose_id": "D-1",
    }
    shown_at = timezone.now().replace(hour=3, minute=0)
    with mock.patch("django.utils.timezone.now", return_value=shown_at):
        preview = services.preview_grant(**args)
    with mock.patch("django.utils.timezone.now", return_value=shown_at + timedelta(minutes=7)):
        grant = services.grant_consent(**args, shown_text_hash=preview["text_hash"], confirmed=True)
    assert grant.text == preview["text"] and grant.valid_until == preview["valid_until"]


def test_new_template_version_does_not_change_signed_grants(sign, operator_user):
    grant = sign()
    services.create_template_version(
        actor=operator_user, title="新版", body="新版授权书：{enterprise} 授权 {institution}"
    )
    assert ConsentTemplate.objects.count() == 2
    grant.refresh_from_db()
    assert grant.template.version == 1 and services.verify_grant_evidence(grant)
    assert sign(purpose_id="D-9").template.version == 2


def test_scope_change_does_not_widen_a_signed_grant(sign, operator_user):
    grant = sign(scopes=("tax",))
    scope = selectors.get_scope(actor=operator_user, scope_id=selectors.active_scopes().get(code="tax").pk)
    services.save_scope(
        actor=operator_user,
        scope=scope,
        code="tax",
        name=scope.name,
        categories=["tax", "penalty"],
        elements=[],
        months_back=120,
        sensitivity=3,
    )
    grant.refresh_from_db()
    assert (
        grant.scope_snapshot["tax"]["categories"] == ["tax"]
        and grant.scope_snapshot["tax"]["months_back"] == 24
    )


@pytest.mark.parametrize("persona", ["enterprise_user_t", "loan_officer", "operator_user", "regulator"])
def test_only_enterprise_admins_sign(persona, request, enterprise, institution):
    from dfsp.accounts.tests.factories import member

    actor = (
        member("enterprise_user", organisation=enterprise)
        if persona == "enterprise_user_t"
        else request.getfixturevalue(persona)
    )
    with pytest.raises(AccessDenied):
        services.preview_grant(
            actor=actor,
            institution_id=institution.pk,
            scope_codes=["tax"],
            purpose_type="demand",
            purpose_id="D-1",
        )


def test_withdrawal_is_one_action_and_final(sign, enterprise_admin, loan_officer):
    grant = sign()
    services.withdraw_grant(actor=enterprise_admin, grant_id=grant.pk)
    grant.refresh_from_db()
    assert grant.status == GrantStatus.WITHDRAWN and grant.ended_by == enterprise_admin
    assert services.verify_grant_evidence(grant)  # status moves never touch the evidence
    with pytest.raises(InvalidTransition):
        services.withdraw_grant(actor=enterprise_admin, grant_id=grant.pk)


def test_another_enterprise_cannot_see_or_withdraw_a_grant(sign, other_enterprise_admin):
    grant = sign()
    with pytest.raises(NotFound):
        services.withdraw_grant(actor=other_enterprise_admin, grant_id=grant.pk)
    with pytest.raises(NotFound):
        selectors.get_grant_for(other_enterprise_admin, grant.pk)


def test_expiry_task_marks_past_grants(sign):
    from dfsp.consent import tasks

    grant = sign(valid_until=timezone.now() + timedelta(days=1))
    assert services.expire_grants(now=timezone.now()) == 0
    assert services.expire_grants(now=timezone.now() + timedelta(days=2)) == 1
    grant.refresh_from_db()
    assert grant.status == GrantStatus.EXPIRED
    assert tasks.expire_grants() == {"expired": 0}


def test_grants_end_with_their_purpose(sign, loan_officer, enterprise):
    grant = sign(purpose_type="application", purpose_id="A-7")
    keep = sign(purpose_type="application", purpose_id="A-8")
    req = services.request_grant(
        actor=loan_officer,
        uscc=enterprise.uscc,
        scope_codes=["tax"],
        purpose_type="application",
        purpose_id="A-7",
        reason="审批",
    )
    assert services.end_grants_for_purpose(purpose_type="application", purpose_id="A-7") == 1
    grant.refresh_from_db(), keep.refresh_from_db(), req.refresh_from_db()
    assert (grant.status, keep.status, req.status) == (
        GrantStatus.ENDED,
        GrantStatus.ACTIVE,
        RequestStatus.CANCELLED,
    )


def test_product_grant_refuses_scope_escalation(enterprise_admin, institution, loan_officer, enterprise):
    product = SimpleNamespace(data_scopes=["registration", "tax"])
    with pytest.raises(AccessDenied) as refused:
        services.preview_grant(
            actor=enterprise_admin,
            institution_id=institution.pk,
            product=product,
            scope_codes=["registration", "tax", "judicial"],
            purpose_type="pre_assessment",
            purpose_id="P-1",
        )
    assert refused.value.code == "consent_scope_escalation"
    with pytest.raises(AccessDenied):
        services.request_grant(
            actor=loan_officer,
            uscc=enterprise.uscc,
            product=product,
            scope_codes=["real_estate"],
            purpose_type="pre_assessment",
            purpose_id="P-1",
            reason="预审",
        )


def test_request_accept_signs_only_requested_scopes(loan_officer, enterprise_admin, enterprise):
    req = services.request_grant(
        actor=loan_officer,
        uscc=enterprise.uscc,
        scope_codes=["registration", "tax"],
        purpose_type="demand",
        purpose_id="D-5",
        reason="对接融资需求",
        query_limit=5,
    )
    assert Message.objects.filter(recipient=enterprise_admin, category="consent").exists()
    preview = services.preview_grant(
        actor=enterprise_admin,
        institution_id=req.institution_id,
        scope_codes=["tax"],
        purpose_type="demand",
        purpose_id="D-5",
        query_limit=5,
    )
    with pytest.raises(AccessDenied):
        services.accept_request(
            actor=enterprise_admin,
            request_id=req.pk,
            scope_codes=["tax", "judicial"],
            shown_text_hash=preview["text_hash"],
            confirmed=True,
        )
    grant = services.accept_request(
        actor=enterprise_admin,
        request_id=req.pk,
        scope_codes=["tax"],
        shown_text_hash=preview["text_hash"],
        confirmed=True,
    )
    req.refresh_from_db()
    assert (
        req.status == RequestStatus.ACCEPTED and grant.request_id == req.pk and grant.scope_codes == ["tax"]
    )
    with pytest.raises(InvalidTransition):
        services.decline_request(actor=enterprise_admin, request_id=req.pk)


def test_decline_notifies_and_other_enterprises_cannot_touch_requests(
    loan_officer, enterprise, enterprise_admin, other_enterprise_admin
):
    req = services.request_grant(
        actor=loan_officer,
        uscc=enterprise.uscc,
        scope_codes=["tax"],
        purpose_type="demand",
        purpose_id="D-5",
        reason="对接",
    )
    with pytest.raises(NotFound):
        services.decline_request(actor=other_enterprise_admin, request_id=req.pk)
    services.decline_request(actor=enterprise_admin, request_id=req.pk, reason="暂不需要")
    assert Message.objects.filter(
        recipient=loan_officer, category="consent", link="/consent/institution/"
    ).exists()


def test_request_for_unknown_enterprise_is_a_field_error(loan_officer):
    with pytest.raises(ValidationFailed) as error:
        services.request_grant(
            actor=loan_officer,
            uscc="91230603MA1C4QY700",
            scope_codes=["tax"],
            purpose_type="demand",
            purpose_id="D-1",
            reason="x",
        )
    assert "uscc" in error.value.field_errors


def test_a_registered_purpose_checker_refuses_unknown_references(monkeypatch, sign, loan_officer, enterprise):
    """The app owning a purpose vouches for its references; an unknown one is a field error."""
    from dfsp.consent import purposes

    seen = []

    def check_demand(*, purpose_id, enterprise, institution):
        seen.append((purpose_id, enterprise.pk, institution.pk))
        return "需求 D-1 · 流动资金" if purpose_id == "D-1" else None

    monkeypatch.setitem(purposes._CHECKERS, "demand", check_demand)
    with pytest.raises(ValidationFailed) as refused:
        sign(purpose_id="D-404")
    assert refused.value.code == "consent_unknown_purpose" and "purpose_id" in refused.value.field_errors
    with pytest.raises(ValidationFailed):
        services.request_grant(
            actor=loan_officer,
            uscc=enterprise.uscc,
            scope_codes=["tax"],
            purpose_type="demand",
            purpose_id="D-404",
            reason="贷前调查",
        )
    grant = sign(purpose_id="D-1")
    assert grant.purpose_label == "需求 D-1 · 流动资金" and services.verify_grant_evidence(grant)
    assert seen[-1] == ("D-1", enterprise.pk, grant.institution_id)
    assert not Grant.objects.filter(purpose_id="D-404").exists()
