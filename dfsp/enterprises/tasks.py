from celery import shared_task

from dfsp.core.jobs import recorded_job
from dfsp.enterprises import services

BLACKLIST_JOB = "enterprises.apply_blacklist_entries"


@shared_task(name="dfsp.enterprises.tasks.apply_blacklist_entries")
def apply_blacklist_entries() -> dict:
    """Daily: entries whose start date has come flag the certified enterprises they name."""
    return recorded_job(BLACKLIST_JOB)(services.apply_entries_now_in_force)()
