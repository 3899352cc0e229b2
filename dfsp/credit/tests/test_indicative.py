"""能不能融、能融多少: eligibility per live product and the indicative limit under its caps."""

from decimal import Decimal

import pytest

from dfsp.credit import services
from dfsp.credit.indicative import grade_at_least, offers_for
from dfsp.credit.tests.conftest import good_records, make_live_product

pytestmark = pytest.mark.django_db


def test_offers_show_eligible_products_with_their_capped_limit_and_why_others_do_not_fit(
    credit_data, platform_models, enterprise, enterprise_admin, loan_officer, operator_user
):
    credit_data.set(enterprise.uscc, good_records())
    open_to_all = make_live_product(
        loan_officer, operator_user, name="普惠贷", target_regions=["230000"], industries=[], scales=[]
    )
    too_strict = make_live_product(loan_officer, operator_user, name="优享贷", min_credit_grade="AAA")
    elsewhere = make_live_product(
        loan_officer, operator_user, name="哈市贷", target_regions=["230100"], industries=[], scales=[]
    )
    too_young = make_live_product(
        loan_officer,
        operator_user,
        name="老字号贷",
        min_years=10,
        target_regions=["230000"],
        industries=[],
        scales=[],
    )
    assessment = services.self_assess(actor=enterprise_admin, confirmed=True)
    offers = {o.product.pk: o for o in offers_for(assessment=assessment, organisation=enterprise)}
    assert offers[open_to_all.pk].eligible and offers[open_to_all.pk].limit == Decimal(
        "3000000.00"
    )  # 300 万元 cap
    assert offers[open_to_all.pk].apply_url == f"/financing/applications/new/?product={open_to_all.pk}"
    assert not offers[too_strict.pk].eligible and offers[too_strict.pk].limit == 0
    assert len(offers[too_strict.pk].reasons) == 1
    assert not offers[elsewhere.pk].eligible
    assert not offers[too_young.pk].eligible  # 6 years < 10


def test_grade_order():
    assert grade_at_least("AA", "A") and grade_at_least("A", "A") and not grade_at_least("BBB", "A")
    assert grade_at_least("C", "") and not grade_at_least("", "C")
