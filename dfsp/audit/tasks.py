"""Scheduled audit jobs. Both take no arguments and are safe to retry."""

import logging

from celery import shared_task

from dfsp.audit import selectors, services
from dfsp.core.jobs import recorded_job

logger = logging.getLogger(__name__)

PURGE_JOB = "audit.purge_expired_events"
VERIFY_JOB = "audit.verify_chain"


def _purge() -> dict:
    return {"purged": services.purge_expired_events(), "retention_days": services.retention_days()}


def _verify() -> dict:
    result = selectors.verify_chain()
    if not result.ok:
        logger.error(
            "audit chain verification failed", extra={"problem": result.problem, "seq": result.first_bad_seq}
        )
    return result.as_dict()


@shared_task(name="dfsp.audit.tasks.purge_expired_events")
def purge_expired_events() -> dict:
    return recorded_job(PURGE_JOB)(_purge)()


@shared_task(name="dfsp.audit.tasks.verify_chain")
def verify_chain() -> dict:
    return recorded_job(VERIFY_JOB)(_verify)()
