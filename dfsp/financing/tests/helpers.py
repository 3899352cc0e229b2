from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from dfsp.financing import services


def demand_fields(**overrides):
    fields = {
        "title": "流动资金贷款",
        "amount": Decimal("5000000"),
        "term_months": 12,
        "purpose": "采购原料",
        "acceptable_rate": Decimal("4.80"),
        "guarantee": "mortgage",
        "urgency": "urgent",
        "valid_until": timezone.localdate() + timedelta(days=30),
        "contact_name": "王建国",
        "contact_mobile": "13804590001",
    }
    fields.update(overrides)
    return fields


def live_demand(admin, operator, **overrides):
    demand = services.publish_demand(actor=admin, **demand_fields(**overrides))
    return services.approve_demand(reviewer=operator, demand_id=demand.pk)
