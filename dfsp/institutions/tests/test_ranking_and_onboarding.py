"""Ranking explanation and weights; onboarding institutions, branches and loan officers."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from dfsp.accounts.selectors import organisation_of
from dfsp.core.errors import AccessDenied, NotFound, ValidationFailed
from dfsp.institutions import ranking, selectors, services
from dfsp.institutions.models import InstitutionProfile, OfficerBranch, Product

pytestmark = pytest.mark.django_db

WEIGHTS = {"rate": 30, "response": 15, "recency": 10, "applications": 20, "rating": 15, "completeness": 10}


def test_the_score_is_the_weighted_sum_of_explainable_factors():
    now = timezone.now()
    product = Product(
        rate_min=Decimal("3.45"), response_days=1, listed_at=now - timedelta(days=90), applications_count=9,
        rating=Decimal("4.0"), description="短", tags=["online"], industries=[], scales=["small"], data_scopes=[],
        materials=["营业执照"], min_credit_grade="",
    )  # fmt: skip
    factors = ranking.factors_for(product, now=now, max_applications=99)
    # rate (24-3.45)/21, response best, recency half-way, log(10)/log(100), 4/5, 3 of 7 completeness parts
    assert factors["rate"] == pytest.approx(20.55 / 21)
    assert factors["response"] == 1.0
    assert factors["recency"] == pytest.approx(0.5)
    assert factors["applications"] == pytest.approx(0.5)
    assert factors["rating"] == pytest.approx(0.8)
    assert factors["completeness"] == pytest.approx(3 / 7)
    score, explanation = ranking.score_of(factors, WEIGHTS)
    assert explanation["response"] == {"value": 1.0, "points": 15.0}
    assert explanation["recency"]["points"] == 5.0
    assert score == pytest.approx(sum(item["points"] for item in explanation.values()))


def test_operators_change_weights_and_scores_follow(operator, bank_officer, make_live):
    cheap = make_live(bank_officer, name="低利率", rate_min="3.00", response_days=10)
    fast = make_live(bank_officer, name="快审批", rate_min="12.00", rate_max="15.00", response_days=1)
    only_rate = {**dict.fromkeys(WEIGHTS, 0), "rate": 100}
    services.update_ranking_weights(actor=operator, weights=only_rate)
    assert [p.name for p in selectors.ranking_table()] == ["低利率", "快审批"]
    cheap.refresh_from_db()
    assert cheap.score == 100.0
    assert cheap.score_factors["rate"] == {"value": 1.0, "points": 100.0}
    services.update_ranking_weights(actor=operator, weights={**dict.fromkeys(WEIGHTS, 0), "response": 100})
    assert [p.name for p in selectors.ranking_table()] == ["快审批", "低利率"]
    fast.refresh_from_db()
    assert fast.score_factors["response"]["points"] == 100.0


def test_bad_weights_and_non_operators_are_refused(operator, bank_admin):
    with pytest.raises(ValidationFailed) as error:
        services.update_ranking_weights(actor=operator, weights={**WEIGHTS, "rate": 101})
    assert "weight_rate" in error.value.field_errors
    with pytest.raises(ValidationFailed):
        services.update_ranking_weights(actor=operator, weights=dict.fromkeys(WEIGHTS, 0))
    with pytest.raises(AccessDenied):
        services.update_ranking_weights(actor=bank_admin, weights=WEIGHTS)
    assert selectors.current_weights().weight_rate == Decimal("30")


def _onboard(operator, **overrides):
    data = {
        "name": "中国建设银行股份有限公司大庆分行", "short_name": "建行大庆分行", "institution_subtype": "bank",
        "institution_type": "banking", "region_code": "230602", "licence_number": "B0004S223060001",
        "contact_name": "李明", "contact_phone": "0459-1234567", "admin_username": "ccb_admin",
        "admin_full_name": "张伟", "admin_mobile": "13904591234", "is_branch": True,
        "parent_name": "中国建设银行股份有限公司", "service_regions": ["230600"],
    }  # fmt: skip
    data.update(overrides)
    return services.onboard_institution(actor=operator, **data)


def test_an_operator_onboards_an_institution_with_its_admin(operator):
    profile, admin, password = _onboard(operator)
    assert len(password) >= 12
    assert admin.must_change_password
    assert organisation_of(admin) == profile.organisation
    assert profile.licence_number == "B0004S223060001" and profile.is_branch
    assert profile.organisation.kind == "institution"
    # a second branch under the first one
    child, _admin, _pw = _onboard(operator, name="建行让胡路支行", short_name="", admin_username="ccb2",
                                  admin_mobile="", parent_id=profile.pk)  # fmt: skip
    assert child.parent == profile


def test_onboarding_refuses_bad_input_and_non_operators(operator, bank_admin):
    with pytest.raises(ValidationFailed) as error:
        _onboard(operator, service_regions=["999999"], institution_type="casino", parent_id=99999)
    assert set(error.value.field_errors) >= {"service_regions", "institution_type", "parent_id"}
    with pytest.raises(AccessDenied):
        _onboard(bank_admin)
    assert not InstitutionProfile.objects.exists()


def test_the_institution_admin_adds_branches_and_officers(bank_admin, other_officer):
    branch = services.create_branch(actor=bank_admin, name="萨尔图支行", region_code="230602")
    officer, password = services.add_officer(
        actor=bank_admin, username="new_officer", full_name="赵敏", mobile="13604598888", branch_id=branch.pk
    )
    assert password and officer.has_role("institution_user")
    assert OfficerBranch.objects.get(user=officer).branch == branch
    second = services.create_branch(actor=bank_admin, name="让胡路支行", region_code="230604")
    services.assign_officer(actor=bank_admin, member_id=officer.pk, branch_id=second.pk)
    assert OfficerBranch.objects.get(user=officer).branch == second
    services.set_officer_active(actor=bank_admin, member_id=officer.pk, active=False, reason="离职")
    officer.refresh_from_db()
    assert not officer.is_active
    # another institution's officer or branch is "not found"
    with pytest.raises(NotFound):
        services.assign_officer(actor=bank_admin, member_id=other_officer.pk, branch_id=second.pk)
    with pytest.raises(NotFound):
        services.set_officer_active(actor=bank_admin, member_id=other_officer.pk, active=False)


def test_officers_cannot_administer_staff_and_branches_are_per_institution(
    bank_officer, other_officer, bank_admin
):
    with pytest.raises(AccessDenied):
        services.create_branch(actor=bank_officer, name="x", region_code="230602")
    branch = services.create_branch(actor=bank_admin, name="萨尔图支行", region_code="230602")
    assert list(selectors.list_branches_for(other_officer)) == []
    with pytest.raises(NotFound):
        services.add_officer(
            actor=bank_admin, username="y", full_name="y", mobile="", branch_id=branch.pk + 1000
        )
