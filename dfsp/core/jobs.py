"""Record each run of a scheduled job (JobRun) around the service call it makes."""

import logging
from collections.abc import Callable
from functools import wraps

from django.utils import timezone

from dfsp.core.models import JobRun

logger = logging.getLogger(__name__)


def recorded_job(name: str) -> Callable:
    """Wrap a job body so that every run leaves a JobRun row with its outcome and summary."""

    def decorator(body: Callable[..., dict | None]) -> Callable[..., dict | None]:
        @wraps(body)
        def run(*args, **kwargs):
            job_run = JobRun.objects.create(job=name)
            try:
                summary = body(*args, **kwargs) or {}
            except Exception as exc:
                job_run.outcome = JobRun.Outcome.FAILED
                job_run.error = type(exc).__name__
                job_run.finished_at = timezone.now()
                job_run.save(update_fields=["outcome", "error", "finished_at"])
                logger.exception("job failed", extra={"job": name})
                raise
            job_run.outcome = JobRun.Outcome.SUCCEEDED
            job_run.summary = summary
            job_run.finished_at = timezone.now()
            job_run.save(update_fields=["outcome", "summary", "finished_at"])
            return summary

        return run

    return decorator


def last_run(job: str) -> JobRun | None:
    return JobRun.objects.filter(job=job).order_by("-started_at").first()
