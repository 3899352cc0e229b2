import pytest

from dfsp.accounts.selectors import organisation_of
from dfsp.accounts.tests.factories import member
from dfsp.consent.tests.conftest import default_scopes  # noqa: F401  (autouse: consent scopes and template)
from dfsp.enterprises.tests.conftest import _private_files_and_sms  # noqa: F401  (autouse)
from dfsp.enterprises.tests.helpers import certify
from dfsp.financing.tests.helpers import make_live_product


@pytest.fixture
def certified_admin(enterprise_admin, operator_user):
    certify(enterprise_admin, operator_user)
    return enterprise_admin


@pytest.fixture
def certified_other(other_enterprise_admin, operator_user):
    certify(other_enterprise_admin, operator_user)
    return other_enterprise_admin


@pytest.fixture
def bank(loan_officer):
    return organisation_of(loan_officer)


@pytest.fixture
def bank_manager(bank):
    return member("institution_admin", organisation=bank, username="bank_manager_t")


@pytest.fixture
def other_officer(db):
    return member("institution_user", username="other_officer_t")


@pytest.fixture
def product(loan_officer, operator_user):
    return make_live_product(loan_officer, operator_user)
