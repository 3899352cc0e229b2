"""Reads of loan applications, scoped to the actor (a User or an ApiCaller).

Who sees an application: the applying enterprise's people; the receiving institution's staff and
API keys; platform operators and regulators (read-only). Anyone else gets NotFound, the same as
for an application that does not exist. Internal notes reach the institution only.
"""

from datetime import timedelta

from django.db.models import Count, F, QuerySet
from django.utils import timezone

from dfsp.accounts.roles import ENTERPRISE_ROLES, INSTITUTION_ROLES, Role
from dfsp.core.errors import NotFound
from dfsp.financing.actors import acting
from dfsp.financing.models import (
    Application,
    ApplicationInvitation,
    ApplicationMaterial,
    ApplicationNote,
    RejectionReason,
    ReviewSettings,
)
from dfsp.financing.states import OPEN_APPLICATION_STATES, ApplicationStatus

STAFF_ROLES = frozenset({Role.OPERATOR, Role.REGULATOR})
QUEUE_ORDERS = ("waiting", "newest", "due")


def _base() -> QuerySet[Application]:
    return Application.objects.select_related(
        "product", "institution", "enterprise", "assigned_officer", "rejection_reason", "applicant"
    )


def side_of(actor) -> str:
    """ "enterprise", "institution", "staff" or "" — how the actor relates to applications."""
    if actor.has_any_role(STAFF_ROLES):
        return "staff"
    if acting(actor).organisation is None:
        return ""
    if actor.has_any_role(INSTITUTION_ROLES):
        return "institution"
    if actor.has_any_role(ENTERPRISE_ROLES):
        return "enterprise"
    return ""


def applications_for(*, actor, status=None) -> QuerySet[Application]:
    side = side_of(actor)
    queryset = _base()
    if side == "enterprise":
        queryset = queryset.filter(enterprise=acting(actor).organisation)
    elif side == "institution":
        queryset = queryset.filter(institution=acting(actor).organisation)
    elif side != "staff":
        return queryset.none()
    if status in ApplicationStatus.values:
        queryset = queryset.filter(status=status)
    return queryset


def get_application_for(*, actor, application_id) -> Application:
    try:
        return applications_for(actor=actor).get(pk=int(application_id))
    except (Application.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def application_queue(
    *, actor, status: str = "", product_id=None, officer_id=None, order: str = "waiting"
) -> QuerySet[Application]:
    """The institution's review desk: open applications first by default, longest waiting first."""
    if side_of(actor) != "institution":
        return Application.objects.none()
    queryset = applications_for(actor=actor)
    if status in ApplicationStatus.values:
        queryset = queryset.filter(status=status)
    elif status != "all":
        queryset = queryset.filter(status__in=OPEN_APPLICATION_STATES)
    if product_id:
        queryset = queryset.filter(product_id=product_id)
    if officer_id == "none":
        queryset = queryset.filter(assigned_officer__isnull=True)
    elif officer_id:
        queryset = queryset.filter(assigned_officer_id=officer_id)
    if order == "newest":
        return queryset.order_by("-submitted_at", "-pk")
    if order == "due":
        return queryset.order_by(F("due_at").asc(nulls_last=True), "pk")
    return queryset.order_by(F("step_started_at").asc(nulls_last=True), "submitted_at", "pk")


def late_applications(*, now=None) -> QuerySet[Application]:
    """Open applications whose running step is past its due time."""
    now = now or timezone.now()
    return _base().filter(status__in=OPEN_APPLICATION_STATES, due_at__isnull=False, due_at__lt=now)


def open_application_for_product(*, enterprise, product) -> Application | None:
    return Application.objects.filter(
        enterprise=enterprise, product=product, status__in=OPEN_APPLICATION_STATES
    ).first()


def events_for(application) -> QuerySet:
    return application.events.select_related("actor", "organisation")


def enterprise_events_for(application) -> list:
    """The enterprise's view of the history: no internal steps (assignment, proposals)."""
    hidden = {"assigned", "proposed", "proposal_declined"}
    return [event for event in events_for(application) if event.action not in hidden]


def notes_for(*, actor, application) -> QuerySet[ApplicationNote]:
    if side_of(actor) != "institution" or application.institution_id != acting(actor).organisation.pk:
        return ApplicationNote.objects.none()
    return application.notes.select_related("author")


def get_material_for(*, actor, material_id) -> ApplicationMaterial:
    """Materials reach the enterprise, the receiving institution and operators (not regulators)."""
    try:
        material = ApplicationMaterial.objects.select_related("application").get(pk=int(material_id))
    except (ApplicationMaterial.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    side = side_of(actor)
    if side == "staff" and not actor.has_role(Role.OPERATOR):
        raise NotFound()
    get_application_for(actor=actor, application_id=material.application_id)
    return material


def previous_applications(application) -> QuerySet[Application]:
    """The enterprise's earlier applications to the same institution, with their outcomes."""
    return (
        _base()
        .filter(enterprise_id=application.enterprise_id, institution_id=application.institution_id)
        .exclude(pk=application.pk)
        .order_by("-submitted_at")[:20]
    )


def platform_history(*, enterprise_id, now=None) -> dict:
    """Counts for the decision models' multi-application rules (credit reads ``recent_applications``:
    applications in the last 30 days)."""
    now = now or timezone.now()
    mine = Application.objects.filter(enterprise_id=enterprise_id)
    month = mine.filter(submitted_at__gte=now - timedelta(days=30))
    return {
        "applications_7d": mine.filter(submitted_at__gte=now - timedelta(days=7)).count(),
        "applications_30d": month.count(),
        "recent_applications": month.count(),
        "institutions_30d": month.aggregate(n=Count("institution", distinct=True))["n"],
        "open_applications": mine.filter(status__in=OPEN_APPLICATION_STATES).count(),
    }


def invitations_for(*, actor) -> QuerySet[ApplicationInvitation]:
    """An enterprise's invitations it has not yet used."""
    if side_of(actor) != "enterprise":
        return ApplicationInvitation.objects.none()
    return ApplicationInvitation.objects.filter(
        enterprise=acting(actor).organisation, application__isnull=True
    ).select_related("product", "institution", "demand")


def get_invitation_for(*, actor, invitation_id) -> ApplicationInvitation:
    try:
        return invitations_for(actor=actor).get(pk=int(invitation_id))
    except (ApplicationInvitation.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def invitations_sent(*, demand, institution) -> QuerySet[ApplicationInvitation]:
    return ApplicationInvitation.objects.filter(demand=demand, institution=institution).select_related(
        "product"
    )


def rejection_reasons(*, active_only: bool = True) -> QuerySet[RejectionReason]:
    queryset = RejectionReason.objects.all()
    return queryset.filter(active=True) if active_only else queryset


def two_step_approval(institution) -> bool:
    return ReviewSettings.objects.filter(institution=institution, two_step_approval=True).exists()


def waiting_hours(application, now=None) -> float | None:
    if not application.step_started_at:
        return None
    return round(((now or timezone.now()) - application.step_started_at).total_seconds() / 3600, 1)


def is_late(application, now=None) -> bool:
    return bool(application.due_at and (now or timezone.now()) > application.due_at)


def enterprise_open_count(enterprise) -> int:
    return Application.objects.filter(enterprise=enterprise, status__in=OPEN_APPLICATION_STATES).count()


def demand_can_invite(*, actor, demand) -> bool:
    return (
        side_of(actor) == "institution" and demand.taken_by_organisation_id == acting(actor).organisation.pk
    )


def reapplication_of(application) -> Application | None:
    return application.reapplications.order_by("-pk").first()
