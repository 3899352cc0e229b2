"""Application pages: apply with consent, the review desk, notes, two-step approval, materials,
invitations, statistics and the rejection reasons list."""

import re

import pytest
from django.urls import reverse

from dfsp.enterprises.tests.helpers import PDF, pdf
from dfsp.financing import services
from dfsp.financing.models import Application, ApplicationInvitation, RejectionReason
from dfsp.financing.tests.helpers import apply, live_demand

pytestmark = pytest.mark.django_db


def hidden(html, name):
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


def test_enterprise_applies_with_the_consent_shown_and_confirmed(client, login, certified_admin, product):
    login(certified_admin)
    page = client.get(reverse("financing:apply") + f"?product={product.pk}").content.decode()
    assert 'id="consent-text"' in page and "id_confirmed" in page
    assert re.search(r'id="id_confirmed"[^>]*checked', page) is None  # never pre-ticked
    form = {
        "product": product.pk,
        "amount": "800000",
        "term_months": "12",
        "purpose": "采购原料",
        "number": hidden(page, "number"),
        "text_hash": hidden(page, "text_hash"),
    }
    unconfirmed = client.post(reverse("financing:apply"), form)
    assert unconfirmed.status_code == 200 and not Application.objects.exists()
    response = client.post(reverse("financing:apply"), {**form, "confirmed": "on", "materials": [pdf()]})
    application = Application.objects.get()
    assert response.status_code == 302 and application.materials.count() == 1
    assert application.consent_grant_id is not None


def test_out_of_range_amount_is_shown_on_the_form(client, login, certified_admin, product):
    login(certified_admin)
    page = client.get(reverse("financing:apply") + f"?product={product.pk}").content.decode()
    response = client.post(
        reverse("financing:apply"),
        {
            "product": product.pk,
            "amount": "50",
            "term_months": "12",
            "purpose": "x",
            "number": hidden(page, "number"),
            "text_hash": hidden(page, "text_hash"),
            "confirmed": "on",
        },
    )
    assert response.status_code == 200 and "invalid-feedback" in response.content.decode()
    assert not Application.objects.exists()


def test_uncertified_enterprise_sees_a_refusal(client, login, enterprise_admin, product):
    login(enterprise_admin)
    assert client.get(reverse("financing:apply") + f"?product={product.pk}").status_code == 403


def test_officer_works_the_desk_and_the_enterprise_never_sees_notes(
    client, login, certified_admin, loan_officer, product
):
    application = apply(certified_admin, product)
    login(loan_officer)
    assert f'data-application="{application.pk}"' in client.get(reverse("financing:desk")).content.decode()
    url = reverse("financing:application_detail", args=[application.pk])
    assert client.post(reverse("financing:application_accept", args=[application.pk])).status_code == 302
    client.post(
        reverse("financing:application_note", args=[application.pk]), {"text": "实控人口碑一般，需实地核查"}
    )
    page = client.get(url + "?profile=1").content.decode()
    assert "实控人口碑一般" in page and 'id="credit-profile"' in page
    assessed = client.post(reverse("financing:application_assessment", args=[application.pk]))
    assert assessed.status_code == 200
    approved = client.post(
        reverse("financing:application_approve", args=[application.pk]),
        {"amount": "500000", "rate": "3.90", "term_months": "12", "conditions": ""},
    )
    assert approved.status_code == 302
    assert Application.objects.get().status == "approved"

    login(certified_admin)
    page = client.get(url).content.decode()
    assert "实控人口碑一般" not in page and 'id="notes"' not in page and 'id="approved-terms"' in page


def test_bad_approval_terms_show_the_form_again(client, login, certified_admin, loan_officer, product):
    application = apply(certified_admin, product)
    services.accept_application(actor=loan_officer, application_id=application.pk)
    login(loan_officer)
    response = client.post(
        reverse("financing:application_approve", args=[application.pk]),
        {"amount": "500000", "rate": "9.99", "term_months": "12"},
    )
    assert response.status_code == 400 and "invalid-feedback" in response.content.decode()
    assert Application.objects.get().status == "accepted"


def test_two_step_approval_officer_proposes_admin_confirms(
    client, login, certified_admin, loan_officer, bank_manager, product
):
    application = apply(certified_admin, product)
    services.set_review_settings(actor=bank_manager, two_step_approval=True)
    services.accept_application(actor=loan_officer, application_id=application.pk)
    terms = {"amount": "500000", "rate": "3.90", "term_months": "12", "conditions": "按月付息"}
    from dfsp.core.errors import AccessDenied

    with pytest.raises(AccessDenied) as refused:
        services.approve_application(
            actor=loan_officer, application_id=application.pk, amount="500000", rate="3.9", term_months=12
        )
    assert refused.value.code == "proposal_required"
    login(loan_officer)
    client.post(reverse("financing:application_approve", args=[application.pk]), {**terms, "propose": "1"})
    application.refresh_from_db()
    assert application.status == "accepted" and application.proposal["decision"] == "approve"
    assert (
        client.post(
            reverse("financing:application_decide_proposal", args=[application.pk]), {"confirm": "1"}
        ).status_code
        == 403
    )  # officers do not decide proposals

    login(bank_manager)
    client.post(reverse("financing:application_decide_proposal", args=[application.pk]), {"confirm": "1"})
    application.refresh_from_db()
    assert application.status == "approved" and application.proposal == {}
    assert application.approved_rate is not None


def test_declined_proposal_leaves_the_application_open(certified_admin, loan_officer, bank_manager, product):
    application = apply(certified_admin, product)
    services.set_review_settings(actor=bank_manager, two_step_approval=True)
    services.propose_decision(
        actor=loan_officer,
        application_id=application.pk,
        decision="reject",
        reason_code="credit_record",
        text="逾期",
    )
    services.decide_proposal(
        actor=bank_manager, application_id=application.pk, confirm=False, comment="再核实"
    )
    application.refresh_from_db()
    assert application.status == "submitted" and application.proposal == {}


def test_materials_reach_only_authorised_viewers(
    client, login, certified_admin, loan_officer, other_officer, other_enterprise_admin, regulator, product
):
    application = apply(certified_admin, product, materials=[pdf()])
    material = application.materials.get()
    url = reverse("financing:application_material", args=[material.pk])
    for viewer, status in [
        (certified_admin, 200),
        (loan_officer, 200),
        (other_officer, 404),
        (other_enterprise_admin, 404),
        (regulator, 403),  # not a role that opens materials
    ]:
        login(viewer)
        response = client.get(url)
        assert (viewer.username, response.status_code) == (viewer.username, status)
        if status == 200:
            assert b"".join(response.streaming_content) == PDF


def test_rejected_enterprise_sees_advice_and_reapplies_in_one_click(
    client, login, certified_admin, loan_officer, product
):
    application = apply(certified_admin, product)
    services.reject_application(
        actor=loan_officer, application_id=application.pk, reason_code="cash_flow", text="近半年流水偏低"
    )
    login(certified_admin)
    page = client.get(reverse("financing:application_detail", args=[application.pk])).content.decode()
    assert RejectionReason.objects.get(code="cash_flow").advice in page and 'id="reapply"' in page
    form = client.get(reverse("financing:apply") + f"?previous={application.pk}").content.decode()
    assert f'name="previous_id" value="{application.pk}"' in form and "采购原料" in form


def test_invitation_from_a_taken_demand_prefills_the_form(
    client, login, certified_admin, loan_officer, operator_user, product
):
    demand = live_demand(certified_admin, operator_user)
    services.take_demand(actor=loan_officer, demand_id=demand.pk)
    login(loan_officer)
    client.post(
        reverse("financing:demand_invite", args=[demand.pk]), {"product": product.pk, "message": "欢迎申请"}
    )
    invitation = ApplicationInvitation.objects.get()
    login(certified_admin)
    assert (
        f'data-invitation="{invitation.pk}"'
        in client.get(reverse("financing:my_applications")).content.decode()
    )
    form = client.get(reverse("financing:apply") + f"?invitation={invitation.pk}").content.decode()
    assert f'name="demand_id" value="{demand.pk}"' in form
    application = apply(certified_admin, product, demand_id=demand.pk)
    invitation.refresh_from_db()
    assert invitation.application == application


def test_statistics_pages_by_role(client, login, certified_admin, loan_officer, regulator, product):
    application = apply(certified_admin, product)
    services.reject_application(
        actor=loan_officer, application_id=application.pk, reason_code="collateral", text="无抵押"
    )
    login(loan_officer)
    page = client.get(reverse("financing:statistics")).content.decode()
    assert 'id="stat-applications">1<' in page and "by-institution" not in page
    login(regulator)
    page = client.get(reverse("financing:statistics")).content.decode()
    assert 'id="by-institution"' in page and product.organisation.name in page
    login(certified_admin)
    assert client.get(reverse("financing:statistics")).status_code == 403


def test_operator_maintains_rejection_reasons(client, login, operator_user, loan_officer):
    login(operator_user)
    response = client.post(
        reverse("financing:rejection_reasons"),
        {"code": "fake_docs", "label": "材料造假", "advice": "如实提供材料", "order": "90", "active": "on"},
    )
    assert response.status_code == 302 and RejectionReason.objects.filter(code="fake_docs").exists()
    login(loan_officer)
    assert client.get(reverse("financing:rejection_reasons")).status_code == 403


def test_apply_from_a_match_prefills_only_from_the_enterprises_own_demand(
    client, login, certified_admin, certified_other, operator_user, product
):
    demand = live_demand(certified_admin, operator_user)
    url = reverse("financing:apply") + f"?product={product.pk}&demand={demand.pk}"
    login(certified_admin)
    form = client.get(url).content.decode()
    assert f'name="demand_id" value="{demand.pk}"' in form and demand.purpose in form
    login(certified_other)
    response = client.get(url)
    assert (
        response.status_code == 200
        and f'name="demand_id" value="{demand.pk}"' not in response.content.decode()
    )
    assert client.get(reverse("financing:apply") + f"?product={product.pk}&demand=abc").status_code == 200
