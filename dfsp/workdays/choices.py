"""Codes of the calendar and of the time limits.

Steps and institution types repeat the string values of ``financing.states.ApplicationStep`` and
``institutions.models.InstitutionType``: both apps sit above this one, so it cannot import them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday")  # a day off, also when it falls on a weekday
    WORKDAY = "workday", _("Make-up working day")  # 调休: a Saturday or Sunday that is worked


class DaySource(models.TextChoices):
    OFFICIAL = "official", _("State Council notice")  # from the chinesecalendar data of the notice
    PROVISIONAL = "provisional", _("Provisional (computed statutory dates)")  # notice not yet out
    OPERATOR = "operator", _("Entered by an operator")


class Step(models.TextChoices):
    ACCEPT = "accept", _("Accept the application")
    DECIDE = "decide", _("Decide the application")
    DISBURSE = "disburse", _("Disburse after approval")


class InstitutionType(models.TextChoices):
    BANKING = "banking", _("Banking institution")
    LOCAL_FINANCE = "local_finance", _("Local financial organisation")
    INSURANCE = "insurance", _("Insurance institution")
    OTHER = "other", _("Other")


# Working days per step when operators have not set a limit.
DEFAULT_LIMITS = {Step.ACCEPT: 2, Step.DECIDE: 5, Step.DISBURSE: 5}
MAX_LIMIT_DAYS = 60
