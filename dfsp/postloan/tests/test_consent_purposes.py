"""A post-loan grant names a loan between the enterprise and the institution (postloan's checker)."""

import pytest
from django.utils.translation import gettext

from dfsp.accounts.selectors import organisation_of
from dfsp.consent import services as consent_services
from dfsp.consent.models import Grant, GrantRequest
from dfsp.core.errors import ValidationFailed
from dfsp.postloan import services
from dfsp.postloan.states import MONITORING_SCOPES

NO_SUCH_PURPOSE = "No such purpose between this enterprise and this institution."


def _sign(admin, institution_id, purpose_id):
    fields = {
        "actor": admin,
        "institution_id": institution_id,
        "scope_codes": list(MONITORING_SCOPES),
        "purpose_type": "post_loan",
        "purpose_id": str(purpose_id),
    }
    preview = consent_services.preview_grant(**fields)
    return consent_services.grant_consent(
        **fields, shown_text_hash=preview["text_hash"], confirmed=True, ip="10.0.0.8"
    )


def _refused(call):
    with pytest.raises(ValidationFailed) as refused:
        call()
    assert refused.value.code == "consent_unknown_purpose"
    assert refused.value.field_errors == {"purpose_id": [gettext(NO_SUCH_PURPOSE)]}


def test_the_borrower_grants_monitoring_of_its_loan(loan, certified_admin, bank, loan_officer):
    request = services.request_monitoring_consent(actor=loan_officer, loan_id=loan.pk)
    assert request.purpose_id == str(loan.pk)
    grant = _sign(certified_admin, bank.pk, loan.pk)
    assert loan.contract_number in grant.purpose_label


@pytest.mark.parametrize("reference", ["999999", "L-1", "0"])
def test_a_bogus_loan_reference_is_refused(loan, certified_admin, bank, reference):
    _refused(lambda: _sign(certified_admin, bank.pk, reference))
    assert not Grant.objects.filter(purpose_type="post_loan").exists()


def test_a_loan_of_another_pair_is_refused(
    loan, certified_admin, stranger_bank_officer, other_enterprise_admin
):
    stranger_bank = organisation_of(stranger_bank_officer)
    _refused(lambda: _sign(certified_admin, stranger_bank.pk, loan.pk))  # the loan was not theirs
    _refused(
        lambda: consent_services.request_grant(
            actor=stranger_bank_officer,
            uscc=organisation_of(certified_admin).uscc,
            scope_codes=list(MONITORING_SCOPES),
            purpose_type="post_loan",
            purpose_id=str(loan.pk),
            reason="贷后监测",
        )
    )
    assert not GrantRequest.objects.exists()


def test_a_settled_loan_needs_no_monitoring(loan, certified_admin, bank):
    from django.apps import apps

    apps.get_model("loans", "Loan").objects.filter(pk=loan.pk).update(
        status="settled", outstanding_principal=0
    )

    _refused(lambda: _sign(certified_admin, bank.pk, loan.pk))
