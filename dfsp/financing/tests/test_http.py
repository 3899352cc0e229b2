"""Demands through the pages and the API (API keys, pagination, filters, take with Idempotency-Key)."""

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from dfsp.accounts import api_keys
from dfsp.accounts.selectors import organisation_of
from dfsp.accounts.tests.factories import member
from dfsp.financing.models import Demand
from dfsp.financing.states import DemandStatus as S
from dfsp.financing.tests.helpers import demand_fields, live_demand

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = demand_fields(**overrides)
    data["valid_until"] = data["valid_until"].isoformat()
    return data


def test_enterprise_publishes_operator_approves_officer_takes_through_pages(
    client, login, certified_admin, operator_user, loan_officer
):
    login(certified_admin)
    response = client.post(reverse("financing:demand_create"), form_data())
    assert response.status_code == 302
    demand = Demand.objects.get()
    assert "流动资金贷款" in client.get(reverse("financing:my_demands")).content.decode()

    login(operator_user)
    assert "流动资金贷款" in client.get(reverse("financing:review_queue")).content.decode()
    response = client.post(reverse("financing:demand_review", args=[demand.pk]), {"decision": "approve"})
    assert response.status_code == 302

    login(loan_officer)
    market = client.get(reverse("financing:market"))
    assert "流动资金贷款" in market.content.decode()
    detail = client.get(reverse("financing:demand_detail", args=[demand.pk])).content.decode()
    assert "13804590001" not in detail
    assert client.post(reverse("financing:demand_favourite", args=[demand.pk])).status_code == 302
    assert "流动资金贷款" in client.get(reverse("financing:favourites")).content.decode()
    assert client.post(reverse("financing:demand_take", args=[demand.pk])).status_code == 302
    assert client.post(reverse("financing:demand_take", args=[demand.pk])).status_code == 409

    login(certified_admin)
    detail = client.get(reverse("financing:demand_detail", args=[demand.pk])).content.decode()
    assert organisation_of(loan_officer).name in detail
    client.post(
        reverse("financing:demand_reveal", args=[demand.pk]),
        {"institution": organisation_of(loan_officer).pk},
    )

    login(loan_officer)
    assert "13804590001" in client.get(reverse("financing:demand_detail", args=[demand.pk])).content.decode()


def test_uncertified_enterprise_is_refused_by_the_page(client, login, enterprise_admin):
    login(enterprise_admin)
    assert client.get(reverse("financing:demand_create")).status_code == 200
    assert client.post(reverse("financing:demand_create"), form_data()).status_code == 403
    assert not Demand.objects.exists()


def test_bad_input_is_a_field_error_on_the_page(client, login, certified_admin):
    login(certified_admin)
    response = client.post(
        reverse("financing:demand_create"), form_data(acceptable_rate="99", contact_mobile="123")
    )
    assert response.status_code == 200
    assert {"acceptable_rate", "contact_mobile"} <= set(response.context["form"].errors)


def test_pages_refuse_the_wrong_people(
    client, login, certified_admin, operator_user, other_enterprise_admin, loan_officer
):
    demand = live_demand(certified_admin, operator_user)
    login(other_enterprise_admin)
    assert client.get(reverse("financing:demand_detail", args=[demand.pk])).status_code == 404
    assert client.post(reverse("financing:demand_withdraw", args=[demand.pk])).status_code == 404
    denials = apps.get_model("audit", "AuditEvent").objects.filter(event_type="financing.demand.denied")
    assert denials.count() == 2 and denials.filter(outcome="denied", object_id=str(demand.pk)).count() == 2
    assert client.get(reverse("financing:market")).status_code == 403
    assert client.post(reverse("financing:demand_take", args=[demand.pk])).status_code == 403
    login(loan_officer)
    assert (
        client.post(reverse("financing:demand_review", args=[demand.pk]), {"decision": "approve"}).status_code
        == 403
    )
    assert client.get(reverse("financing:my_demands")).status_code == 403
    assert Demand.objects.get(pk=demand.pk).status == S.LIVE


@pytest.fixture
def bank_key(loan_officer):
    admin = member("institution_admin", organisation=organisation_of(loan_officer))
    _key, raw = api_keys.create_api_key(actor=admin, name="信贷系统")
    return raw


def test_api_lists_live_demands_with_filters_and_hidden_contact(certified_admin, operator_user, bank_key):
    live_demand(certified_admin, operator_user, amount=1_000_000)
    live_demand(certified_admin, operator_user, title="大额", amount=9_000_000)
    machine = Client()
    headers = {"Authorization": f"Bearer {bank_key}"}
    body = machine.get("/api/v1/financing/demands?page_size=1", headers=headers).json()
    assert body["count"] == 2 and len(body["items"]) == 1
    item = body["items"][0]
    assert item["contact_mobile"] is None and item["industry"] == "C" and item["region_code"] == "230602"
    filtered = machine.get("/api/v1/financing/demands?min_amount=5000000", headers=headers).json()
    assert [i["title"] for i in filtered["items"]] == ["大额"]
    assert machine.get("/api/v1/financing/demands?min_amount=abc", headers=headers).status_code == 422
    assert Client().get("/api/v1/financing/demands").status_code == 401


def test_api_take_is_idempotent_and_a_second_taker_gets_409(certified_admin, operator_user, bank_key):
    demand = live_demand(certified_admin, operator_user)
    machine = Client()
    headers = {"Authorization": f"Bearer {bank_key}", "Idempotency-Key": "take-1"}
    first = machine.post(
        f"/api/v1/financing/demands/{demand.pk}/take", headers=headers, content_type="application/json"
    )
    assert first.status_code == 200 and first.json()["taken_by_you"] is True
    replay = machine.post(
        f"/api/v1/financing/demands/{demand.pk}/take", headers=headers, content_type="application/json"
    )
    assert replay.status_code == 200 and replay["Idempotent-Replayed"] == "true"
    demand.refresh_from_db()
    assert demand.status == S.TAKEN and demand.taken_by_user is None
    other_admin = member("institution_admin")
    _key, other = api_keys.create_api_key(actor=other_admin, name="另一家")
    second = machine.post(
        f"/api/v1/financing/demands/{demand.pk}/take",
        headers={"Authorization": f"Bearer {other}"},
        content_type="application/json",
    )
    assert second.status_code == 409 and second.json()["code"] == "demand_already_taken"
    missing = machine.post(
        "/api/v1/financing/demands/999999/take",
        headers={"Authorization": f"Bearer {other}"},
        content_type="application/json",
    )
    assert missing.status_code == 404


def test_api_refuses_enterprises(client, login, certified_admin, operator_user):
    demand = live_demand(certified_admin, operator_user)
    login(certified_admin)
    assert client.get("/api/v1/financing/demands").status_code == 403
    response = client.post(
        f"/api/v1/financing/demands/{demand.pk}/take",
        content_type="application/json",
        headers={"X-CSRFToken": "x"},
    )
    assert response.status_code in (403,)
