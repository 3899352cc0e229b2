"""Reads of the audit trail.

Only the audit administrator reads it (三权分立): the system and security administrators, whose
actions it records, cannot. verify_chain itself takes no actor because the command line and the
scheduler run it; the web layer goes through verify_chain_for.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from dfsp.audit import guards
from dfsp.audit.chain import GENESIS_HASH, HEAD_MISMATCH, MISSING, walk
from dfsp.audit.models import AUDIT_ADMIN_ROLE, AuditAnchor, AuditChainHead, AuditEvent
from dfsp.core.errors import AccessDenied, NotFound

BUSINESS_TZ = ZoneInfo("Asia/Shanghai")
VERIFY_CHUNK_SIZE = 2000


def ensure_auditor(actor) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.has_role(AUDIT_ADMIN_ROLE):
        raise AccessDenied()


@dataclass(frozen=True)
class EventFilters:
    date_from: date | None = None  # business dates (Asia/Shanghai), both inclusive
    date_to: date | None = None
    event_type: str = ""  # prefix: "auth." matches every authentication event
    actor_username: str = ""
    organisation: str = ""  # an organisation id, or the start of its name
    outcome: str = ""
    object_type: str = ""
    object_id: str = ""
    request_id: str = ""

    def as_dict(self) -> dict:
        return {
            name: value.isoformat() if isinstance(value, date) else value
            for name, value in vars(self).items()
            if value not in (None, "")
        }


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=BUSINESS_TZ)


def search_events(*, actor, filters: EventFilters | None = None) -> QuerySet[AuditEvent]:
    """Events matching the filters, newest first; every filter uses an indexed column."""
    ensure_auditor(actor)
    filters = filters or EventFilters()
    queryset = AuditEvent.objects.all()
    if filters.date_from:
        queryset = queryset.filter(occurred_at__gte=_start_of(filters.date_from))
    if filters.date_to:
        queryset = queryset.filter(occurred_at__lt=_start_of(filters.date_to + timedelta(days=1)))
    if filters.event_type:
        queryset = queryset.filter(event_type__startswith=filters.event_type)
    if filters.actor_username:
        queryset = queryset.filter(actor_username=filters.actor_username)
    if filters.organisation:
        if filters.organisation.isdigit():
            queryset = queryset.filter(organisation_id=int(filters.organisation))
        else:
            queryset = queryset.filter(organisation_name__startswith=filters.organisation)
    if filters.outcome:
        queryset = queryset.filter(outcome=filters.outcome)
    if filters.object_type:
        queryset = queryset.filter(object_type=filters.object_type)
    if filters.object_id:
        queryset = queryset.filter(object_id=filters.object_id)
    if filters.request_id:
        queryset = queryset.filter(request_id=filters.request_id)
    return queryset.order_by("-seq")


def get_event(*, actor, seq: int) -> AuditEvent:
    ensure_auditor(actor)
    try:
        return AuditEvent.objects.get(seq=seq)
    except (AuditEvent.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


# --- Verification ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainVerification:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: str | None = None  # "altered" | "missing" | "head_mismatch"
    start_seq: int = 0  # the anchor the walk started after (0: the beginning of the chain)
    head_seq: int = 0

    def as_dict(self) -> dict:
        return dict(vars(self))

    def describe(self) -> str:
        """The result in plain words, for the command line and the verification page."""
        if self.ok:
            if not self.checked:
                return _("The audit trail is intact: there are no records after #%(start)d to check.") % {
                    "start": self.start_seq
                }
            return _("The audit trail is intact: %(checked)d records checked, #%(first)d to #%(last)d.") % {
                "checked": self.checked,
                "first": self.start_seq + 1,
                "last": self.head_seq,
            }
        if self.problem == MISSING:
            return _("Record #%(seq)d is missing from the audit trail.") % {"seq": self.first_bad_seq}
        if self.problem == HEAD_MISMATCH:
            return _(
                "The chain head does not match record #%(seq)d: the end of the audit trail was removed or rewritten."
            ) % {"seq": self.first_bad_seq or 0}
        return _("Record #%(seq)d has been altered: it no longer matches the hash chain.") % {
            "seq": self.first_bad_seq
        }


def _verify_once() -> ChainVerification:
    head = AuditChainHead.objects.filter(pk=AuditChainHead.SINGLETON_ID).first()
    anchor = AuditAnchor.objects.order_by("-seq").first()
    start_seq, start_hash = (anchor.seq, anchor.hash) if anchor else (0, GENESIS_HASH)
    rows = AuditEvent.objects.filter(seq__gt=start_seq)
    if head is not None:
        # Records appended after the head was read are left for the next check.
        rows = rows.filter(seq__lte=head.last_seq)
    result = walk(
        rows.order_by("seq").iterator(chunk_size=VERIFY_CHUNK_SIZE),
        start_seq=start_seq,
        start_hash=start_hash,
    )
    head_seq = head.last_seq if head else result.last_seq

    def outcome(problem=None, bad_seq=None) -> ChainVerification:
        return ChainVerification(
            ok=problem is None,
            checked=result.checked,
            first_bad_seq=bad_seq,
            problem=problem,
            start_seq=start_seq,
            head_seq=head_seq,
        )

    if result.problem:
        return outcome(result.problem, result.bad_seq)
    if head is None:
        if result.checked or anchor:
            return outcome(HEAD_MISMATCH, result.last_seq)
        return outcome()
    if result.last_seq < head.last_seq:
        return outcome(MISSING, result.last_seq + 1)
    if result.last_hash != head.last_hash:
        return outcome(HEAD_MISMATCH, head.last_seq)
    return outcome()


def verify_chain() -> ChainVerification:
    """Walk the chain from the newest anchor (or record 1) and report the first problem found.

    Memory stays bounded: records are streamed in chunks. A purge that runs concurrently can
    move the anchor under the walk; the check is then repeated once from the new anchor.
    """
    result = _verify_once()
    if result.problem == MISSING:
        newest = AuditAnchor.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
        if newest != result.start_seq:
            result = _verify_once()
    return result


def verify_chain_for(*, actor) -> ChainVerification:
    ensure_auditor(actor)
    return verify_chain()


def guards_installed() -> bool | None:
    """Whether the database's append-only triggers are in place (None: engine not covered)."""
    return guards.installed(connection)
