"""Behaviour that needs real commits: concurrent appends, and the test suite's flush."""

import threading

import pytest
from django.core.management import call_command
from django.db import close_old_connections, connection

from dfsp.audit import selectors
from dfsp.audit.models import AuditChainHead, AuditEvent
from dfsp.audit.services import record_event


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgresql  # needs a server database for parallel writers
def test_concurrent_writers_get_contiguous_sequence_numbers():
    errors = []

    def writer(name: str) -> None:
        try:
            for n in range(10):
                record_event(event_type=f"parallel.{name}.{n}")
        except Exception as exc:  # reported below; a thread cannot fail the test itself
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=writer, args=(str(i),)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)) == list(range(1, 41))
    assert selectors.verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_the_test_suite_can_flush_the_audit_tables_and_the_triggers_come_back():
    record_event(event_type="before.flush")

    call_command("flush", interactive=False, verbosity=0)

    assert not AuditEvent.objects.exists()
    assert selectors.guards_installed() is True
    # The chain starts again from the beginning once the head row is gone.
    assert not AuditChainHead.objects.exists()
    assert record_event(event_type="after.flush").seq == 1
