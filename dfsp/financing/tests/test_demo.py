"""The demo data of enterprises and financing: the states the READMEs promise, and idempotent."""

import io

import pytest

from dfsp.accounts import demo as accounts_demo
from dfsp.enterprises import demo as enterprises_demo
from dfsp.enterprises.models import BlacklistEntry, Certification
from dfsp.financing import demo as financing_demo
from dfsp.financing.models import Demand

pytestmark = pytest.mark.django_db


def seed_all():
    out = io.StringIO()
    for module in (accounts_demo, enterprises_demo, financing_demo):
        module.seed(out)


def test_demo_states_and_idempotence():
    seed_all()
    counts = (Certification.objects.count(), BlacklistEntry.objects.count(), Demand.objects.count())
    seed_all()
    assert (Certification.objects.count(), BlacklistEntry.objects.count(), Demand.objects.count()) == counts
    statuses = dict(Certification.objects.values_list("organisation__short_name", "status"))
    assert statuses["华源新材料"] == "approved"
    assert statuses["丰禾农业"] == "submitted"
    assert statuses["绿野合作社"] == "returned"
    demands = list(Demand.objects.values_list("status", flat=True))
    assert demands.count("live") == 3 and demands.count("pending_review") == 1
    taken = Demand.objects.get(status="taken")
    assert taken.taken_by_user.username == "bank_officer"
    # demo enterprises stay off the blacklist, except the clearly named example
    listed = set(BlacklistEntry.objects.in_force().values_list("uscc", flat=True))
    hits = Certification.objects.filter(organisation__uscc__in=listed)
    assert [c.organisation.name for c in hits] == ["【演示】大庆市红岗区黑名单示例商贸有限公司"]


def test_demo_applications_cover_every_state_and_one_is_ready_to_disburse():
    from dfsp.consent import demo as consent_demo
    from dfsp.institutions import demo as institutions_demo

    out = io.StringIO()
    for module in (accounts_demo, consent_demo, enterprises_demo, institutions_demo, financing_demo):
        module.seed(out)
    from dfsp.financing.models import Application

    count = Application.objects.count()
    financing_demo.seed(out)
    assert Application.objects.count() == count
    states = set(Application.objects.values_list("status", flat=True))
    assert {"submitted", "accepted", "returned", "approved", "rejected", "withdrawn"} <= states
    ready = Application.objects.get(status="approved")
    assert ready.enterprise.short_name == "华源新材料" and ready.institution.short_name == "工行大庆分行"
    assert ready.consent_grant_id is not None
