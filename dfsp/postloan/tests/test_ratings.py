"""Mutual evaluation (FIN-P7): once per side, parties only, feeding the supermarket's rating."""

from decimal import Decimal

import pytest

from dfsp.core.errors import Conflict, NotFound, ValidationFailed
from dfsp.postloan import selectors, services
from dfsp.postloan.models import Rating


def test_enterprise_rating_feeds_the_product_and_the_institution_summary(
    loan, certified_admin, product, bank
):
    rating = services.rate_loan(
        actor=certified_admin, loan_id=loan.pk, stars=4, tags=["fast", "fair_rate"], comment="放款很快"
    )

    product.refresh_from_db()
    assert rating.direction == "ent_to_inst" and rating.ratee == bank
    assert product.rating == Decimal("4.00") and product.rating_count == 1
    assert selectors.institution_rating_summary(bank) == {"avg": 4.0, "count": 1}


def test_institution_rating_is_visible_by_the_enterprise_code(loan, loan_officer, enterprise, product):
    services.rate_loan(actor=loan_officer, loan_id=loan.pk, stars=5, tags=["punctual"])

    ratings = list(selectors.enterprise_ratings(enterprise.uscc))
    product.refresh_from_db()
    assert [r.stars for r in ratings] == [5]
    assert product.rating_count == 0  # institutions' ratings of enterprises do not rate products


def test_rating_twice_is_a_conflict_and_changes_nothing(loan, certified_admin, enterprise_user, product):
    services.rate_loan(actor=certified_admin, loan_id=loan.pk, stars=5)
    with pytest.raises(Conflict) as raised:
        services.rate_loan(actor=enterprise_user, loan_id=loan.pk, stars=1)

    product.refresh_from_db()
    assert raised.value.status == 409 and raised.value.code == "already_rated"
    assert product.rating == Decimal("5.00") and Rating.objects.count() == 1


@pytest.mark.parametrize(
    "who", ["other_enterprise_admin", "stranger_bank_officer", "operator_user", "regulator"]
)
def test_only_parties_rate_others_get_not_found(loan, request, who):
    with pytest.raises(NotFound):
        services.rate_loan(actor=request.getfixturevalue(who), loan_id=loan.pk, stars=3)
    assert not Rating.objects.exists()


@pytest.mark.parametrize(
    ("stars", "tags"), [(0, []), (6, []), ("x", []), (4, ["punctual"]), (4, ["no_such_tag"])]
)
def test_bad_stars_or_tags_from_the_other_list_are_refused(loan, certified_admin, stars, tags):
    with pytest.raises(ValidationFailed):
        services.rate_loan(actor=certified_admin, loan_id=loan.pk, stars=stars, tags=tags)
    assert not Rating.objects.exists()


def test_unknown_loan_is_not_found(db, certified_admin):
    with pytest.raises(NotFound):
        services.rate_loan(actor=certified_admin, loan_id=999999, stars=3)


def test_api_rating_and_second_attempt(loan, certified_admin, login, client):
    login(certified_admin)
    url = f"/api/v1/postloan/loans/{loan.pk}/rating"

    first = client.post(url, {"stars": 5, "tags": ["fast"]}, content_type="application/json")
    second = client.post(url, {"stars": 1}, content_type="application/json")

    assert first.status_code == 201, first.content
    assert first.json()["direction"] == "ent_to_inst"
    assert second.status_code == 409 and second.json()["code"] == "already_rated"


def test_api_rating_by_a_stranger_is_404(loan, other_enterprise_admin, login, client):
    login(other_enterprise_admin)
    response = client.post(
        f"/api/v1/postloan/loans/{loan.pk}/rating", {"stars": 5}, content_type="application/json"
    )
    assert response.status_code == 404
