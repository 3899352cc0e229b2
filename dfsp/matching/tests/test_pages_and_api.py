"""Pages and API: who sees which matches; another organisation's demand or product is 404."""

import pytest
from django.urls import NoReverseMatch, reverse

from dfsp.financing.tests.helpers import make_live_product
from dfsp.matching import services
from dfsp.matching.models import Match, MatchRun


@pytest.fixture
def matched(demand, fitting_product):
    services.recompute_demands(demand_ids=[demand.pk])
    return Match.objects.get(demand=demand, product=fitting_product)


def apply_page_exists() -> bool:
    try:
        reverse("financing:apply")
    except NoReverseMatch:
        return False
    return True


def test_the_enterprise_sees_matched_products_with_reasons_computed_on_first_visit(
    client, login, certified_admin, demand, fitting_product
):
    # no run yet: opening the page computes the demand's matches
    login(certified_admin)
    response = client.get(reverse("matching:my_matches"))
    assert response.status_code == 200
    body = response.content.decode()
    assert fitting_product.name in body and demand.title in body
    assert 'data-factor="region"' in body and 'data-factor="grade"' in body
    assert Match.objects.filter(demand=demand).exists()
    assert MatchRun.objects.filter(trigger=MatchRun.Trigger.ON_DEMAND).count() == 1
    if apply_page_exists():
        assert f"product={fitting_product.pk}&amp;demand={demand.pk}" in body
        apply_page = client.get(
            reverse("financing:apply"), {"product": fitting_product.pk, "demand": demand.pk}
        )
        assert apply_page.status_code == 200 and fitting_product.name in apply_page.content.decode()
    else:
        assert 'class="btn btn-dfsp btn-sm apply"' not in body


def test_another_enterprise_cannot_see_a_demands_matches(client, login, certified_other, matched):
    login(certified_other)
    assert client.get(reverse("matching:demand_matches", args=[matched.demand_id])).status_code == 404
    assert client.get(f"/api/v1/matching/demands/{matched.demand_id}/matches").status_code == 404
    assert client.get("/api/v1/matching/demands/999999/matches").status_code == 404


def test_an_institution_cannot_read_a_demands_matched_products(client, login, loan_officer, matched):
    # institutions see the live demand in the market, but not which products it matched
    login(loan_officer)
    assert client.get(f"/api/v1/matching/demands/{matched.demand_id}/matches").status_code == 404
    assert client.get(reverse("matching:demand_matches", args=[matched.demand_id])).status_code == 403


def test_the_enterprise_api_lists_its_demands_matches(client, login, certified_admin, matched):
    login(certified_admin)
    response = client.get(f"/api/v1/matching/demands/{matched.demand_id}/matches?limit=5")
    assert response.status_code == 200
    [row] = response.json()
    assert row["product_id"] == matched.product_id and row["score"] == pytest.approx(matched.score)
    assert {r["factor"] for r in row["reasons"]} >= {"amount", "rate", "region", "grade"}
    assert client.get(f"/api/v1/matching/demands/{matched.demand_id}/matches?limit=0").status_code == 422


def test_the_owning_institution_sees_matching_demands_without_contact_details(
    client, login, loan_officer, matched, demand
):
    login(loan_officer)
    response = client.get(f"/api/v1/matching/products/{matched.product_id}/matches")
    assert response.status_code == 200
    [row] = response.json()
    assert row["demand_id"] == demand.pk
    assert "contact_mobile" not in row and "contact_name" not in row
    assert {r["factor"] for r in row["reasons"]}.isdisjoint(
        {"grade", "years"}
    )  # the enterprise's own standing
    page = client.get(reverse("matching:product_matches")).content.decode()
    assert demand.title in page and demand.contact_mobile not in page


def test_another_institution_and_enterprises_get_404_for_a_products_matches(
    client, login, other_officer, certified_admin, matched
):
    login(other_officer)
    assert client.get(f"/api/v1/matching/products/{matched.product_id}/matches").status_code == 404
    page = client.get(reverse("matching:product_matches")).content.decode()
    assert matched.demand.title not in page
    login(certified_admin)
    assert client.get(f"/api/v1/matching/products/{matched.product_id}/matches").status_code == 404


def test_an_offline_product_no_longer_appears_among_a_demands_matches(
    client, login, certified_admin, loan_officer, matched
):
    from dfsp.institutions import services as institution_services

    institution_services.take_product_offline(actor=loan_officer, product_id=matched.product_id)
    login(certified_admin)
    assert client.get(f"/api/v1/matching/demands/{matched.demand_id}/matches").json() == []


def test_operators_see_the_overview_and_recompute(client, login, operator_user, demand, fitting_product):
    login(operator_user)
    assert client.get(reverse("matching:overview")).status_code == 200
    response = client.post(reverse("matching:recompute"))
    assert response.status_code == 302
    assert MatchRun.objects.get().trigger == MatchRun.Trigger.OPERATOR
    assert Match.objects.filter(demand=demand, product=fitting_product).exists()
    assert client.get(reverse("matching:recompute")).status_code == 405


@pytest.mark.parametrize("name", ["matching:overview", "matching:recompute"])
def test_other_roles_cannot_reach_the_overview_or_recompute(
    client, login, certified_admin, loan_officer, name
):
    for user in (certified_admin, loan_officer):
        login(user)
        assert client.post(reverse(name)).status_code == 403
    assert not MatchRun.objects.exists()


def test_pages_refuse_the_wrong_side(client, login, certified_admin, loan_officer):
    login(loan_officer)
    assert client.get(reverse("matching:my_matches")).status_code == 403
    login(certified_admin)
    assert client.get(reverse("matching:product_matches")).status_code == 403


def test_a_second_institutions_product_matches_the_same_demand(
    client, login, other_officer, operator_user, demand
):
    product = make_live_product(
        other_officer,
        operator_user,
        amount_max="1000",
        guarantee_methods=["mortgage"],
        industries=[],
        scales=[],
    )
    services.recompute_products(product_ids=[product.pk])
    login(other_officer)
    assert [
        row["demand_id"] for row in client.get(f"/api/v1/matching/products/{product.pk}/matches").json()
    ] == [demand.pk]
