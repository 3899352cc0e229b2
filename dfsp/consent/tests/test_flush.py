"""Transactional tests end with a flush: the call log's append-only triggers must let it through
in test mode (the audit app's flush lifts them; consent registers its table there)."""

import pytest
from django.core.management import call_command

from dfsp.audit import guards
from dfsp.consent.gate import GateRefused, read_credit_profile
from dfsp.consent.models import CallLog


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_call_log_in_test_mode(loan_officer):
    assert "consent_calllog" in guards._all_tables()
    with pytest.raises(GateRefused):
        read_credit_profile(
            actor=loan_officer,
            uscc="91230603MA1C4QY76G",
            elements_or_scopes=["tax"],
            purpose_type="demand",
            purpose_id="D-1",
        )
    assert CallLog.objects.count() == 1
    call_command("flush", interactive=False, verbosity=0)
    assert CallLog.objects.count() == 0
