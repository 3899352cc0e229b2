"""Writes to the audit trail: append an event, purge expired events, audited export and checks.

record_event joins the caller's transaction: if the audit row cannot be written, the business
change fails with it (fail closed). It holds the chain-head row lock until that transaction ends,
so callers record their event as the last step of the transaction.
"""

import functools
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from dfsp.audit.chain import GENESIS_HASH, clean_text, compute_hash, normalise_details, normalise_ip, walk
from dfsp.audit.models import AuditAnchor, AuditChainHead, AuditEvent, Outcome
from dfsp.core import request_context
from dfsp.core.errors import DomainError

# 等保 level 3: audit records are kept at least six months; the database triggers use the same figure.
MINIMUM_RETENTION_DAYS = 184
PURGE_BATCH_SIZE = 5000
# The triggers judge age by the database's clock; the margin keeps an application clock that runs
# slightly ahead from asking for a record that is, to the database, not yet old enough.
PURGE_CLOCK_MARGIN = timedelta(hours=1)


def _field_length(name: str) -> int:
    return AuditEvent._meta.get_field(name).max_length


def _locked_head() -> AuditChainHead:
    head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=AuditChainHead.SINGLETON_ID)
    return head


def _acting_user(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _first_organisation(actor):
    membership = actor.memberships.select_related("organisation").order_by("pk").first()
    return membership.organisation if membership else None


def record_event(
    *,
    event_type: str,
    actor=None,
    organisation=None,
    role: str = "",
    object_type: str = "",
    object_id: str | int = "",
    outcome: str = Outcome.SUCCESS,
    details: dict | None = None,
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction."""
    if not event_type:
        raise ValueError("An audit event needs an event_type.")
    if outcome not in Outcome.values:
        raise ValueError(f"Unknown audit outcome {outcome!r}.")
    actor = _acting_user(actor)
    if organisation is None and actor is not None:
        organisation = _first_organisation(actor)
    if not role and actor is not None:
        role = ",".join(sorted(actor.role_codes()))
    context = request_context.current()
    event = AuditEvent(
        actor_id=actor.pk if actor is not None else None,
        actor_username=clean_text(actor.get_username() if actor else "", _field_length("actor_username")),
        organisation_id=organisation.pk if organisation is not None else None,
        organisation_name=clean_text(
            organisation.name if organisation else "", _field_length("organisation_name")
        ),
        role=clean_text(role, _field_length("role")),
        ip=normalise_ip(context.ip if context else None),
        user_agent=clean_text(context.user_agent if context else "", _field_length("user_agent")),
        event_type=clean_text(event_type, _field_length("event_type")),
        object_type=clean_text(object_type, _field_length("object_type")),
        object_id=clean_text(object_id, _field_length("object_id")),
        outcome=str(outcome),
        request_id=clean_text(context.request_id if context else "", _field_length("request_id")),
        details=normalise_details(details),
    )
    with transaction.atomic():
        head = _locked_head()
        event.seq = head.last_seq + 1
        event.prev_hash = head.last_hash
        # Taken under the lock, so seq order and time order agree.
        event.occurred_at = timezone.now()
        event.hash = compute_hash(event)
        event.save()
        head.last_seq, head.last_hash = event.seq, event.hash
        head.save(update_fields=["last_seq", "last_hash"])
    return event


def audited_refusal(event_type: str, *, object_type: str, id_argument: str = ""):
    """Decorate a write service so that a refusal (bad input, illegal move, duplicate, not found)
    leaves an audit row, written once the service's own transaction has rolled back: the refusal
    changes nothing but is on record. 403s are left out: the access_denied signal audits them.

    The actor is the ``actor`` or ``reviewer`` keyword; an API caller is recorded as its person
    (if any), its organisation and its key prefix.
    """

    def decorate(service):
        @functools.wraps(service)
        def wrapper(*args, **kwargs):
            try:
                return service(*args, **kwargs)
            except DomainError as exc:
                if exc.status != 403:
                    _record_refusal(event_type, object_type, exc, kwargs, id_argument)
                raise

        return wrapper

    return decorate


def _record_refusal(event_type, object_type, exc, kwargs, id_argument) -> None:
    actor = kwargs.get("actor") or kwargs.get("reviewer")
    details = {"code": exc.code, "status": exc.status, "fields": sorted(exc.field_errors)}
    organisation = None
    api_key = getattr(actor, "api_key", None)
    if api_key is not None:  # an API caller: the person behind it, its organisation, its key
        details["api_key"] = api_key.prefix
        organisation, actor = actor.organisation, actor.user
    record_event(
        event_type=event_type,
        actor=actor,
        organisation=organisation,
        outcome=Outcome.DENIED if exc.status == 404 else Outcome.FAILURE,
        object_type=object_type,
        object_id=str(kwargs.get(id_argument, "") if id_argument else "")[:40],
        details=details,
    )


def record_denial(request, reason: str = "") -> AuditEvent:
    """Audit a refused request (the access_denied signal's receiver calls this)."""
    return record_event(
        event_type="access.denied",
        actor=getattr(request, "user", None),
        outcome=Outcome.DENIED,
        object_type="path",
        object_id=request.path,
        details={"path": request.path, "method": request.method, "reason": str(reason)[:200]},
    )


# --- Retention ---------------------------------------------------------------------------------


class AuditChainBroken(RuntimeError):
    """The records due for purging do not verify; they are kept for investigation."""


def retention_days() -> int:
    return max(MINIMUM_RETENTION_DAYS, int(getattr(settings, "AUDIT_RETENTION_DAYS", MINIMUM_RETENTION_DAYS)))


def _allow_purge_in_this_transaction() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Read by the trigger; SET LOCAL ends with the transaction.
            cursor.execute("SET LOCAL dfsp.audit_purge = 'on'")


def _purge_one_batch(cutoff, batch_size: int) -> int:
    """Remove the oldest expired records (at most batch_size); 0 when nothing is left to purge."""
    with transaction.atomic():
        _locked_head()
        anchor = AuditAnchor.objects.order_by("-seq").first()
        start_seq, start_hash = (anchor.seq, anchor.hash) if anchor else (0, GENESIS_HASH)
        # Only a prefix of the chain goes, so what remains still starts right after an anchor.
        first_kept = (
            AuditEvent.objects.filter(occurred_at__gte=cutoff)
            .order_by("seq")
            .values_list("seq", flat=True)
            .first()
        )
        batch = AuditEvent.objects.filter(seq__gt=start_seq, seq__lt=start_seq + 1 + batch_size)
        if first_kept is not None:
            batch = batch.filter(seq__lt=first_kept)
        checked = walk(
            batch.order_by("seq").iterator(chunk_size=1000), start_seq=start_seq, start_hash=start_hash
        )
        if checked.problem:
            raise AuditChainBroken(f"Record {checked.bad_seq} is {checked.problem}; purge stopped.")
        if checked.checked == 0:
            return 0
        AuditAnchor.objects.create(seq=checked.last_seq, hash=checked.last_hash, created_at=timezone.now())
        _allow_purge_in_this_transaction()
        return AuditEvent.objects.filter(seq__lte=checked.last_seq)._delete_for_retention()


def purge_expired_events(*, batch_size: int = PURGE_BATCH_SIZE) -> int:
    """Delete records older than the retention period, oldest first, leaving an anchor behind.

    Each batch is verified before it goes, so a purge never launders a tampered record.
    """
    days = retention_days()
    cutoff = timezone.now() - timedelta(days=days) - PURGE_CLOCK_MARGIN
    purged = 0
    while removed := _purge_one_batch(cutoff, batch_size):
        purged += removed
    anchor = AuditAnchor.objects.order_by("-seq").first()
    record_event(
        event_type="audit.retention.purge",
        object_type="audit_event",
        details={
            "purged": purged,
            "retention_days": days,
            "cutoff": cutoff.isoformat(),
            "anchor_seq": anchor.seq if anchor else None,
        },
    )
    return purged


# --- Auditor actions ----------------------------------------------------------------------------


def record_export(*, actor, file_format: str, filters: dict, rows: int, truncated: bool) -> AuditEvent:
    """Every data export is audited: who exported which filter, in which format, how many rows."""
    return record_event(
        event_type="audit.export",
        actor=actor,
        object_type="audit_event",
        details={"format": file_format, "filters": filters, "rows": rows, "truncated": truncated},
    )


def record_chain_verification(*, actor, ok: bool, result: dict) -> AuditEvent:
    return record_event(
        event_type="audit.chain.verify",
        actor=actor,
        object_type="audit_event",
        outcome=Outcome.SUCCESS if ok else Outcome.FAILURE,
        details=result,
    )
