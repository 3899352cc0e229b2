from celery import shared_task
from django.utils import timezone

from dfsp.notifications.channels import backend_for
from dfsp.notifications.models import OutboundDelivery


@shared_task(
    name="dfsp.notifications.tasks.deliver", autoretry_for=(OSError,), retry_backoff=True, max_retries=5
)
def deliver(delivery_id: int, address: str, text: str) -> str:
    """Hand one message to its channel backend; safe to retry (a sent delivery is not re-sent)."""
    delivery = OutboundDelivery.objects.filter(pk=delivery_id).first()
    if delivery is None or delivery.status == OutboundDelivery.Status.SENT:
        return "skipped"
    delivery.attempts += 1
    try:
        backend_for(delivery.channel).send(address, text)
    except Exception as exc:
        delivery.status = OutboundDelivery.Status.FAILED
        delivery.error = type(exc).__name__
        delivery.save(update_fields=["attempts", "status", "error"])
        raise
    delivery.status = OutboundDelivery.Status.SENT
    delivery.sent_at = timezone.now()
    delivery.save(update_fields=["attempts", "status", "sent_at"])
    return "sent"
