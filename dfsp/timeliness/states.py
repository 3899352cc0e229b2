"""Urge levels and the 督办 (supervision) item's states."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UrgeLevel(models.IntegerChoices):
    STAFF = 1, _("First urge: the institution's staff")  # loan officers of the institution
    ADMINS = 2, _("Second urge: also the institution's administrators")
    SUPERVISION = 3, _("Third urge: referred for supervision (督办)")  # opens an Escalation


class EscalationStatus(models.TextChoices):
    OPEN = "open", _("Open")  # waiting in the regulators' supervision list
    CLOSED = "closed", _("Closed")  # a regulator closed it with a note


ALLOWED_TRANSITIONS = {EscalationStatus.OPEN: {EscalationStatus.CLOSED}, EscalationStatus.CLOSED: set()}


class Step(models.TextChoices):
    """Same values as ``financing.states.ApplicationStep`` (labels for this app's pages)."""

    ACCEPT = "accept", _("Accept the application")
    DECIDE = "decide", _("Decide the application")
    DISBURSE = "disburse", _("Disburse after approval")
