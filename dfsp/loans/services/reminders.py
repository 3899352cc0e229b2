"""Reminders before each due date: a daily job, N days ahead (setting LOANS_REMINDER_DAYS,
default 3), sent once per instalment through the notifications app."""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dfsp.loans.models import Instalment
from dfsp.loans.services._common import notify_enterprise
from dfsp.loans.states import InstalmentStatus, LoanStatus

DEFAULT_REMINDER_DAYS = 3


def reminder_days() -> int:
    return int(getattr(settings, "LOANS_REMINDER_DAYS", DEFAULT_REMINDER_DAYS))


def send_due_reminders(*, today: date | None = None, days_before: int | None = None) -> dict:
    today = today or timezone.localdate()
    horizon = today + timedelta(days=reminder_days() if days_before is None else days_before)
    with transaction.atomic():
        due = list(
            Instalment.objects.select_for_update()
            .select_related("loan")
            .filter(
                superseded=False,
                reminded_on__isnull=True,
                due_date__gte=today,
                due_date__lte=horizon,
                status__in=[InstalmentStatus.PENDING, InstalmentStatus.PARTIALLY_PAID],
            )
            .exclude(loan__status=LoanStatus.SETTLED)
            .order_by("due_date", "pk")
        )
        for instalment in due:
            notify_enterprise(
                instalment.loan,
                _("Instalment of %(amount)s yuan due on %(date)s")
                % {"amount": instalment.outstanding, "date": instalment.due_date.isoformat()},
                _("Loan %(contract)s, instalment %(number)s. Please make sure the account holds enough.")
                % {"contract": instalment.loan.contract_number, "number": instalment.number},
            )
            instalment.reminded_on = today
        Instalment.objects.bulk_update(due, ["reminded_on"])
    return {"reminded": len(due)}
