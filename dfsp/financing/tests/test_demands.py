"""Financing demands (FIN-P2) through the services: publish, review, take, reveal, favourites, expiry."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from dfsp.accounts.selectors import organisation_of
from dfsp.accounts.tests.factories import member
from dfsp.core.errors import AccessDenied, Conflict, InvalidTransition, NotFound, ValidationFailed
from dfsp.financing import selectors, services
from dfsp.financing.models import Demand, DemandReveal
from dfsp.financing.states import DemandStatus as S
from dfsp.financing.tests.helpers import demand_fields, live_demand
from dfsp.notifications.models import Message

pytestmark = pytest.mark.django_db


def audit(event_type):
    return apps.get_model("audit", "AuditEvent").objects.filter(event_type=event_type)


def test_an_uncertified_enterprise_cannot_publish(enterprise_admin):
    with pytest.raises(AccessDenied) as exc:
        services.publish_demand(actor=enterprise_admin, **demand_fields())
    assert exc.value.code == "enterprise_not_certified"
    assert not Demand.objects.exists()


def test_publish_review_and_go_live_with_messages(certified_admin, operator_user, loan_officer):
    demand = services.publish_demand(actor=certified_admin, **demand_fields())
    assert demand.status == S.PENDING_REVIEW
    assert (demand.region_code, demand.industry, demand.scale) == ("230602", "C", "small")
    assert demand in selectors.review_queue(operator_user)
    assert not selectors.live_demands(loan_officer).exists()
    with pytest.raises(NotFound):
        selectors.get_demand_for(loan_officer, demand.pk)
    services.approve_demand(reviewer=operator_user, demand_id=demand.pk)
    assert list(selectors.live_demands(loan_officer)) == [Demand.objects.get(pk=demand.pk)]
    assert Message.objects.filter(recipient=certified_admin, category="financing.demand").exists()
    assert Message.objects.filter(recipient=loan_officer, category="financing.demand").exists()
    assert audit("financing.demand.approved").exists()


def test_bad_demand_input_is_field_errors(certified_admin):
    with pytest.raises(ValidationFailed) as exc:
        services.publish_demand(
            actor=certified_admin,
            **demand_fields(amount=-1, term_months=0, acceptable_rate=99, valid_until=timezone.localdate()),
        )
    assert {"amount", "term_months", "acceptable_rate", "valid_until"} <= set(exc.value.field_errors)


def test_rejection_needs_a_reason_and_cannot_then_be_approved(certified_admin, operator_user):
    demand = services.publish_demand(actor=certified_admin, **demand_fields())
    with pytest.raises(ValidationFailed):
        services.reject_demand(reviewer=operator_user, demand_id=demand.pk, reason="")
    services.reject_demand(reviewer=operator_user, demand_id=demand.pk, reason="用途描述不清")
    with pytest.raises(InvalidTransition):
        services.approve_demand(reviewer=operator_user, demand_id=demand.pk)
    with pytest.raises(AccessDenied):
        services.approve_demand(reviewer=certified_admin, demand_id=demand.pk)


def test_an_institution_takes_a_demand_once_and_the_enterprise_is_told(
    certified_admin, operator_user, loan_officer
):
    demand = live_demand(certified_admin, operator_user)
    services.take_demand(actor=loan_officer, demand_id=demand.pk)
    demand.refresh_from_db()
    assert demand.status == S.TAKEN and demand.taken_by_user == loan_officer
    message = Message.objects.get(
        recipient=certified_admin, title__contains=organisation_of(loan_officer).name
    )
    assert loan_officer.full_name in message.title
    other_bank_user = member("institution_user")
    with pytest.raises(Conflict) as exc:
        services.take_demand(actor=other_bank_user, demand_id=demand.pk)
    assert exc.value.code == "demand_already_taken"
    # the taker still sees it; another institution no longer does
    assert selectors.get_demand_for(loan_officer, demand.pk) == demand
    with pytest.raises(NotFound):
        selectors.get_demand_for(other_bank_user, demand.pk)


def test_a_demand_that_is_not_live_cannot_be_taken(certified_admin, operator_user, loan_officer):
    pending = services.publish_demand(actor=certified_admin, **demand_fields())
    with pytest.raises(NotFound):
        services.take_demand(actor=loan_officer, demand_id=pending.pk)
    live = live_demand(certified_admin, operator_user, title="另一笔")
    services.withdraw_demand(actor=certified_admin, demand_id=live.pk)
    with pytest.raises(Conflict) as exc:
        services.take_demand(actor=loan_officer, demand_id=live.pk)
    assert exc.value.code == "demand_not_live"
    with pytest.raises(AccessDenied):
        services.take_demand(actor=certified_admin, demand_id=live.pk)


def test_contact_details_stay_hidden_until_revealed_to_that_institution(
    certified_admin, operator_user, loan_officer
):
    demand = live_demand(certified_admin, operator_user)
    other_officer = member("institution_user")
    assert not selectors.contact_visible(loan_officer, demand)
    assert selectors.contact_visible(certified_admin, demand)
    # only an interested institution can be chosen
    with pytest.raises(ValidationFailed):
        services.reveal_contact(
            actor=certified_admin, demand_id=demand.pk, institution_id=organisation_of(loan_officer).pk
        )
    services.favourite_demand(actor=loan_officer, demand_id=demand.pk)
    services.favourite_demand(actor=other_officer, demand_id=demand.pk)
    services.reveal_contact(
        actor=certified_admin, demand_id=demand.pk, institution_id=organisation_of(loan_officer).pk
    )
    assert selectors.contact_visible(loan_officer, demand)
    assert not selectors.contact_visible(other_officer, demand)
    assert audit("financing.demand.contact_revealed").exists()
    assert Message.objects.filter(recipient=loan_officer, title__contains=demand.organisation.name).exists()
    with pytest.raises(Conflict):
        services.reveal_contact(
            actor=certified_admin, demand_id=demand.pk, institution_id=organisation_of(loan_officer).pk
        )


def test_another_enterprise_cannot_see_withdraw_or_reveal(
    certified_admin, operator_user, other_enterprise_admin
):
    demand = live_demand(certified_admin, operator_user)
    with pytest.raises(NotFound):
        selectors.get_demand_for(other_enterprise_admin, demand.pk)
    with pytest.raises(NotFound):
        services.withdraw_demand(actor=other_enterprise_admin, demand_id=demand.pk)
    with pytest.raises(NotFound):
        services.reveal_contact(actor=other_enterprise_admin, demand_id=demand.pk, institution_id=1)
    assert not DemandReveal.objects.exists()


def test_favourites_of_live_demands(certified_admin, operator_user, loan_officer):
    demand = live_demand(certified_admin, operator_user)
    services.favourite_demand(actor=loan_officer, demand_id=demand.pk)
    services.favourite_demand(actor=loan_officer, demand_id=demand.pk)  # idempotent
    assert [f.demand for f in selectors.favourites_for(loan_officer)] == [demand]
    services.unfavourite_demand(actor=loan_officer, demand_id=demand.pk)
    assert not selectors.favourites_for(loan_officer).exists()
    pending = services.publish_demand(actor=certified_admin, **demand_fields(title="待审"))
    with pytest.raises(NotFound):
        services.favourite_demand(actor=loan_officer, demand_id=pending.pk)
    with pytest.raises(AccessDenied):
        services.favourite_demand(actor=certified_admin, demand_id=demand.pk)


def test_demands_past_their_validity_expire(certified_admin, operator_user, loan_officer):
    demand = live_demand(certified_admin, operator_user)
    Demand.objects.filter(pk=demand.pk).update(valid_until=timezone.localdate() - timedelta(days=1))
    assert not selectors.live_demands(loan_officer).exists()
    with pytest.raises(Conflict):
        services.take_demand(actor=loan_officer, demand_id=demand.pk)
    from dfsp.financing.tasks import expire_demands

    assert expire_demands() == {"expired": 1}
    assert Demand.objects.get(pk=demand.pk).status == S.EXPIRED
    assert Message.objects.filter(recipient=certified_admin, body=demand.title).exists()


def test_market_filters(certified_admin, operator_user, loan_officer):
    live_demand(certified_admin, operator_user, amount=1_000_000)
    big = live_demand(certified_admin, operator_user, title="大额", amount=9_000_000, urgency="normal")
    assert list(selectors.live_demands(loan_officer, min_amount=5_000_000)) == [big]
    assert list(selectors.live_demands(loan_officer, urgency="normal")) == [big]
    assert selectors.live_demands(loan_officer, region_code="230600").count() == 2
    assert not selectors.live_demands(loan_officer, industry="A").exists()
    with pytest.raises(AccessDenied):
        selectors.live_demands(certified_admin)
