from celery import shared_task

from dfsp.core.jobs import recorded_job
from dfsp.institutions import services

RANKING_JOB = "institutions.recompute_scores"


@shared_task(name="dfsp.institutions.tasks.recompute_scores")
def recompute_scores() -> dict:
    """Nightly: recency, application and rating factors move, so scores are recomputed."""
    return recorded_job(RANKING_JOB)(lambda: {"products": services.recompute_scores()})()
