from celery import shared_task

from dfsp.core import idempotency
from dfsp.core.jobs import recorded_job

PURGE_IDEMPOTENCY_JOB = "core.purge_idempotency_records"


@shared_task(name="dfsp.core.tasks.purge_idempotency_records")
def purge_idempotency_records() -> dict:
    return recorded_job(PURGE_IDEMPOTENCY_JOB)(idempotency.purge_expired_records)()
