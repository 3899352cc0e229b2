"""Recording events, the hash chain, tamper detection and the append-only guarantees."""

import math
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import DatabaseError, transaction

from dfsp.audit import selectors
from dfsp.audit.chain import GENESIS_HASH, compute_hash
from dfsp.audit.models import AppendOnlyViolation, AuditChainHead, AuditEvent
from dfsp.audit.services import record_event
from dfsp.audit.tests.helpers import raw_execute, record_many

pytestmark = pytest.mark.django_db


def test_events_form_a_contiguous_chain_that_verifies():
    events = record_many(3)

    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == GENESIS_HASH
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    head = AuditChainHead.objects.get()
    assert (head.last_seq, head.last_hash) == (3, events[2].hash)
    result = selectors.verify_chain()
    assert result.ok and result.checked == 3 and result.problem is None


def test_an_empty_trail_verifies():
    result = selectors.verify_chain()
    assert result.ok and result.checked == 0


def test_event_copies_actor_organisation_roles_and_request_facts(auditor, operator_org, in_request):
    with in_request(request_id="req-42-abcdefgh", ip="::ffff:192.0.2.10", user_agent="Mozilla/5.0 测试"):
        event = record_event(event_type="audit.test", actor=auditor, object_type="user", object_id=7)

    event.refresh_from_db()
    assert event.actor_id == auditor.pk
    assert event.actor_username == "auditor"
    assert event.organisation_id == operator_org.pk
    assert event.organisation_name == operator_org.name
    assert event.role == "audit_admin"
    assert event.ip == "192.0.2.10"  # IPv4-mapped addresses are stored as IPv4
    assert event.user_agent == "Mozilla/5.0 测试"
    assert event.request_id == "req-42-abcdefgh"
    assert event.object_id == "7"
    assert event.outcome == "success"
    assert event.occurred_at.utcoffset().total_seconds() == 0


def test_an_explicit_organisation_and_role_win_and_anonymous_actors_are_blank(auditor, make_user):
    Organisation = apps.get_model("accounts", "Organisation")
    other = Organisation.objects.create(kind="government", name="大庆市地方金融管理局", region_code="230600")
    event = record_event(event_type="x.y", actor=auditor, organisation=other, role="acting_as")
    assert (event.organisation_name, event.role) == ("大庆市地方金融管理局", "acting_as")

    anonymous = record_event(event_type="auth.login.failure", outcome="failure")
    assert anonymous.actor_id is None and anonymous.actor_username == "" and anonymous.organisation_id is None


def test_hash_recomputes_identically_after_a_database_round_trip(in_request):
    awkward = {
        "amount": Decimal("1000000.50"),
        "day": date(2024, 2, 29),
        "when": datetime(2024, 2, 29, 23, 59, 59, 999999, tzinfo=UTC),
        "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "big_float": 1e20,
        "ratio": 0.1,
        "tiny": 1.5e-10,
        "infinite": math.inf,
        "big_int": 2**70,
        "text": "企业名称\x00 with NUL and \ud800 surrogate",
        "nested": {"z": [1, 2.0, {"b": True, "a": None}], 3: "int key"},
        "tags": {"b", "a"},
    }
    with in_request(ip="2001:DB8::1%eth0"):
        event = record_event(event_type="test.awkward", details=awkward)

    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.ip == "2001:db8::1"
    assert stored.details["nested"]["3"] == "int key"
    assert "\x00" not in stored.details["text"]
    assert compute_hash(stored) == stored.hash == event.hash
    assert selectors.verify_chain().ok


def test_outcome_and_event_type_are_checked():
    with pytest.raises(ValueError):
        record_event(event_type="x.y", outcome="maybe")
    with pytest.raises(ValueError):
        record_event(event_type="")


# --- Tamper detection ----------------------------------------------------------------------------


def test_an_altered_record_is_named(without_guards):
    record_many(5)
    with without_guards():
        raw_execute("UPDATE audit_auditevent SET actor_username = %s WHERE seq = 3", ["intruder"])

    result = selectors.verify_chain()

    assert not result.ok
    assert (result.problem, result.first_bad_seq) == ("altered", 3)
    assert "3" in result.describe()


def test_a_record_rewritten_with_a_recomputed_hash_is_named(without_guards):
    record_many(5)
    forged = AuditEvent.objects.get(seq=3)
    forged.details = {"rewritten": True}
    with without_guards():
        raw_execute(
            "UPDATE audit_auditevent SET details = %s, hash = %s WHERE seq = 3",
            ['{"rewritten": true}', compute_hash(forged)],
        )

    result = selectors.verify_chain()

    assert (result.ok, result.problem, result.first_bad_seq) == (False, "altered", 3)


def test_a_record_deleted_from_the_middle_is_reported_missing(without_guards):
    record_many(5)
    with without_guards():
        raw_execute("DELETE FROM audit_auditevent WHERE seq = 3")

    result = selectors.verify_chain()

    assert (result.ok, result.problem, result.first_bad_seq) == (False, "missing", 3)
    assert result.checked == 2


def test_records_deleted_from_the_end_are_reported_missing(without_guards):
    record_many(5)
    with without_guards():
        raw_execute("DELETE FROM audit_auditevent WHERE seq >= 4")

    result = selectors.verify_chain()

    assert (result.ok, result.problem, result.first_bad_seq) == (False, "missing", 4)


def test_a_chain_head_that_disagrees_with_the_last_record_is_reported():
    record_many(2)
    AuditChainHead.objects.update(last_hash="f" * 64)

    result = selectors.verify_chain()

    assert (result.ok, result.problem, result.first_bad_seq) == (False, "head_mismatch", 2)


# --- Append-only ---------------------------------------------------------------------------------


def test_the_database_refuses_update_and_delete_of_recent_records():
    record_many(2)
    with pytest.raises(DatabaseError), transaction.atomic():
        raw_execute("UPDATE audit_auditevent SET outcome = 'failure' WHERE seq = 1")
    with pytest.raises(DatabaseError), transaction.atomic():
        raw_execute("DELETE FROM audit_auditevent WHERE seq = 2")
    assert AuditEvent.objects.count() == 2
    assert selectors.verify_chain().ok


@pytest.mark.postgresql  # TRUNCATE exists only on PostgreSQL
def test_postgresql_refuses_truncate_and_a_delete_without_the_purge_flag():
    record_many(1)
    with pytest.raises(DatabaseError), transaction.atomic():
        raw_execute("TRUNCATE audit_auditevent")
    with pytest.raises(DatabaseError), transaction.atomic():
        raw_execute("SET LOCAL dfsp.audit_purge = 'on'")
        raw_execute("DELETE FROM audit_auditevent WHERE seq = 1")  # flag set, but the record is young
    assert AuditEvent.objects.count() == 1


def test_the_model_refuses_to_update_or_delete():
    event = record_many(1)[0]
    event.outcome = "failure"
    with pytest.raises(AppendOnlyViolation):
        event.save()
    with pytest.raises(AppendOnlyViolation):
        event.delete()
    with pytest.raises(AppendOnlyViolation):
        AuditEvent.objects.filter(seq=1).update(outcome="failure")
    with pytest.raises(AppendOnlyViolation):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyViolation):
        AuditEvent.objects.bulk_create([AuditEvent(seq=99)])
    assert AuditEvent.objects.get(seq=1).outcome == "success"


def test_the_append_only_triggers_are_installed():
    assert selectors.guards_installed() is True


def test_the_table_has_no_foreign_keys_so_nothing_cascades_into_it():
    assert not [f for f in AuditEvent._meta.get_fields() if f.is_relation]


# --- Fail closed ---------------------------------------------------------------------------------


def test_a_failing_audit_write_rolls_back_the_business_change(monkeypatch):
    Organisation = apps.get_model("accounts", "Organisation")

    def broken_save(self, *args, **kwargs):
        raise DatabaseError("audit table unavailable")

    monkeypatch.setattr(AuditEvent, "save", broken_save)
    with pytest.raises(DatabaseError), transaction.atomic():
        Organisation.objects.create(kind="operator", name="should not survive", region_code="230602")
        record_event(event_type="accounts.organisation.created", object_type="organisation")

    assert not Organisation.objects.filter(name="should not survive").exists()
    assert AuditChainHead.objects.get().last_seq == 0


def test_an_audit_write_rolled_back_with_its_business_change_leaves_the_chain_intact():
    record_many(1)
    with pytest.raises(RuntimeError), transaction.atomic():
        record_event(event_type="business.step")
        raise RuntimeError("the business operation failed after auditing")
    record_many(1)

    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)) == [1, 2]
    assert selectors.verify_chain().ok
