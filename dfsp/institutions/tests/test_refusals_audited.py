"""Refused writes change nothing and leave an audit row: illegal moves, someone else's product,
bad input — through the services and through the API (where the row names the API key)."""

import pytest
from django.apps import apps
from django.test import Client

from dfsp.core.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from dfsp.institutions import services
from dfsp.institutions.models import Product
from dfsp.institutions.states import ProductStatus
from dfsp.institutions.tests.conftest import content

pytestmark = pytest.mark.django_db


def refusals(event_type):
    return apps.get_model("audit", "AuditEvent").objects.filter(event_type=event_type)


def test_approving_a_rejected_product_is_refused_and_audited(bank_officer, operator):
    product = services.create_product(actor=bank_officer, content=content())
    services.submit_product(actor=bank_officer, product_id=product.pk)
    services.reject_product(actor=operator, product_id=product.pk, reason="利率区间有误")
    with pytest.raises((Conflict, InvalidTransition)):
        services.approve_product(actor=operator, product_id=product.pk)
    assert Product.objects.get(pk=product.pk).status == ProductStatus.REJECTED
    event = refusals("institutions.product.approve_refused").get()
    assert event.outcome == "failure" and event.object_id == str(product.pk)
    assert event.actor_id == operator.pk and event.details["status"] == 409


def test_editing_another_institutions_product_is_audited_as_denied(bank_officer, other_officer, make_live):
    product = make_live(bank_officer)
    with pytest.raises(NotFound):
        services.update_product(actor=other_officer, product_id=product.pk, content=content(name="改名"))
    assert Product.objects.get(pk=product.pk).name == "经营快贷"
    event = refusals("institutions.product.edit_refused").get()
    assert event.outcome == "denied" and event.actor_id == other_officer.pk
    assert event.object_id == str(product.pk)


def test_bad_content_is_audited_with_the_fields(bank_officer):
    with pytest.raises(ValidationFailed) as exc:
        services.create_product(actor=bank_officer, content=content(name="", rate_min="abc"))
    event = refusals("institutions.product.create_refused").get()
    assert event.details["fields"] == sorted(exc.value.field_errors)
    assert not Product.objects.exists()


def test_an_api_key_refusal_names_the_key(bank_key, other_officer, bank):
    foreign = services.create_product(actor=other_officer, content=content())
    response = Client().post(
        f"/api/v1/institutions/products/{foreign.pk}/submit", headers={"Authorization": f"Bearer {bank_key}"}
    )
    assert response.status_code == 404
    event = refusals("institutions.product.submit_refused").get()
    assert event.outcome == "denied" and event.organisation_id == bank.pk
    assert bank_key.startswith(event.details["api_key"]) or event.details["api_key"] in bank_key
    assert Product.objects.get(pk=foreign.pk).status == ProductStatus.DRAFT
