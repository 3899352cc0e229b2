"""Retention: records older than the retention period (never under 184 days) go, the chain still verifies."""

from datetime import timedelta

import pytest
import time_machine
from django.db import DatabaseError, transaction
from django.utils import timezone

from dfsp.audit import selectors, services, tasks
from dfsp.audit.models import AuditAnchor, AuditEvent
from dfsp.audit.tests.helpers import raw_execute, record_many
from dfsp.core.models import JobRun

pytestmark = pytest.mark.django_db


def _record_days_ago(days: int, count: int) -> None:
    with time_machine.travel(timezone.now() - timedelta(days=days), tick=False):
        record_many(count)


@pytest.fixture
def aged_trail():
    # given records 200 days, 100 days and 0 days old
    _record_days_ago(200, 3)
    _record_days_ago(100, 2)
    record_many(1)


def test_purge_never_goes_below_184_days_and_leaves_a_verifiable_chain(settings, aged_trail):
    settings.AUDIT_RETENTION_DAYS = 30  # below the legal minimum: 184 days apply

    purged = services.purge_expired_events()

    assert purged == 3
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)[:3]) == [4, 5, 6]
    anchor = AuditAnchor.objects.get()
    assert anchor.seq == 3
    purge_event = AuditEvent.objects.get(event_type="audit.retention.purge")
    assert purge_event.details["purged"] == 3
    assert purge_event.details["retention_days"] == 184
    result = selectors.verify_chain()
    assert result.ok and result.start_seq == 3 and result.checked == 4


def test_purge_honours_a_longer_retention_period(settings, aged_trail):
    settings.AUDIT_RETENTION_DAYS = 365

    assert services.purge_expired_events() == 0
    assert not AuditAnchor.objects.exists()
    assert AuditEvent.objects.filter(event_type="audit.retention.purge").get().details["purged"] == 0


def test_purge_in_small_batches_leaves_one_anchor_per_batch(settings, aged_trail):
    settings.AUDIT_RETENTION_DAYS = 184

    assert services.purge_expired_events(batch_size=2) == 3

    assert list(AuditAnchor.objects.order_by("seq").values_list("seq", flat=True)) == [2, 3]
    assert selectors.verify_chain().ok


def test_a_record_deleted_right_after_the_anchor_is_still_found(settings, aged_trail, without_guards):
    settings.AUDIT_RETENTION_DAYS = 184
    services.purge_expired_events()
    with without_guards():
        raw_execute("DELETE FROM audit_auditevent WHERE seq = 4")

    result = selectors.verify_chain()

    assert (result.ok, result.problem, result.first_bad_seq) == (False, "missing", 4)


def test_purge_refuses_to_remove_records_that_do_not_verify(settings, aged_trail, without_guards):
    settings.AUDIT_RETENTION_DAYS = 184
    with without_guards():
        raw_execute("UPDATE audit_auditevent SET event_type = 'forged' WHERE seq = 2")

    with pytest.raises(services.AuditChainBroken):
        services.purge_expired_events()

    assert AuditEvent.objects.count() == 6
    assert not AuditAnchor.objects.exists()


@pytest.mark.postgresql  # the purge flag exists only on PostgreSQL
def test_postgresql_refuses_deleting_even_old_records_without_the_purge_flag(aged_trail):
    with pytest.raises(DatabaseError), transaction.atomic():
        raw_execute("DELETE FROM audit_auditevent WHERE seq = 1")
    assert AuditEvent.objects.filter(seq=1).exists()


def test_anchors_are_append_only(settings, aged_trail):
    settings.AUDIT_RETENTION_DAYS = 184
    services.purge_expired_events()
    with pytest.raises(DatabaseError), transaction.atomic():
        raw_execute("UPDATE audit_auditanchor SET seq = 0")
    with pytest.raises(DatabaseError), transaction.atomic():
        raw_execute("DELETE FROM audit_auditanchor")


def test_the_scheduled_purge_records_its_run(settings, aged_trail):
    settings.AUDIT_RETENTION_DAYS = 184

    summary = tasks.purge_expired_events()

    assert summary == {"purged": 3, "retention_days": 184}
    run = JobRun.objects.get(job=tasks.PURGE_JOB)
    assert run.outcome == JobRun.Outcome.SUCCEEDED and run.summary["purged"] == 3


def test_the_scheduled_verification_records_its_run():
    record_many(2)

    summary = tasks.verify_chain()

    assert summary["ok"] is True and summary["checked"] == 2
    assert JobRun.objects.get(job=tasks.VERIFY_JOB).outcome == JobRun.Outcome.SUCCEEDED
