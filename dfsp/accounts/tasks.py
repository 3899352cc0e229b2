from celery import shared_task

from dfsp.accounts import services
from dfsp.core.jobs import recorded_job

DORMANT_JOB = "accounts.disable_dormant_accounts"


@shared_task(name="dfsp.accounts.tasks.disable_dormant_accounts")
def disable_dormant_accounts() -> dict:
    return recorded_job(DORMANT_JOB)(services.disable_dormant_accounts)()
