"""Signal receivers: every refused request leaves an audit record."""

from django.dispatch import receiver

from dfsp.audit import services
from dfsp.core.signals import access_denied


@receiver(access_denied, dispatch_uid="audit.record_access_denied")
def record_access_denied(sender, request, reason="", **kwargs) -> None:
    services.record_denial(request, reason)
