from celery import shared_task

from dfsp.core.jobs import recorded_job
from dfsp.postloan import services

REMINDER_JOB = "postloan.maturity_reminders"


def _remind() -> dict:
    return {"reminded": services.send_maturity_reminders()}


@shared_task(name="dfsp.postloan.tasks.send_maturity_reminders")
def send_maturity_reminders() -> dict:
    """Daily: remind each borrower once before maturity (renewal or deferral)."""
    return recorded_job(REMINDER_JOB)(_remind)()
