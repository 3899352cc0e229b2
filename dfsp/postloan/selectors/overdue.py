"""Reads of overdue reports and blacklist proposals, scoped to the actor; and the feed that risk
monitoring reads (``overdue_reports_since``)."""

from datetime import datetime

from django.db.models import QuerySet

from dfsp.accounts.roles import INSTITUTION_ROLES, Role
from dfsp.core.errors import AccessDenied, NotFound
from dfsp.postloan import parties
from dfsp.postloan.models import BlacklistProposal, CaseEvent, OverdueReport
from dfsp.postloan.states import CollectionStatus, ProposalStatus


def overdue_reports_for(actor, *, status: str = "") -> QuerySet[OverdueReport]:
    """Institutions: their own reports; operators and regulators: all; anyone else: refused."""
    queryset = OverdueReport.objects.select_related("loan", "institution")
    if actor.has_any_role(parties.SUPERVISORS):
        pass
    elif actor.has_any_role(INSTITUTION_ROLES) and parties.acting(actor).organisation is not None:
        queryset = queryset.filter(institution=parties.acting(actor).organisation)
    else:
        raise AccessDenied()
    if status in CollectionStatus.values:
        queryset = queryset.filter(status=status)
    return queryset


def get_overdue_report_for(actor, report_id) -> OverdueReport:
    try:
        return overdue_reports_for(actor).get(pk=report_id)
    except (OverdueReport.DoesNotExist, ValueError, TypeError, AccessDenied):
        raise NotFound() from None


def overdue_reports_since(since: datetime, *, uscc: str = "") -> QuerySet[OverdueReport]:
    """Risk-monitoring feed (a system read, no acting person): reports filed or updated at or after
    ``since``, oldest change first, with their collection history and proposals prefetched."""
    queryset = OverdueReport.objects.filter(updated_at__gte=since)
    if uscc:
        queryset = queryset.filter(uscc=uscc)
    return queryset.prefetch_related("updates", "proposals").order_by("updated_at", "pk")


def report_history(report) -> QuerySet:
    return report.updates.select_related("actor")


def proposals_for(actor, *, status: str = "") -> QuerySet[BlacklistProposal]:
    """Operators: every proposal (the review queue is the pending ones); institutions: their own."""
    queryset = BlacklistProposal.objects.select_related("institution", "report", "proposed_by")
    if actor.has_role(Role.OPERATOR):
        pass
    elif actor.has_any_role(INSTITUTION_ROLES) and parties.acting(actor).organisation is not None:
        queryset = queryset.filter(institution=parties.acting(actor).organisation)
    else:
        raise AccessDenied()
    if status in ProposalStatus.values:
        queryset = queryset.filter(status=status)
    return queryset


def review_queue(actor) -> QuerySet[BlacklistProposal]:
    if not actor.has_role(Role.OPERATOR):
        raise AccessDenied()
    return proposals_for(actor, status=ProposalStatus.PENDING).order_by("proposed_at", "pk")


def case_events(kind: str, object_id) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.filter(kind=kind, object_id=object_id).select_related("actor", "organisation")
