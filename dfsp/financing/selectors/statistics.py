"""Application statistics (FIN-P3 §6): the single source of these numbers for the institution's
page, the regulators' page and the public timeliness scorecard.

Counts are of applications *submitted* in [start, end). Step figures (time to accept / decide,
on-time shares) come from the events that *ended* a step in [start, end): each such event carries
``{"step", "due_at", "on_time", "hours", "working_days"}`` in its details. A step ends by the
institution's move (accept, approve, reject, return); a withdrawal by the enterprise is not
counted for or against the institution.
"""

from statistics import mean, median

from django.db.models import Count
from django.utils import timezone

from dfsp.financing.models import Application, ApplicationEvent
from dfsp.financing.states import OPEN_APPLICATION_STATES, ApplicationStatus, ApplicationStep

A = ApplicationStatus
# Institution moves that end a step, and the ones that count as "accepted" / "decided".
STEP_ENDING_ACTIONS = ("accepted", "approved", "rejected", "returned", "disbursed")
COMPLETING_ACTIONS = {
    ApplicationStep.ACCEPT: ("accepted",),
    ApplicationStep.DECIDE: ("approved", "rejected"),
    ApplicationStep.DISBURSE: ("disbursed",),
}


def _window(queryset, field, start, end):
    if start is not None:
        queryset = queryset.filter(**{f"{field}__gte": start})
    if end is not None:
        queryset = queryset.filter(**{f"{field}__lt": end})
    return queryset


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _summary(values: list[float]) -> dict:
    values = [v for v in values if v is not None]
    if not values:
        return {"mean": None, "median": None}
    return {"mean": round(mean(values), 2), "median": round(median(values), 2)}


def _step_figures(events: list[dict], step: str) -> dict:
    ended = [e for e in events if e["details"].get("step") == step]
    completed = [e for e in ended if e["action"] in COMPLETING_ACTIONS[step]]
    on_time = [e for e in ended if e["details"].get("on_time") is True]
    return {
        "ended": len(ended),
        "on_time": len(on_time),
        "on_time_share": _ratio(len(on_time), len(ended)),
        "hours": _summary([e["details"].get("hours") for e in completed]),
        "working_days": _summary([e["details"].get("working_days") for e in completed]),
    }


def application_statistics(*, institution=None, start=None, end=None) -> dict:
    """Figures for one institution (an Organisation or its pk) or the whole platform.

    Keys: applications, accepted, approved, rejected, withdrawn, open, late_open, acceptance_rate
    (accepted / applications), approval_rate (approved / (approved + rejected)), rejection_reasons
    [{code, label, count}], accept / decide / disburse: {ended, on_time, on_time_share,
    hours: {mean, median}, working_days: {mean, median}}. Rates are 0..1 or None when undefined.
    """
    applications = Application.objects.all()
    events = ApplicationEvent.objects.filter(action__in=STEP_ENDING_ACTIONS)
    if institution is not None:
        institution_id = getattr(institution, "pk", institution)
        applications = applications.filter(institution_id=institution_id)
        events = events.filter(application__institution_id=institution_id)
    applications = _window(applications, "submitted_at", start, end)
    events = list(_window(events, "created_at", start, end).values("action", "details"))
    counts = dict(applications.values_list("status").annotate(n=Count("pk")).order_by())
    total = sum(counts.values())
    accepted = applications.filter(accepted_at__isnull=False).count()
    approved = counts.get(A.APPROVED, 0) + counts.get(A.DISBURSED, 0)
    rejected = counts.get(A.REJECTED, 0)
    reasons = (
        applications.filter(status=A.REJECTED)
        .values("rejection_reason__code", "rejection_reason__label")
        .annotate(count=Count("pk"))
        .order_by("-count", "rejection_reason__code")
    )
    return {
        "applications": total,
        "accepted": accepted,
        "approved": approved,
        "rejected": rejected,
        "withdrawn": counts.get(A.WITHDRAWN, 0),
        "open": sum(counts.get(status, 0) for status in OPEN_APPLICATION_STATES),
        "late_open": applications.filter(
            status__in=OPEN_APPLICATION_STATES, due_at__lt=timezone.now()
        ).count(),
        "acceptance_rate": _ratio(accepted, total),
        "approval_rate": _ratio(approved, approved + rejected),
        "rejection_reasons": [
            {"code": r["rejection_reason__code"], "label": r["rejection_reason__label"], "count": r["count"]}
            for r in reasons
        ],
        "accept": _step_figures(events, ApplicationStep.ACCEPT),
        "decide": _step_figures(events, ApplicationStep.DECIDE),
        "disburse": _step_figures(events, ApplicationStep.DISBURSE),
    }


def statistics_by_institution(*, start=None, end=None) -> list[dict]:
    """One row per institution that received applications: {institution_id, name, **statistics}."""
    institutions = (
        Application.objects.values_list("institution_id", "institution__name")
        .distinct()
        .order_by("institution__name")
    )
    return [
        {"institution_id": pk, "name": name, **application_statistics(institution=pk, start=start, end=end)}
        for pk, name in institutions
    ]
