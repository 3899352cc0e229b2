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


def product_content(**overrides) -> dict:
    data = {
        "name": "经营快贷",
        "product_type": "credit_loan",
        "amount_min": "10",
        "amount_max": "300",
        "term_min": 3,
        "term_max": 36,
        "rate_min": "3.45",
        "rate_max": "4.35",
        "repayment_methods": ["interest_first"],
        "guarantee_methods": ["credit"],
        "tags": ["pure_credit"],
        "target_regions": ["230600"],
        "industries": ["C"],
        "scales": ["small"],
        "min_years": 1,
        "min_credit_grade": "A",
        "data_scopes": ["registration", "tax"],
        "materials": ["营业执照"],
        "response_days": 3,
        "description": "线上申请，随借随还。",
        "contact_name": "陈经理",
        "contact_phone": "0459-6382100",
    }
    data.update(overrides)
    return data


def make_live_product(staff, operator, **overrides):
    from dfsp.institutions import services as institution_services

    product = institution_services.create_product(actor=staff, content=product_content(**overrides))
    institution_services.submit_product(actor=staff, product_id=product.pk)
    institution_services.approve_product(actor=operator, product_id=product.pk)
    product.refresh_from_db()
    return product


def apply(actor, product, *, amount="500000", term_months=12, purpose="采购原料", confirmed=True, **kwargs):
    """Apply the way the page does: preview (number and consent text), then submit."""
    preview = services.preview_application(actor=actor, product_id=product.pk)
    return services.submit_application(
        actor=actor,
        product_id=product.pk,
        amount=amount,
        term_months=term_months,
        purpose=purpose,
        number=preview["number"],
        shown_text_hash=preview["text_hash"],
        confirmed=confirmed,
        **kwargs,
    )
