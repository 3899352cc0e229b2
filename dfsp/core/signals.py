"""Signals the kernel emits so that other apps (audit) can react without core importing them."""

from django.dispatch import Signal

# Sent whenever a request is refused for lack of permission. kwargs: request, reason.
access_denied = Signal()
