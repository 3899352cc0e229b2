"""Reads, scoped to the actor: the late queue and supervision list (regulators, operators), urges
(the urged institution's staff; regulators and operators see all, with the replies)."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from dfsp.accounts.roles import Role
from dfsp.core.errors import AccessDenied, NotFound
from dfsp.financing import selectors as financing_selectors
from dfsp.timeliness.actors import institution_of, is_urger
from dfsp.timeliness.models import Escalation, LatenessFlag, Urge
from dfsp.timeliness.states import EscalationStatus, UrgeLevel
from dfsp.workdays.selectors import local_date, working_days_between


@dataclass(frozen=True)
class LateRow:
    application: object
    step: str
    due_at: datetime
    days_late: int  # working days after the due date, up to today
    flagged: bool
    urges: int  # urges of this lateness so far
    next_level: int
    last_urge: Urge | None
    escalation: Escalation | None


def working_days_late(due_at: datetime, now: datetime) -> int:
    return max(working_days_between(local_date(due_at), local_date(now)), 0)


def late_queue(*, actor, now=None) -> list[LateRow]:
    """Late open applications, longest late first (regulators and operators only)."""
    if not is_urger(actor):
        raise AccessDenied()
    now = now or timezone.now()
    applications = list(financing_selectors.late_applications(now=now).order_by("due_at", "pk"))
    ids = [a.pk for a in applications]
    urges: dict = {}
    for urge in Urge.objects.filter(application_id__in=ids).order_by("at", "pk"):
        urges.setdefault((urge.application_id, urge.step, urge.due_at), []).append(urge)
    flags = set(
        LatenessFlag.objects.filter(application_id__in=ids).values_list("application_id", "step", "due_at")
    )
    open_items = {
        (e.application_id, e.step): e
        for e in Escalation.objects.filter(application_id__in=ids, status=EscalationStatus.OPEN)
    }
    rows = []
    for application in applications:
        key = (application.pk, application.current_step, application.due_at)
        these = urges.get(key, [])
        rows.append(
            LateRow(
                application=application,
                step=application.current_step,
                due_at=application.due_at,
                days_late=working_days_late(application.due_at, now),
                flagged=key in flags,
                urges=len(these),
                next_level=min(len(these) + 1, UrgeLevel.SUPERVISION),
                last_urge=these[-1] if these else None,
                escalation=open_items.get((application.pk, application.current_step)),
            )
        )
    return rows


def urges_for(*, actor, open_only: bool = False) -> QuerySet[Urge]:
    """The institution's own urges; every urge for regulators and operators; nothing for others."""
    queryset = Urge.objects.select_related(
        "application", "institution", "by", "by_organisation", "replied_by"
    )
    institution = institution_of(actor)
    if institution is not None:
        queryset = queryset.filter(institution=institution)
    elif not is_urger(actor):
        raise AccessDenied()
    if open_only:
        queryset = queryset.filter(replied_at__isnull=True)
    return queryset


def get_urge_for(*, actor, urge_id) -> Urge:
    try:
        return urges_for(actor=actor).get(pk=int(urge_id))
    except (Urge.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None


def escalations_for(*, actor, status: str = "") -> QuerySet[Escalation]:
    """The 督办 list: regulators work it; operators may read it."""
    if not actor.has_any_role({Role.REGULATOR, Role.OPERATOR}):
        raise AccessDenied()
    queryset = Escalation.objects.select_related("application", "institution", "urge", "closed_by")
    if status in EscalationStatus.values:
        queryset = queryset.filter(status=status)
    return queryset


def urges_of_escalation(escalation: Escalation) -> QuerySet[Urge]:
    return Urge.objects.filter(
        application_id=escalation.application_id, step=escalation.step, due_at=escalation.urge.due_at
    ).select_related("by", "replied_by")


def open_urge_count(actor) -> int:
    institution = institution_of(actor)
    if institution is None:
        return 0
    return Urge.objects.filter(institution=institution, replied_at__isnull=True).count()
