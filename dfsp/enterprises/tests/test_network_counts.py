"""Registration facts the anti-fraud rules use: shared legal representatives and contact mobiles."""

import pytest

from dfsp.accounts.selectors import organisation_of
from dfsp.enterprises import selectors
from dfsp.enterprises.models import EnterpriseProfile


def _profile(admin, legal_rep, mobile):
    return EnterpriseProfile.objects.create(
        organisation=organisation_of(admin),
        legal_representative=legal_rep,
        industry="C",
        scale="small",
        contact_mobile=mobile,
    )


@pytest.mark.django_db
def test_network_counts_count_shared_legal_representative_and_other_enterprises_on_the_same_mobile(
    enterprise_admin, other_enterprise_admin
):
    from dfsp.accounts.tests.factories import member

    third = member("enterprise_admin")
    _profile(enterprise_admin, "王建国", "13804590001")
    _profile(other_enterprise_admin, "王建国", "13804590001")
    _profile(third, "李红", "13904590002")

    counts = selectors.network_counts(organisation_of(enterprise_admin))

    assert counts == {"legal_rep_enterprise_count": 2, "mobile_shared_count": 1}
    assert selectors.network_counts(organisation_of(third)) == {
        "legal_rep_enterprise_count": 1,
        "mobile_shared_count": 0,
    }


@pytest.mark.django_db
def test_network_counts_of_an_enterprise_without_profile_are_zero(enterprise_admin):
    assert selectors.network_counts(organisation_of(enterprise_admin)) == {
        "legal_rep_enterprise_count": 0,
        "mobile_shared_count": 0,
    }
