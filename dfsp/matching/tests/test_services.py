"""Recomputing matches: what is stored, incremental replacement, the periodic job, the operators'
recompute."""

import pytest
from django.apps import apps

from dfsp.core.errors import AccessDenied
from dfsp.core.models import JobRun
from dfsp.financing import services as financing_services
from dfsp.financing.tests.helpers import live_demand, make_live_product
from dfsp.institutions import services as institution_services
from dfsp.matching import frames, services, tasks
from dfsp.matching.models import Match, MatchedDemand, MatchRun


def open_product(staff, operator, **overrides):
    """A live product any demand of the fixtures fits, unless overridden."""
    fields = {
        "amount_max": "1000",
        "guarantee_methods": ["mortgage", "credit"],
        "industries": [],
        "scales": [],
        "min_years": 0,
        "min_credit_grade": "",
    }
    return make_live_product(staff, operator, **{**fields, **overrides})


def matched(demand):
    return set(Match.objects.filter(demand=demand).values_list("product_id", flat=True))


def test_a_demand_is_matched_with_the_products_that_fit_and_reasons_are_codes(
    demand, fitting_product, loan_officer, operator_user
):
    # given: a product whose ceiling (300 万元) is below the 5,000,000-yuan demand
    too_small = make_live_product(
        loan_officer, operator_user, name="小额贷", amount_max="300", guarantee_methods=["mortgage"]
    )
    # when
    services.recompute_demands(demand_ids=[demand.pk])
    # then
    assert matched(demand) == {fitting_product.pk}
    match = Match.objects.get(demand=demand)
    assert set(match.reasons) == {
        "rate",
        "amount",
        "term",
        "region",
        "industry",
        "scale",
        "guarantee",
        "years",
        "grade",
        "speed",
        "rating",
    }
    assert match.reasons["region"]["state"] == "city"  # the product serves 大庆市, the demand is in 萨尔图区
    assert match.reasons["guarantee"]["state"] == "listed"
    assert all(isinstance(entry["state"], str) and "points" in entry for entry in match.reasons.values())
    assert 0 < match.score <= 100
    assert MatchedDemand.objects.filter(demand=demand).exists()
    assert too_small.pk not in matched(demand)


@pytest.mark.parametrize(("amount_max", "fits"), [("500", True), ("499.99", False)])
def test_product_amounts_in_ten_thousand_yuan_are_compared_with_demand_yuan(
    demand, loan_officer, operator_user, amount_max, fits
):
    product = open_product(
        loan_officer,
        operator_user,
        amount_max=amount_max,
        guarantee_methods=["mortgage", "credit"],
        min_credit_grade="",
        min_years=0,
    )
    services.recompute_demands(demand_ids=[demand.pk])
    assert (product.pk in matched(demand)) is fits


def test_an_enterprise_without_a_self_assessed_grade_is_not_excluded_but_told(
    demand, loan_officer, operator_user, monkeypatch
):
    monkeypatch.setattr(frames, "self_grades", lambda usccs: {})
    graded = open_product(
        loan_officer,
        operator_user,
        name="需评级",
        guarantee_methods=["mortgage", "credit"],
        min_credit_grade="A",
        min_years=0,
    )
    open_ = open_product(
        loan_officer,
        operator_user,
        name="无要求",
        guarantee_methods=["mortgage", "credit"],
        min_credit_grade="",
        min_years=0,
    )
    services.recompute_demands(demand_ids=[demand.pk])
    by_product = {m.product_id: m for m in Match.objects.filter(demand=demand)}
    assert by_product[graded.pk].reasons["grade"]["state"] == "unknown"
    assert by_product[open_.pk].reasons["grade"]["state"] == "none"
    assert by_product[graded.pk].score < by_product[open_.pk].score


@pytest.mark.parametrize(("grade", "fits"), [("AAA", True), ("A", True), ("BBB", False)])
def test_the_self_assessed_grade_is_compared_with_the_minimum(
    demand, loan_officer, operator_user, monkeypatch, grade, fits
):
    uscc = demand.organisation.uscc
    monkeypatch.setattr(frames, "self_grades", lambda usccs: {uscc: grade} if uscc in usccs else {})
    product = open_product(
        loan_officer,
        operator_user,
        guarantee_methods=["mortgage", "credit"],
        min_credit_grade="A",
        min_years=0,
    )
    services.recompute_demands(demand_ids=[demand.pk])
    assert (product.pk in matched(demand)) is fits
    if fits:
        assert Match.objects.get(demand=demand).reasons["grade"]["state"] == "met"


def test_years_in_business_are_unknown_without_a_source_and_said_so(
    demand, loan_officer, operator_user, monkeypatch
):
    monkeypatch.setattr(frames, "establishment_dates", lambda usccs: {})
    product = open_product(
        loan_officer,
        operator_user,
        guarantee_methods=["mortgage", "credit"],
        min_credit_grade="",
        min_years=3,
    )
    services.recompute_demands(demand_ids=[demand.pk])
    assert Match.objects.get(demand=demand, product=product).reasons["years"]["state"] == "unknown"


def test_recomputing_one_demand_touches_no_other_demand(
    demand, certified_other, operator_user, fitting_product
):
    other = live_demand(certified_other, operator_user, title="其他企业需求")
    services.recompute_demands(demand_ids=[demand.pk, other.pk])
    before = {(m.pk, m.computed_at) for m in Match.objects.filter(demand=other)}
    assert before
    mine_before = set(Match.objects.filter(demand=demand).values_list("pk", flat=True))
    services.recompute_demands(demand_ids=[demand.pk])
    assert {(m.pk, m.computed_at) for m in Match.objects.filter(demand=other)} == before
    assert set(Match.objects.filter(demand=demand).values_list("pk", flat=True)).isdisjoint(mine_before)


def test_recomputing_one_product_touches_no_other_product(
    demand, fitting_product, loan_officer, operator_user
):
    second = open_product(
        loan_officer,
        operator_user,
        name="第二产品",
        amount_max="1000",
        guarantee_methods=["mortgage", "credit"],
        min_credit_grade="",
        min_years=0,
    )
    services.recompute_demands(demand_ids=[demand.pk])
    kept = {(m.pk, m.computed_at) for m in Match.objects.filter(product=second)}
    assert kept
    services.recompute_products(product_ids=[fitting_product.pk])
    assert {(m.pk, m.computed_at) for m in Match.objects.filter(product=second)} == kept
    assert Match.objects.filter(product=fitting_product, demand=demand).exists()


def test_the_periodic_job_picks_up_new_demands_new_products_and_drops_stale_ones(
    demand, fitting_product, certified_other, loan_officer, operator_user
):
    # given: a first run matched everything
    first = services.run_incremental()
    assert first.demands_matched == 1 and Match.objects.filter(demand=demand).count() == 1
    # when: a new demand goes live, a new product is listed, the first demand is taken
    newcomer = live_demand(certified_other, operator_user, title="新需求")
    product = open_product(
        loan_officer,
        operator_user,
        name="新产品",
        amount_max="1000",
        guarantee_methods=["mortgage", "credit"],
        min_credit_grade="",
        min_years=0,
    )
    financing_services.take_demand(actor=loan_officer, demand_id=demand.pk)
    summary = tasks.match_changes()
    # then
    run = MatchRun.objects.first()
    assert run.trigger == MatchRun.Trigger.PERIODIC and run.succeeded
    assert run.demands_matched == 1 and run.products_matched == 1
    assert summary["removed"] >= 1
    assert not Match.objects.filter(demand=demand).exists()
    assert matched(newcomer) == {fitting_product.pk, product.pk}
    assert JobRun.objects.filter(job="matching.match_changes", outcome="succeeded").exists()
    # and nothing changed: the next run matches nothing
    quiet = services.run_incremental()
    assert (quiet.demands_matched, quiet.products_matched, quiet.matches_written) == (0, 0, 0)


def test_a_product_taken_offline_loses_its_matches_on_the_next_run(demand, fitting_product, loan_officer):
    services.run_incremental()
    institution_services.take_product_offline(actor=loan_officer, product_id=fitting_product.pk)
    services.run_incremental()
    assert not Match.objects.filter(product=fitting_product).exists()


def test_only_operators_recompute_everything_and_it_is_audited(
    demand, fitting_product, operator_user, certified_admin
):
    with pytest.raises(AccessDenied):
        services.recompute_all(actor=certified_admin)
    assert not MatchRun.objects.exists()
    run = services.recompute_all(actor=operator_user)
    assert (run.trigger, run.demands_matched, run.matches_written) == (MatchRun.Trigger.OPERATOR, 1, 1)
    assert apps.get_model("audit", "AuditEvent").objects.filter(event_type="matching.recomputed").exists()


def test_ensure_matched_computes_only_demands_never_matched(demand, fitting_product):
    assert services.ensure_matched(demand_ids=[demand.pk]) == 1
    first = Match.objects.get(demand=demand)
    assert services.ensure_matched(demand_ids=[demand.pk]) == 0
    assert Match.objects.get(demand=demand).pk == first.pk
