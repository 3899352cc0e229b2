import pytest
from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext

from dfsp.consent.models import CallLog, ConsentTemplate, Grant, GrantRequest, Scope
from dfsp.consent.states import GrantStatus
from dfsp.consent.tests.conftest import stub_profile

AuditEvent = apps.get_model("audit", "AuditEvent")


@pytest.fixture(autouse=True)
def _stub_datahub(monkeypatch, standards):
    monkeypatch.setattr("dfsp.datahub.selectors.get_credit_profile", stub_profile)


PAGES = {
    "consent:enterprise": {"enterprise_admin"},
    "consent:usage": {"enterprise_admin"},
    "consent:grant_new": {"enterprise_admin"},
    "consent:institution": {"loan_officer", "institution_admin"},
    "consent:request_new": {"loan_officer", "institution_admin"},
    "consent:regulator": {"regulator", "operator_user"},
    "consent:scopes": {"operator_user"},
    "consent:secrets": {"institution_admin"},
}
PERSONAS = ["enterprise_admin", "loan_officer", "institution_admin", "regulator", "operator_user"]


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("persona", PERSONAS)
def test_pages_open_to_their_roles_only(page, persona, request, client, login):
    login(request.getfixturevalue(persona))
    response = client.get(reverse(page))
    assert response.status_code == (200 if persona in PAGES[page] else 403)


def test_anonymous_is_sent_to_login(client, db):
    assert client.get(reverse("consent:enterprise")).status_code == 302


def test_grant_is_signed_through_the_page_with_nothing_pre_ticked(
    client, login, enterprise_admin, institution
):
    login(enterprise_admin)
    page = client.get(reverse("consent:grant_new")).content.decode()
    assert 'value="registration"' in page and 'value="tax"' in page and " checked" not in page
    data = {
        "institution": institution.pk,
        "scope_codes": ["registration", "tax"],
        "purpose_type": "demand",
        "purpose_id": "D-1",
        "query_limit": "3",
        "preview": "1",
    }
    preview = client.post(reverse("consent:grant_new"), data)
    text_hash = preview.context["preview"]["text_hash"]
    assert preview.status_code == 200 and institution.name in preview.content.decode()
    unconfirmed = client.post(reverse("consent:grant_new"), {**data, "sign": "1", "text_hash": text_hash})
    assert unconfirmed.status_code == 200 and not Grant.objects.exists()
    signed = client.post(
        reverse("consent:grant_new"), {**data, "sign": "1", "text_hash": text_hash, "confirmed": "on"}
    )
    grant = Grant.objects.get()
    assert signed.status_code == 302 and grant.signer_ip == "127.0.0.1" and grant.channel == "web"
    detail = client.get(reverse("consent:grant_detail", args=[grant.pk]))
    assert b"evidence-ok" in detail.content


def test_a_changed_text_is_shown_again_with_its_own_hash(client, login, enterprise_admin, institution):
    """Scopes changed after the preview: the old hash is refused, the new text can then be signed."""
    login(enterprise_admin)
    data = {
        "institution": institution.pk,
        "scope_codes": ["registration"],
        "purpose_type": "demand",
        "purpose_id": "D-1",
        "preview": "1",
    }
    old_hash = client.post(reverse("consent:grant_new"), data).context["preview"]["text_hash"]
    changed = {**data, "scope_codes": ["registration", "tax"], "sign": "1", "confirmed": "on"}
    refused = client.post(reverse("consent:grant_new"), {**changed, "text_hash": old_hash})
    assert refused.status_code == 200 and not Grant.objects.exists()
    assert gettext("The consent text has changed; read it again before signing.") in refused.content.decode()
    new_hash = refused.context["preview"]["text_hash"]
    assert new_hash != old_hash and refused.context["sign_form"]["text_hash"].value() == new_hash
    signed = client.post(reverse("consent:grant_new"), {**changed, "text_hash": new_hash})
    assert signed.status_code == 302 and Grant.objects.get().scope_codes == ["registration", "tax"]


def test_request_id_of_the_page_is_in_the_call_log(client, login, sign, loan_officer):
    grant = sign()
    login(loan_officer)
    response = client.get(reverse("consent:institution_profile", args=[grant.pk]))
    assert response.status_code == 200
    assert CallLog.objects.get().request_id == response["X-Request-ID"] != ""


def test_one_click_withdrawal_from_the_list(client, login, sign, enterprise_admin, loan_officer, enterprise):
    grant = sign()
    login(enterprise_admin)
    withdraw_url = reverse("consent:grant_withdraw", args=[grant.pk])
    assert withdraw_url in client.get(reverse("consent:enterprise")).content.decode()
    response = client.post(reverse("consent:grant_withdraw", args=[grant.pk]))
    grant.refresh_from_db()
    assert response.status_code == 302 and grant.status == GrantStatus.WITHDRAWN
    assert client.post(reverse("consent:grant_withdraw", args=[grant.pk])).status_code == 409


def test_cross_organisation_objects_are_not_found(
    client, login, sign, other_enterprise_admin, other_bank_officer, loan_officer, enterprise
):
    grant = sign()
    req = GrantRequest.objects.create(
        enterprise=enterprise,
        uscc=enterprise.uscc,
        institution=grant.institution,
        scope_codes=["tax"],
        purpose_type="demand",
        purpose_id="D-3",
        reason="x",
    )
    login(other_enterprise_admin)
    assert client.post(reverse("consent:grant_withdraw", args=[grant.pk])).status_code == 404
    assert client.get(reverse("consent:grant_detail", args=[grant.pk])).status_code == 404
    assert client.get(reverse("consent:request_accept", args=[req.pk])).status_code == 404
    assert client.post(reverse("consent:request_decline", args=[req.pk])).status_code == 404
    login(other_bank_officer)
    assert client.get(reverse("consent:institution_profile", args=[grant.pk])).status_code == 404
    assert client.get(reverse("consent:grant_detail", args=[grant.pk])).status_code == 404
    assert not CallLog.objects.exists()


def test_institution_profile_reads_through_the_gate_and_the_enterprise_sees_it(
    client, login, sign, loan_officer, enterprise_admin
):
    grant = sign(scopes=("registration",))
    login(loan_officer)
    page = client.get(reverse("consent:institution_profile", args=[grant.pk])).content.decode()
    assert "王**" in page and "2001-01" not in page
    log = CallLog.objects.get()
    assert log.allowed and log.grant_id == grant.pk
    login(enterprise_admin)
    usage = client.get(reverse("consent:usage")).content.decode()
    assert loan_officer.username in usage


def test_request_accept_page_signs(client, login, loan_officer, enterprise_admin, enterprise):
    login(loan_officer)
    client.post(
        reverse("consent:request_new"),
        {
            "uscc": enterprise.uscc,
            "scope_codes": ["tax"],
            "purpose_type": "demand",
            "purpose_id": "D-4",
            "reason": "对接需求",
        },
    )
    req = GrantRequest.objects.get()
    login(enterprise_admin)
    preview = client.post(
        reverse("consent:request_accept", args=[req.pk]), {"scope_codes": ["tax"], "preview": "1"}
    )
    text_hash = preview.context["preview"]["text_hash"]
    client.post(
        reverse("consent:request_accept", args=[req.pk]),
        {"scope_codes": ["tax"], "sign": "1", "text_hash": text_hash, "confirmed": "on"},
    )
    assert Grant.objects.get().request_id == req.pk


def test_regulator_export_is_audited(client, login, regulator, sign, loan_officer, enterprise):
    from dfsp.consent.gate import read_credit_profile

    sign()
    read_credit_profile(
        actor=loan_officer,
        uscc=enterprise.uscc,
        elements_or_scopes=["tax"],
        purpose_type="demand",
        purpose_id="D-1",
    )
    login(regulator)
    response = client.get(reverse("consent:regulator_export"))
    assert response.status_code == 200 and enterprise.uscc in response.content.decode("utf-8-sig")
    assert AuditEvent.objects.filter(event_type="consent.calllog.export").exists()


def test_operator_configures_scopes_and_template_versions(client, login, operator_user):
    login(operator_user)
    client.post(
        reverse("consent:scopes"),
        {
            "scope": "1",
            "code": "honours",
            "name": "荣誉信息",
            "categories": ["honour"],
            "months_back": "12",
            "sensitivity": "1",
            "is_active": "on",
        },
    )
    assert Scope.objects.filter(code="honours", categories=["honour"]).exists()
    bad = client.post(
        reverse("consent:scopes"),
        {
            "scope": "1",
            "code": "x",
            "name": "x",
            "categories": ["tax"],
            "elements": "no_such_element",
            "months_back": "1",
            "sensitivity": "1",
        },
    )
    assert bad.status_code == 200 and not Scope.objects.filter(code="x").exists()
    client.post(
        reverse("consent:scopes"), {"template": "1", "title": "v2", "body": "{enterprise} 授权 {institution}"}
    )
    assert ConsentTemplate.objects.count() == 2
    client.post(reverse("consent:scopes"), {"template": "1", "title": "v3", "body": "{0.__class__}"})
    assert ConsentTemplate.objects.count() == 2


def test_anomaly_hints_flag_night_reads_and_grants_near_their_limit(
    sign, loan_officer, enterprise, regulator
):
    from datetime import datetime
    from unittest import mock

    from django.utils import timezone

    from dfsp.consent import selectors
    from dfsp.consent.gate import read_credit_profile

    sign(query_limit=5)
    night = timezone.make_aware(datetime.combine(timezone.localdate(), datetime.min.time().replace(hour=2)))
    with mock.patch("django.utils.timezone.now", return_value=night):
        for _ in range(4):
            read_credit_profile(
                actor=loan_officer,
                uscc=enterprise.uscc,
                elements_or_scopes=["tax"],
                purpose_type="demand",
                purpose_id="D-1",
            )
    from django.utils import translation

    with translation.override("en"):
        kinds = {str(h.kind) for h in selectors.anomaly_hints(actor=regulator)}
    assert "Reads outside working hours" in kinds and "Grant near its query limit" in kinds


def test_enterprise_user_reads_but_cannot_withdraw(client, login, sign, enterprise):
    from dfsp.accounts.tests.factories import member

    grant = sign()
    login(member("enterprise_user", organisation=enterprise))
    page = client.get(reverse("consent:enterprise")).content.decode()
    assert f"#{grant.pk}" in page or str(grant.pk) in page
    assert reverse("consent:grant_withdraw", args=[grant.pk]) not in page
    assert client.post(reverse("consent:grant_withdraw", args=[grant.pk])).status_code == 403
    assert client.get(reverse("consent:usage")).status_code == 200


def test_request_form_is_prefilled_from_a_taken_demand_link(client, login, loan_officer, enterprise):
    login(loan_officer)
    url = reverse("consent:request_new") + f"?uscc={enterprise.uscc}&purpose_type=demand&purpose_id=42"
    page = client.get(url).content.decode()
    assert enterprise.uscc in page and 'value="42"' in page


def test_grant_lists_are_paginated(monkeypatch, client, login, sign, enterprise_admin, loan_officer):
    monkeypatch.setattr("dfsp.consent.views.GRANTS_PER_PAGE", 2)
    grants = [sign(purpose_id=f"D-{n}") for n in range(3)]
    for user, page_name in ((enterprise_admin, "consent:enterprise"), (loan_officer, "consent:institution")):
        login(user)
        first = client.get(reverse(page_name))
        second = client.get(reverse(page_name), {"page": 2})
        assert [g.pk for g in first.context["grants"]] == [grants[2].pk, grants[1].pk]
        assert [g.pk for g in second.context["grants"]] == [grants[0].pk]
        assert "page=2" in first.content.decode()


def test_who_used_my_data_reads_in_words(client, login, sign, loan_officer, enterprise_admin):
    from django.utils.translation import gettext

    from dfsp.consent.models import Scope

    grant = sign()
    login(loan_officer)
    client.get(reverse("consent:institution_profile", args=[grant.pk]))
    login(enterprise_admin)

    body = client.get(reverse("consent:usage")).content.decode()

    assert Scope.objects.get(code="tax").name in body  # the scope's name, not its code
    assert f"{gettext('Financing demand taken by the institution')} D-1" in body
    assert gettext("Allowed under a grant") in body


def test_a_supervisors_read_names_the_page_it_came_from():
    from django.utils.translation import gettext

    log = CallLog(purpose_type="", purpose_id="datahub_reveal", reason="legal_basis", allowed=True)

    assert log.purpose_display == gettext("Masked value revealed on the data platform")
    assert log.reason_display.startswith(
        gettext("Allowed under the reader's legal basis (operator/regulator)")
    )


def test_call_logs_name_categories_and_elements_too(enterprise):
    from django.utils import translation

    from dfsp.consent.models import Scope
    from dfsp.consent.selectors import scope_names
    from dfsp.datahub.catalogue import ELEMENTS_BY_CODE, Category

    with translation.override("zh-hans"):
        names = scope_names(["tax", "trade", "legal_rep_mobile", "nonsense"])

    assert names == [
        Scope.objects.get(code="tax").name,
        translation.gettext(Category.TRADE.label),
        ELEMENTS_BY_CODE["legal_rep_mobile"].name_zh,
        "nonsense",
    ]
