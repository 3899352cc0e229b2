from celery import shared_task

from dfsp.complaints import services
from dfsp.core.jobs import recorded_job

ESCALATION_JOB = "complaints.escalate_overdue"


@shared_task(name="dfsp.complaints.tasks.escalate_overdue_complaints")
def escalate_overdue_complaints() -> dict:
    return recorded_job(ESCALATION_JOB)(services.escalate_overdue_complaints)()
