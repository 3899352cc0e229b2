"""Evaluations feed the product's rating: the running average, the count and the ranking score."""

from decimal import Decimal

import pytest

from dfsp.core.errors import NotFound, ValidationFailed
from dfsp.institutions import selectors, services
from dfsp.institutions.selectors import MarketFilters


def test_ratings_average_into_the_product_and_move_the_score(bank_officer, make_live):
    product = make_live(bank_officer)
    score_before = product.score

    services.record_product_rating(product_id=product.pk, stars=5)
    product = services.record_product_rating(product_id=product.pk, stars=4)

    product.refresh_from_db()
    assert product.rating == Decimal("4.50")
    assert product.rating_count == 2
    assert product.score_factors["rating"]["value"] == pytest.approx(0.9)
    assert product.score > score_before


def test_best_rated_order_follows_evaluations(bank_officer, make_live):
    first = make_live(bank_officer, name="甲产品")
    second = make_live(bank_officer, name="乙产品")
    services.record_product_rating(product_id=first.pk, stars=2)
    services.record_product_rating(product_id=second.pk, stars=5)

    ordered = list(selectors.search_products(MarketFilters(sort="rated")).values_list("pk", flat=True))

    assert ordered.index(second.pk) < ordered.index(first.pk)


@pytest.mark.parametrize("stars", [0, 6, "5", None, True])
def test_stars_outside_one_to_five_change_nothing(bank_officer, make_live, stars):
    product = make_live(bank_officer)
    with pytest.raises(ValidationFailed):
        services.record_product_rating(product_id=product.pk, stars=stars)
    product.refresh_from_db()
    assert product.rating_count == 0


def test_unknown_product_is_not_found(db):
    with pytest.raises(NotFound):
        services.record_product_rating(product_id=999999, stars=4)
