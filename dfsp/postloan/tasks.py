from celery import shared_task

from dfsp.core.jobs import recorded_job
from dfsp.postloan import services

REMINDER_JOB = "postloan.maturity_reminders"
LATE_DEFERRAL_JOB = "postloan.late_deferrals"


def _remind() -> dict:
    return {"reminded": services.send_maturity_reminders()}


@shared_task(name="dfsp.postloan.tasks.send_maturity_reminders")
def send_maturity_reminders() -> dict:
    """Daily: remind each borrower once before maturity (renewal or deferral)."""
    return recorded_job(REMINDER_JOB)(_remind)()


def _remind_late() -> dict:
    return {"reminded": services.remind_late_deferrals()}


@shared_task(name="dfsp.postloan.tasks.remind_late_deferrals")
def remind_late_deferrals() -> dict:
    """Hourly: deferral requests past their decision deadline are reminded to the institution once."""
    return recorded_job(LATE_DEFERRAL_JOB)(_remind_late)()
