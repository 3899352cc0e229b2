"""The demo: expert versions active, a fitted candidate with validation, ICBC's draft, and
华源新材料's self pre-assessment; idempotent."""

import io

import pytest

from dfsp.accounts import demo as accounts_demo
from dfsp.accounts.selectors import organisation_of
from dfsp.credit import demo as credit_demo
from dfsp.credit import selectors
from dfsp.credit.models import ModelVersion, Score
from dfsp.credit.states import VersionStatus
from dfsp.credit.tests.conftest import good_records
from dfsp.enterprises import demo as enterprises_demo

pytestmark = pytest.mark.django_db


def test_demo_states_and_idempotence(credit_data, django_user_model):
    out = io.StringIO()
    accounts_demo.seed(out)
    enterprises_demo.seed(out)
    ent_admin = django_user_model.objects.get(username="ent_admin")
    uscc = organisation_of(ent_admin).uscc
    credit_data.set(uscc, good_records(), name="大庆龙凤华源石化新材料有限公司")
    credit_demo.seed(out)
    counts = (ModelVersion.objects.count(), Score.objects.count())
    credit_demo.seed(out)
    assert (ModelVersion.objects.count(), Score.objects.count()) == counts
    active = ModelVersion.objects.filter(status=VersionStatus.ACTIVE, owner__isnull=True)
    assert sorted(v.method for v in active) == ["expert", "expert", "expert"]
    candidate = ModelVersion.objects.get(method="fitted")
    assert candidate.status == VersionStatus.DRAFT and candidate.validation["auc"] > 0.7
    bank_admin = django_user_model.objects.get(username="bank_admin")
    own = ModelVersion.objects.get(owner__isnull=False)
    assert own.owner == organisation_of(bank_admin) and own.status == VersionStatus.DRAFT
    assert own.params["grades"][0]["min_score"] == 750
    assert selectors.latest_self_grades([uscc])[uscc] == "AA"
