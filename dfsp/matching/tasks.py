"""Scheduled matching: every few minutes, match the demands and products that changed."""

from celery import shared_task

from dfsp.core.jobs import recorded_job
from dfsp.matching import services

MATCH_JOB = "matching.match_changes"


def _match_changes() -> dict:
    run = services.run_incremental()
    return {
        "demands": run.demands_matched,
        "products": run.products_matched,
        "written": run.matches_written,
        "removed": run.matches_removed,
    }


@shared_task(name="dfsp.matching.tasks.match_changes")
def match_changes() -> dict:
    return recorded_job(MATCH_JOB)(_match_changes)()
