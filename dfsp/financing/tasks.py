from celery import shared_task

from dfsp.core.jobs import recorded_job
from dfsp.financing import services

EXPIRE_JOB = "financing.expire_demands"


def _expire() -> dict:
    return {"expired": services.expire_demands()}


@shared_task(name="dfsp.financing.tasks.expire_demands")
def expire_demands() -> dict:
    return recorded_job(EXPIRE_JOB)(_expire)()
