import pytest

from dfsp.enterprises.tests.conftest import _private_files_and_sms  # noqa: F401  (autouse)
from dfsp.enterprises.tests.helpers import certify


@pytest.fixture
def certified_admin(enterprise_admin, operator_user):
    certify(enterprise_admin, operator_user)
    return enterprise_admin
