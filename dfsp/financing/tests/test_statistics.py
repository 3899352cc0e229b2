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


def test_application_statistics_count_outcomes_reasons_and_timeliness(
    certified_admin, certified_other, loan_officer, operator_user, product
):
    from datetime import timedelta

    import time_machine

    from dfsp.financing import services
    from dfsp.financing.tests.helpers import apply, make_live_product

    quick = apply(certified_admin, product)
    services.accept_application(actor=loan_officer, application_id=quick.pk)
    services.approve_application(
        actor=loan_officer, application_id=quick.pk, amount="500000", rate="3.90", term_months=12
    )
    slow = apply(certified_other, product)
    with time_machine.travel(slow.due_at + timedelta(days=1)):
        services.reject_application(
            actor=loan_officer, application_id=slow.pk, reason_code="credit_record", text="有逾期记录"
        )
    from dfsp.accounts.selectors import organisation_of

    other_product = make_live_product(loan_officer, operator_user, name="抵押贷")
    open_one = apply(certified_admin, other_product)

    stats = selectors.application_statistics(institution=organisation_of(loan_officer))
    assert (stats["applications"], stats["accepted"], stats["approved"], stats["rejected"]) == (3, 1, 1, 1)
    assert stats["acceptance_rate"] == round(1 / 3, 4) and stats["approval_rate"] == 0.5
    assert stats["rejection_reasons"][0]["code"] == "credit_record"
    assert stats["accept"]["ended"] == 2 and stats["accept"]["on_time"] == 1
    assert stats["accept"]["on_time_share"] == 0.5
    assert stats["decide"]["ended"] == 1 and stats["decide"]["on_time_share"] == 1.0
    assert stats["accept"]["hours"]["median"] is not None
    assert stats["open"] == 2 and open_one.status == "submitted"  # approved counts as open
    assert selectors.application_statistics(institution=organisation_of(certified_admin))["applications"] == 0
    assert selectors.application_statistics()["applications"] == 3
