from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from dfsp.consent import services
from dfsp.consent.models import SeenNonce
from dfsp.core.jobs import recorded_job

NONCE_WINDOW = timedelta(minutes=10)


@shared_task
@recorded_job("consent.expire_grants")
def expire_grants() -> dict:
    return {"expired": services.expire_grants()}


@shared_task
@recorded_job("consent.purge_nonces")
def purge_nonces() -> dict:
    deleted, _ = SeenNonce.objects.filter(seen_at__lt=timezone.now() - NONCE_WINDOW).delete()
    return {"deleted": deleted}
