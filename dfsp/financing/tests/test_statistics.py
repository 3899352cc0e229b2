"""Public statistics read by the portal's data overview."""

import pytest
from django.utils import timezone

from dfsp.enterprises import selectors as enterprise_selectors
from dfsp.financing import selectors
from dfsp.financing.tests.helpers import live_demand

pytestmark = pytest.mark.django_db


def test_demand_statistics_count_only_reviewed_demands(certified_admin, operator_user):
    for amount in ("500000", "1500000"):
        live_demand(certified_admin, operator_user, amount=amount)
    from dfsp.financing import services
    from dfsp.financing.tests.helpers import demand_fields

    services.publish_demand(actor=certified_admin, **demand_fields())  # still waiting for review
    stats = selectors.demand_statistics()
    month = timezone.localtime().strftime("%Y-%m")
    assert stats["count"] == 2
    assert stats["by_month"] == {month: 2}
    assert stats["amount_by_month"] == {month: 200.0}  # 万元


def test_certified_and_industry_counts(certified_admin):
    assert enterprise_selectors.certified_count() == 1
    counts = enterprise_selectors.count_by_industry()
    assert sum(counts.values()) >= 1 and all(len(code) == 1 for code in counts)
