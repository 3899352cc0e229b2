from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from dfsp.consent import services, signatures
from dfsp.consent.models import SeenNonce
from dfsp.core.jobs import recorded_job

# A timestamp is accepted up to WINDOW_SECONDS either side of the clock, so a nonce must outlive
# twice that (a request stamped in the future can be replayed until then), plus a margin for skew.
NONCE_WINDOW = timedelta(seconds=2 * signatures.WINDOW_SECONDS) + timedelta(minutes=5)


@shared_task
@recorded_job("consent.expire_grants")
def expire_grants() -> dict:
    return {"expired": services.expire_grants()}


@shared_task
@recorded_job("consent.purge_nonces")
def purge_nonces() -> dict:
    deleted, _ = SeenNonce.objects.filter(seen_at__lt=timezone.now() - NONCE_WINDOW).delete()
    return {"deleted": deleted}
