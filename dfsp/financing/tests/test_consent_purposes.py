"""Grants name real purposes: financing vouches for applications (and the numbers reserved for them)
and for demands taken by the institution, institutions for live products (pre-assessment). Demand
grants end with the demand."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.translation import gettext

from dfsp.accounts.selectors import organisation_of
from dfsp.consent import purposes
from dfsp.consent import services as consent_services
from dfsp.consent.models import Grant, GrantRequest
from dfsp.consent.states import GrantStatus, RequestStatus
from dfsp.core.errors import ValidationFailed
from dfsp.financing import consent_purposes, services
from dfsp.financing.models import Demand
from dfsp.financing.tests.helpers import apply, demand_fields, live_demand, make_live_product, product_content

pytestmark = pytest.mark.django_db
NO_SUCH_PURPOSE = "No such purpose between this enterprise and this institution."


def sign(admin, institution, purpose_type, purpose_id, *, scopes=("registration", "tax"), product=None):
    """Preview and sign the way the consent page does."""
    fields = {
        "actor": admin,
        "institution_id": institution.pk,
        "scope_codes": list(scopes),
        "purpose_type": purpose_type,
        "purpose_id": str(purpose_id),
        "product": product,
    }
    preview = consent_services.preview_grant(**fields)
    return consent_services.grant_consent(
        **fields, shown_text_hash=preview["text_hash"], confirmed=True, ip="10.0.0.8"
    )


def assert_refused(call):
    with pytest.raises(ValidationFailed) as refused:
        call()
    assert refused.value.code == "consent_unknown_purpose"
    assert refused.value.field_errors == {"purpose_id": [gettext(NO_SUCH_PURPOSE)]}


def test_the_owning_apps_register_every_purpose_type():
    assert purposes.registered() == {"application", "demand", "pre_assessment", "post_loan"}


# --- application -----------------------------------------------------------------------------------


def test_applying_with_consent_names_the_application(certified_admin, product):
    application = apply(certified_admin, product)
    grant = Grant.objects.get(pk=application.consent_grant_id)
    assert grant.purpose_id == str(application.pk) and product.name in grant.purpose_label


@pytest.mark.parametrize("reference", ["999999", "A-1", "x", "0", "-5", "1" * 30])
def test_a_bogus_application_reference_is_refused(certified_admin, bank, reference):
    assert_refused(lambda: sign(certified_admin, bank, "application", reference))
    assert not Grant.objects.exists()


def test_the_number_reserved_before_the_application_exists_is_accepted(certified_admin, bank, product):
    preview = services.preview_application(actor=certified_admin, product_id=product.pk)
    enterprise = organisation_of(certified_admin)
    label = consent_purposes.check_application(
        purpose_id=str(preview["number"]), enterprise=enterprise, institution=bank
    )
    assert label and product.name in label


def test_an_application_of_another_pair_is_refused(
    certified_admin, certified_other, bank, product, other_officer, operator_user
):
    application = apply(certified_admin, product)
    # the enterprise cannot grant another bank a read "for" an application made to this one …
    assert_refused(
        lambda: sign(certified_admin, organisation_of(other_officer), "application", application.pk)
    )
    # … and another enterprise cannot name it either (nor a number reserved for someone else)
    assert_refused(lambda: sign(certified_other, bank, "application", application.pk))
    other_product = make_live_product(other_officer, operator_user, name="另一家的产品")
    number = services.preview_application(actor=certified_admin, product_id=other_product.pk)["number"]
    assert_refused(lambda: sign(certified_admin, bank, "application", number))


def test_a_closed_application_takes_no_new_grant(certified_admin, bank, product, loan_officer):
    application = apply(certified_admin, product)
    services.withdraw_application(actor=certified_admin, application_id=application.pk)
    assert_refused(lambda: sign(certified_admin, bank, "application", application.pk))
    assert_refused(
        lambda: consent_services.request_grant(
            actor=loan_officer,
            uscc=application.uscc,
            scope_codes=["tax"],
            purpose_type="application",
            purpose_id=str(application.pk),
            reason="补充查询",
        )
    )


def test_an_institution_cannot_request_a_grant_for_a_bogus_application(certified_admin, loan_officer):
    assert_refused(
        lambda: consent_services.request_grant(
            actor=loan_officer,
            uscc=organisation_of(certified_admin).uscc,
            scope_codes=["tax"],
            purpose_type="application",
            purpose_id="424242",
            reason="贷前调查",
        )
    )
    assert not GrantRequest.objects.exists()


# --- demand ----------------------------------------------------------------------------------------


def test_a_demand_taken_by_the_institution_can_be_granted(certified_admin, operator_user, loan_officer, bank):
    demand = live_demand(certified_admin, operator_user)
    assert_refused(lambda: sign(certified_admin, bank, "demand", demand.pk))  # live, not yet taken
    services.take_demand(actor=loan_officer, demand_id=demand.pk)
    grant = sign(certified_admin, bank, "demand", demand.pk)
    assert grant.status == GrantStatus.ACTIVE and demand.title in grant.purpose_label


def test_a_demand_taken_by_another_institution_or_of_another_enterprise_is_refused(
    certified_admin, certified_other, operator_user, loan_officer, other_officer, bank
):
    demand = live_demand(certified_admin, operator_user)
    services.take_demand(actor=other_officer, demand_id=demand.pk)
    assert_refused(lambda: sign(certified_admin, bank, "demand", demand.pk))
    assert_refused(lambda: sign(certified_other, organisation_of(other_officer), "demand", demand.pk))
    assert_refused(lambda: sign(certified_admin, bank, "demand", "D-1"))


# --- pre-assessment (institutions' checker) ----------------------------------------------------


def test_pre_assessment_names_a_live_product_of_the_institution(
    certified_admin, bank, product, other_officer, operator_user
):
    grant = sign(certified_admin, bank, "pre_assessment", product.pk, product=product)
    assert product.name in grant.purpose_label
    assert_refused(lambda: sign(certified_admin, bank, "pre_assessment", "987654"))
    other_product = make_live_product(other_officer, operator_user, name="另一家的产品")
    assert_refused(lambda: sign(certified_admin, bank, "pre_assessment", other_product.pk))


def test_pre_assessment_of_a_product_that_is_not_live_is_refused(certified_admin, bank, loan_officer):
    from dfsp.institutions import services as institution_services

    draft = institution_services.create_product(actor=loan_officer, content=product_content(name="草稿产品"))
    assert_refused(lambda: sign(certified_admin, bank, "pre_assessment", draft.pk))


# --- demand grants end with the demand -----------------------------------------------------------


@pytest.fixture
def unchecked_demands(monkeypatch):
    """A grant and a pending request for a demand that is still live: possible for grants signed
    before financing checked demand references; the hooks must end them all the same."""
    monkeypatch.setitem(purposes._CHECKERS, "demand", lambda **kwargs: "需求")


def _grant_and_request(admin, loan_officer, bank, demand):
    grant = sign(admin, bank, "demand", demand.pk)
    request = consent_services.request_grant(
        actor=loan_officer,
        uscc=organisation_of(admin).uscc,
        scope_codes=["judicial"],
        purpose_type="demand",
        purpose_id=str(demand.pk),
        reason="跟进需求",
    )
    return grant, request


def _ended(grant, request):
    grant.refresh_from_db()
    request.refresh_from_db()
    return grant.status == GrantStatus.ENDED and request.status == RequestStatus.CANCELLED


def test_withdrawing_a_demand_ends_its_grants(
    certified_admin, operator_user, loan_officer, bank, unchecked_demands
):
    demand = live_demand(certified_admin, operator_user)
    other = live_demand(certified_admin, operator_user, title="另一笔需求")
    grant, request = _grant_and_request(certified_admin, loan_officer, bank, demand)
    kept = sign(certified_admin, bank, "demand", other.pk)
    services.withdraw_demand(actor=certified_admin, demand_id=demand.pk)
    assert _ended(grant, request)
    kept.refresh_from_db()
    assert kept.status == GrantStatus.ACTIVE  # only this demand's grants end


def test_an_expiring_demand_ends_its_grants(
    certified_admin, operator_user, loan_officer, bank, unchecked_demands
):
    demand = live_demand(certified_admin, operator_user)
    grant, request = _grant_and_request(certified_admin, loan_officer, bank, demand)
    Demand.objects.filter(pk=demand.pk).update(valid_until=timezone.localdate() - timedelta(days=1))
    assert services.expire_demands() == 1
    assert _ended(grant, request)


def test_a_rejected_demand_cancels_pending_requests(
    certified_admin, operator_user, loan_officer, bank, unchecked_demands
):
    demand = services.publish_demand(actor=certified_admin, **demand_fields())
    grant, request = _grant_and_request(certified_admin, loan_officer, bank, demand)
    services.reject_demand(reviewer=operator_user, demand_id=demand.pk, reason="信息不完整")
    assert _ended(grant, request)


def test_a_refused_withdrawal_leaves_the_grants_alone(
    certified_admin, certified_other, operator_user, loan_officer, bank
):
    from dfsp.core.errors import InvalidTransition, NotFound

    demand = live_demand(certified_admin, operator_user)
    services.take_demand(actor=loan_officer, demand_id=demand.pk)
    grant = sign(certified_admin, bank, "demand", demand.pk)
    with pytest.raises(NotFound):
        services.withdraw_demand(actor=certified_other, demand_id=demand.pk)
    with pytest.raises(InvalidTransition):  # a taken demand stays taken
        services.withdraw_demand(actor=certified_admin, demand_id=demand.pk)
    grant.refresh_from_db()
    assert grant.status == GrantStatus.ACTIVE
