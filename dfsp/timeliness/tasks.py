from celery import shared_task

from dfsp.core.jobs import recorded_job
from dfsp.timeliness import services

LATENESS_JOB = "timeliness.flag_late_applications"


def _flag() -> dict:
    return services.flag_late_applications()


@shared_task(name="dfsp.timeliness.tasks.flag_late_applications")
def flag_late_applications() -> dict:
    return recorded_job(LATENESS_JOB)(_flag)()
