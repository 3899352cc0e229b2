"""Daily jobs (Celery beat): the overdue computation and the due-date reminders."""

from celery import shared_task

from dfsp.core.jobs import recorded_job
from dfsp.loans import services

OVERDUE_JOB = "loans.overdue"
REMINDER_JOB = "loans.due_reminders"


def _overdue() -> dict:
    return services.run_overdue_job()


def _remind() -> dict:
    return services.send_due_reminders()


@shared_task(name="dfsp.loans.tasks.run_overdue_job")
def run_overdue_job() -> dict:
    return recorded_job(OVERDUE_JOB)(_overdue)()


@shared_task(name="dfsp.loans.tasks.send_due_reminders")
def send_due_reminders() -> dict:
    return recorded_job(REMINDER_JOB)(_remind)()
