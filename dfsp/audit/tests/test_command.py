"""manage.py verify_audit: plain-words result, non-zero exit naming the first bad record."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils.translation import override

from dfsp.audit.tests.helpers import raw_execute, record_many

pytestmark = pytest.mark.django_db


def test_an_intact_chain_exits_zero_and_says_so():
    record_many(3)
    out = io.StringIO()

    call_command("verify_audit", stdout=out)

    assert "3" in out.getvalue()


def test_an_altered_record_fails_the_command_and_is_named(without_guards):
    record_many(4)
    with without_guards():
        raw_execute("UPDATE audit_auditevent SET role = 'system_admin' WHERE seq = 2")

    with pytest.raises(CommandError, match="#2"):
        call_command("verify_audit", stdout=io.StringIO())


def test_a_missing_record_fails_the_command_and_is_named(without_guards):
    record_many(4)
    with without_guards():
        raw_execute("DELETE FROM audit_auditevent WHERE seq = 3")

    with pytest.raises(CommandError, match="#3"):
        call_command("verify_audit", stdout=io.StringIO())


def test_missing_triggers_fail_the_command(without_guards):
    record_many(1)
    with without_guards(), override("en"), pytest.raises(CommandError, match="triggers"):
        call_command("verify_audit", stdout=io.StringIO())


def test_the_exit_status_is_non_zero_from_the_command_line(without_guards):
    # CommandError becomes exit status 1 when run as `manage.py verify_audit`.
    record_many(2)
    with without_guards():
        raw_execute("DELETE FROM audit_auditevent WHERE seq = 1")
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit", stdout=io.StringIO())
    assert failure.value.returncode == 1
