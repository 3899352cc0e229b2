"""Outbound channels (SMS, e-mail) behind one interface.

The backend of each channel is a dotted path in settings (NOTIFICATION_CHANNELS); the default
backends write to the log, so nothing leaves an intranet until a real gateway is configured.
A gateway backend implements ``send(address, text) -> None`` and raises on failure.
"""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("dfsp.notifications")


class LoggingSmsBackend:
    def send(self, address: str, text: str) -> None:
        # The log redaction masks the number; the text is logged so a demo user can read codes.
        logger.info("SMS to %s: %s", address, text, extra={"channel": "sms"})


class LoggingEmailBackend:
    def send(self, address: str, text: str) -> None:
        logger.info("E-mail to %s: %s", address, text, extra={"channel": "email"})


DEFAULT_BACKENDS = {
    "sms": "dfsp.notifications.channels.LoggingSmsBackend",
    "email": "dfsp.notifications.channels.LoggingEmailBackend",
}


def backend_for(channel: str):
    configured = getattr(settings, "NOTIFICATION_CHANNELS", {}) or {}
    path = configured.get(channel) or DEFAULT_BACKENDS.get(channel)
    if path is None:
        raise ValueError(f"unknown channel {channel!r}")
    return import_string(path)()
