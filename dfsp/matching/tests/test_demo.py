"""The demo: matches exist for the demo's live demands, and seeding again changes nothing."""

import io

import pytest

from dfsp.accounts import demo as accounts_demo
from dfsp.enterprises import demo as enterprises_demo
from dfsp.financing import demo as financing_demo
from dfsp.institutions import demo as institutions_demo
from dfsp.matching import demo as matching_demo
from dfsp.matching.models import Match, MatchedDemand, MatchRun

pytestmark = pytest.mark.django_db


def seed_all():
    out = io.StringIO()
    for module in (accounts_demo, enterprises_demo, institutions_demo, financing_demo, matching_demo):
        module.seed(out)


def test_demo_demands_are_matched_and_seeding_is_idempotent():
    seed_all()
    live = MatchedDemand.objects.filter(demand__status="live").count()
    assert live == 3  # 华源新材料's three live demands
    assert Match.objects.exists()
    matches = set(Match.objects.values_list("demand_id", "product_id", "score"))
    seed_all()
    assert set(Match.objects.values_list("demand_id", "product_id", "score")) == matches
    assert MatchRun.objects.filter(trigger=MatchRun.Trigger.OPERATOR).count() == 1
