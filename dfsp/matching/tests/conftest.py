import pytest

from dfsp.accounts.selectors import organisation_of
from dfsp.consent.tests.conftest import default_scopes  # noqa: F401  (autouse: consent scopes and template)
from dfsp.enterprises.tests.conftest import _private_files_and_sms  # noqa: F401  (autouse)
from dfsp.enterprises.tests.helpers import certify
from dfsp.financing.tests.helpers import live_demand, make_live_product


@pytest.fixture
def certified_admin(enterprise_admin, operator_user):
    certify(enterprise_admin, operator_user)
    return enterprise_admin


@pytest.fixture
def certified_other(other_enterprise_admin, operator_user):
    certify(other_enterprise_admin, operator_user)
    return other_enterprise_admin


@pytest.fixture
def other_officer(db):
    from dfsp.accounts.tests.factories import member

    return member("institution_user", username="other_officer_m")


@pytest.fixture
def demand(certified_admin, operator_user):
    """5,000,000 yuan (500 万元), 12 months, up to 4.80 %, mortgage, 萨尔图区."""
    return live_demand(certified_admin, operator_user)


@pytest.fixture
def fitting_product(loan_officer, operator_user):
    """Fits ``demand``: 100–1000 万元, mortgage, 大庆市, no grade or years requirement."""
    return make_live_product(
        loan_officer,
        operator_user,
        name="抵押经营贷",
        amount_min="100",
        amount_max="1000",
        guarantee_methods=["mortgage"],
        industries=[],
        scales=[],
        min_years=0,
        min_credit_grade="",
    )


@pytest.fixture
def bank(loan_officer):
    return organisation_of(loan_officer)
