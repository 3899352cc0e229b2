from celery import shared_task

from dfsp.core.jobs import recorded_job
from dfsp.datahub import services

PULL_JOB = "datahub.queue_due_pulls"


@shared_task(name="dfsp.datahub.tasks.run_batch")
def run_batch(batch_id: int) -> str:
    return services.run_batch(batch_id=batch_id).status


@shared_task(name="dfsp.datahub.tasks.queue_due_pulls")
def queue_due_pulls() -> dict:
    return recorded_job(PULL_JOB)(services.queue_due_pulls)()
