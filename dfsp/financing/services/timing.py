"""The time-limited steps of an application (accept, decide, disburse) on the working-day calendar.

Due times come from ``dfsp.workdays`` (per institution type); this module only records when a
step started, when it is due, and — when it ends — whether it ended on time (in the event's
details, from which the statistics are computed)."""

from dfsp.financing.states import ApplicationStatus, ApplicationStep
from dfsp.institutions.selectors import institution_profile

# The step that runs while an application is in this state.
STEP_OF_STATUS = {
    ApplicationStatus.SUBMITTED: ApplicationStep.ACCEPT,
    ApplicationStatus.ACCEPTED: ApplicationStep.DECIDE,
    ApplicationStatus.APPROVED: ApplicationStep.DISBURSE,
}


def institution_type_of(organisation_id) -> str:
    profile = institution_profile(organisation_id)
    return profile.institution_type if profile else "other"


def due_time(*, step: str, institution_id, start):
    from dfsp.workdays.selectors import due_at

    return due_at(step=step, institution_type=institution_type_of(institution_id), start=start)


def _working_days(start, end) -> int:
    from dfsp.workdays.selectors import local_date, working_days_between

    return working_days_between(local_date(start), local_date(end))


def start_step(application, now) -> list[str]:
    """Set the running step for the application's (new) status; returns the fields changed."""
    step = STEP_OF_STATUS.get(application.status)
    if step is None:
        application.current_step, application.step_started_at, application.due_at = "", None, None
    else:
        application.current_step, application.step_started_at = step, now
        application.due_at = due_time(step=step, institution_id=application.institution_id, start=now)
    return ["current_step", "step_started_at", "due_at"]


def finish_step(application, now) -> dict:
    """Details of the step the move ends: step, started_at, due_at, on_time, hours, working_days."""
    if not application.current_step:
        return {}
    started = application.step_started_at
    details = {
        "step": application.current_step,
        "started_at": started.isoformat() if started else None,
        "due_at": application.due_at.isoformat() if application.due_at else None,
        "on_time": application.due_at is None or now <= application.due_at,
        "hours": round((now - started).total_seconds() / 3600, 2) if started else None,
        "working_days": _working_days(started, now) if started else None,
    }
    return details
