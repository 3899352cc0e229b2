"""The API for institutions' systems: API-key product management and the supermarket listing."""

import pytest
from django.test import Client

from dfsp.institutions.models import Product
from dfsp.institutions.states import ProductStatus
from dfsp.institutions.tests.conftest import content

pytestmark = pytest.mark.django_db

BASE = "/api/v1/institutions"


@pytest.fixture
def machine():
    return Client()


def _auth(key):
    return {"Authorization": f"Bearer {key}"}


def test_an_institution_system_manages_its_products_with_an_api_key(machine, bank_key, operator):
    from dfsp.institutions import services

    response = machine.post(
        f"{BASE}/products", content(), content_type="application/json", headers=_auth(bank_key)
    )
    assert response.status_code == 201, response.content
    product_id = response.json()["id"]
    assert response.json()["status"] == "draft"
    response = machine.put(
        f"{BASE}/products/{product_id}",
        content(rate_min="3.30"),
        content_type="application/json",
        headers=_auth(bank_key),
    )
    assert response.status_code == 200 and response.json()["content"]["rate_min"] == "3.30"
    response = machine.post(f"{BASE}/products/{product_id}/submit", headers=_auth(bank_key))
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    services.approve_product(actor=operator, product_id=product_id)
    response = machine.post(
        f"{BASE}/products/{product_id}/offline",
        {"reason": "调整"},
        content_type="application/json",
        headers=_auth(bank_key),
    )
    assert response.status_code == 200 and response.json()["status"] == "offline"
    # illegal move: 409 with a code, no change
    response = machine.post(
        f"{BASE}/products/{product_id}/offline", {}, content_type="application/json", headers=_auth(bank_key)
    )
    assert response.status_code == 409 and response.json()["code"] == "invalid_transition"
    assert (
        machine.post(f"{BASE}/products/{product_id}/online", headers=_auth(bank_key)).json()["status"]
        == "live"
    )
    listed = machine.get(f"{BASE}/products", headers=_auth(bank_key)).json()
    assert listed["count"] == 1 and listed["items"][0]["rate_min"] == "3.30"
    assert len(machine.get(f"{BASE}/products/{product_id}/revisions", headers=_auth(bank_key)).json()) == 1


def test_bad_api_input_is_refused_without_a_change(machine, bank_key):
    response = machine.post(
        f"{BASE}/products",
        content(amount_min="900", amount_max="10"),
        content_type="application/json",
        headers=_auth(bank_key),
    )
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "amount_min"
    response = machine.post(
        f"{BASE}/products",
        {**content(), "colour": "red"},
        content_type="application/json",
        headers=_auth(bank_key),
    )
    assert response.status_code == 422
    incomplete = machine.post(
        f"{BASE}/products", content(description=""), content_type="application/json", headers=_auth(bank_key)
    ).json()
    response = machine.post(f"{BASE}/products/{incomplete['id']}/submit", headers=_auth(bank_key))
    assert response.status_code == 400 and response.json()["code"] == "product_incomplete"
    assert Product.objects.get().status == ProductStatus.DRAFT


def test_another_institutions_product_is_not_found(machine, bank_key, other_officer):
    from dfsp.institutions import services

    foreign = services.create_product(actor=other_officer, content=content())
    for method, path in (
        ("get", f"/products/{foreign.pk}"),
        ("put", f"/products/{foreign.pk}"),
        ("post", f"/products/{foreign.pk}/submit"),
        ("post", f"/products/{foreign.pk}/online"),
    ):
        response = getattr(machine, method)(
            BASE + path, content(), content_type="application/json", headers=_auth(bank_key)
        )
        assert response.status_code == 404, path
        assert response.json()["code"] == "not_found"
    assert machine.get(f"{BASE}/products", headers=_auth(bank_key)).json()["count"] == 0


def test_the_api_needs_a_caller(machine):
    assert machine.get(f"{BASE}/supermarket").status_code == 401
    assert machine.post(f"{BASE}/products", content(), content_type="application/json").status_code == 401


def test_the_supermarket_api_filters_and_counts(machine, bank_key, bank_officer, make_live):
    make_live(bank_officer)
    make_live(
        bank_officer,
        name="e抵快贷",
        product_type="mortgage",
        tags=["renewal"],
        rate_min="3.60",
        rate_max="4.8",
    )
    response = machine.get(
        f"{BASE}/supermarket", {"sort": "rate", "tag": ["online", "renewal"]}, headers=_auth(bank_key)
    )
    assert response.status_code == 200
    assert [item["name"] for item in response.json()["items"]] == ["经营快贷", "e抵快贷"]
    facets = machine.get(
        f"{BASE}/supermarket/facets", {"product_type": "mortgage"}, headers=_auth(bank_key)
    ).json()
    assert facets["total"] == 1 and facets["tag"] == {"renewal": 1}
    assert machine.get(f"{BASE}/supermarket", {"sort": "evil"}, headers=_auth(bank_key)).status_code == 422


def test_idempotency_key_replays_a_create(machine, bank_key):
    headers = {**_auth(bank_key), "Idempotency-Key": "create-jyk-1"}
    first = machine.post(f"{BASE}/products", content(), content_type="application/json", headers=headers)
    second = machine.post(f"{BASE}/products", content(), content_type="application/json", headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert Product.objects.count() == 1
