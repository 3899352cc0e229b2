"""Working-day calendar (Chinese public holidays and 调休 days) and per-step time limits in working days.

Only exceptions are stored: a date without a row is a working day from Monday to Friday and a
day off on Saturday and Sunday.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dfsp.workdays.choices import DayKind, DaySource, InstitutionType, Step


class CalendarDay(models.Model):
    day = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("holiday"), max_length=60, blank=True, help_text=_("E.g. Spring Festival."))
    note = models.CharField(_("note"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=12, choices=DaySource.choices)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["day"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.day} {self.kind}"

    @property
    def provisional(self) -> bool:
        return self.source == DaySource.PROVISIONAL


class TimeLimit(models.Model):
    """Working days an institution of one type has for one step; absent rows use the defaults."""

    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    institution_type = models.CharField(_("institution type"), max_length=20, choices=InstitutionType.choices)
    working_days = models.PositiveSmallIntegerField(_("working days"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("time limit")
        verbose_name_plural = _("time limits")
        constraints = [
            models.UniqueConstraint(
                fields=["step", "institution_type"], name="time_limit_once_per_step_type"
            ),
            models.CheckConstraint(
                condition=models.Q(working_days__gte=1) & models.Q(working_days__lte=60),
                name="time_limit_days_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.step}/{self.institution_type}: {self.working_days}"
