"""Page-number pagination: shape, limits, bad parameters; shown on the organisations list."""

import pytest
from django.apps import apps

pytestmark = pytest.mark.django_db

ORGANISATIONS = "/api/v1/accounts/organisations"


@pytest.fixture
def many_organisations(db):
    Organisation = apps.get_model("accounts", "Organisation")
    Organisation.objects.bulk_create(
        Organisation(
            kind="institution", institution_subtype="bank", name=f"银行{n:02d}", region_code="230602"
        )
        for n in range(25)
    )


@pytest.fixture
def operator_client(client, login, operator, many_organisations):
    return login(operator)


def test_a_page_has_items_count_page_and_page_size(operator_client, settings):
    body = operator_client.get(ORGANISATIONS).json()
    assert set(body) == {"items", "count", "page", "page_size"}
    assert body["count"] == 26  # 25 banks and the platform itself
    assert body["page"] == 1
    assert body["page_size"] == settings.NINJA_PAGINATION_PER_PAGE
    assert len(body["items"]) == settings.NINJA_PAGINATION_PER_PAGE


def test_pages_follow_each_other_without_gaps(operator_client):
    first = operator_client.get(ORGANISATIONS, {"page": 1, "page_size": 10}).json()
    third = operator_client.get(ORGANISATIONS, {"page": 3, "page_size": 10}).json()
    assert (first["page"], first["page_size"], len(first["items"])) == (1, 10, 10)
    assert (third["page"], len(third["items"])) == (3, 6)
    all_ids = {
        item["id"]
        for page in (1, 2, 3)
        for item in operator_client.get(ORGANISATIONS, {"page": page, "page_size": 10}).json()["items"]
    }
    assert len(all_ids) == 26


def test_a_page_past_the_end_is_empty(operator_client):
    body = operator_client.get(ORGANISATIONS, {"page": 50}).json()
    assert body["items"] == []
    assert body["count"] == 26


@pytest.mark.parametrize(
    "params, field",
    [
        ({"page": 0}, "page"),
        ({"page": -3}, "page"),
        ({"page": "abc"}, "page"),
        ({"page": 10**30}, "page"),
        ({"page_size": 0}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
        ({"page_size": 101}, "page_size"),
    ],
)
def test_bad_page_parameters_are_422_naming_the_parameter(operator_client, params, field):
    response = operator_client.get(ORGANISATIONS, params)
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "validation_error"
    assert [error["field"] for error in body["errors"]] == [field]
    assert body["errors"][0]["message"]


def test_the_page_size_limit_comes_from_settings(operator_client, settings):
    settings.NINJA_PAGINATION_MAX_LIMIT = 5
    assert operator_client.get(ORGANISATIONS, {"page_size": 5}).status_code == 200
    response = operator_client.get(ORGANISATIONS, {"page_size": 6})
    assert response.status_code == 422
    assert "5" in response.json()["errors"][0]["message"]


def test_an_institution_sees_only_itself(client, login, bank_officer, bank, many_organisations):
    body = login(bank_officer).get(ORGANISATIONS).json()
    assert body["count"] == 1
    assert [item["id"] for item in body["items"]] == [bank.pk]


def test_an_api_key_sees_only_its_organisation(machine, bank_key, bank, many_organisations):
    body = machine.get(ORGANISATIONS, headers={"X-API-Key": bank_key}).json()
    assert [item["id"] for item in body["items"]] == [bank.pk]


def test_a_regulator_sees_every_organisation(client, login, regulator, many_organisations):
    body = login(regulator).get(ORGANISATIONS).json()
    assert body["count"] == 26  # 25 banks and the regulator's department
