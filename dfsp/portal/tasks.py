from celery import shared_task

from dfsp.core.jobs import recorded_job
from dfsp.portal import services

PUBLISH_JOB = "portal.publish_scheduled"
OVERVIEW_JOB = "portal.refresh_data_overview"


@shared_task(name="dfsp.portal.tasks.publish_scheduled")
def publish_scheduled() -> dict:
    return recorded_job(PUBLISH_JOB)(services.publish_scheduled_pages)()


@shared_task(name="dfsp.portal.tasks.refresh_data_overview")
def refresh_data_overview() -> dict:
    return recorded_job(OVERVIEW_JOB)(services.refresh_data_overview)()
