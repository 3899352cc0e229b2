"""Fixtures of the institutions tests: two institutions with staff, an operator, product content."""

import pytest
from django.core.cache import cache

from dfsp.accounts.api_keys import create_api_key
from dfsp.accounts.tests.factories import OrganisationFactory, member
from dfsp.institutions import services


def content(**overrides) -> dict:
    data = {
        "name": "经营快贷",
        "product_type": "credit_loan",
        "amount_min": "10",
        "amount_max": "300",
        "term_min": 1,
        "term_max": 12,
        "rate_min": "3.45",
        "rate_max": "4.35",
        "repayment_methods": ["interest_first"],
        "guarantee_methods": ["credit"],
        "tags": ["pure_credit", "online"],
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


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Facet counts are cached per filter set; every test starts from an empty cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def bank(db):
    return OrganisationFactory(institution=True, name="工商银行测试分行", short_name="工行测试")


@pytest.fixture
def other_bank(db):
    return OrganisationFactory(institution=True, name="农商银行测试", short_name="农商测试")


@pytest.fixture
def bank_admin(bank):
    return member("institution_admin", bank, username="t_bank_admin")


@pytest.fixture
def bank_officer(bank):
    return member("institution_user", bank, username="t_bank_officer")


@pytest.fixture
def other_officer(other_bank):
    return member("institution_user", other_bank, username="t_other_officer")


@pytest.fixture
def operator(db):
    return member("operator", username="t_operator")


@pytest.fixture
def make_live(operator):
    def _make(actor, **overrides):
        product = services.create_product(actor=actor, content=content(**overrides))
        services.submit_product(actor=actor, product_id=product.pk)
        services.approve_product(actor=operator, product_id=product.pk)
        product.refresh_from_db()
        return product

    return _make


@pytest.fixture
def bank_key(bank_admin):
    _key, raw = create_api_key(actor=bank_admin, name="信贷系统")
    return raw
