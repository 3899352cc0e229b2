"""Supervisors' reads on datahub's own pages are logged by the gate (registered in ConsentConfig.ready)."""

import pytest

from dfsp.consent import gate
from dfsp.consent.models import CallLog
from dfsp.consent.selectors import call_logs_for
from dfsp.core.errors import AccessDenied
from dfsp.datahub import access

pytestmark = pytest.mark.django_db


def test_consent_registers_the_gates_logger_with_datahub():
    assert access.supervisor_read_logger() is gate.log_supervisor_read


@pytest.mark.parametrize("persona", ["regulator", "operator_user"])
def test_a_supervisor_read_is_logged_under_the_legal_basis_for_the_enterprise(
    request, persona, enterprise, enterprise_admin
):
    reader = request.getfixturevalue(persona)
    access.log_supervisor_read(
        actor=reader,
        uscc=enterprise.uscc.lower(),
        elements=["registration", "tax"],
        purpose="datahub_profile",
    )
    log = CallLog.objects.get()
    assert (log.allowed, log.reason, log.grant_id) == (True, "legal_basis", None)
    assert log.uscc == enterprise.uscc and log.enterprise_id == enterprise.pk
    assert log.requested == log.returned == ["registration", "tax"]
    assert (log.purpose_type, log.purpose_id, log.channel) == ("", "datahub_profile", "web")
    assert list(call_logs_for(enterprise_admin)) == [log]  # "who used my data"


@pytest.mark.parametrize("persona", ["enterprise_admin", "loan_officer"])
def test_anyone_else_is_refused_and_the_attempt_logged(request, persona, enterprise):
    with pytest.raises(gate.GateRefused) as refused:
        gate.log_supervisor_read(
            actor=request.getfixturevalue(persona), uscc=enterprise.uscc, elements=["tax"], purpose="x"
        )
    assert refused.value.code == "consent_role_not_permitted"
    log = CallLog.objects.get()
    assert not log.allowed and log.returned == [] and log.enterprise_id == enterprise.pk


def test_an_anonymous_caller_is_refused_without_a_log(enterprise):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(AccessDenied):
        gate.log_supervisor_read(actor=AnonymousUser(), uscc=enterprise.uscc, elements=["tax"], purpose="x")
    assert not CallLog.objects.exists()
