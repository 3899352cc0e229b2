"""The audited xlsx export of the lending statistics (one sheet per breakdown)."""

import io
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from dfsp.audit.services import record_event
from dfsp.postloan.parties import acting
from dfsp.postloan.selectors.statistics import Period, labels, lending_statistics

BUSINESS_TZ = ZoneInfo("Asia/Shanghai")
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _breakdown(workbook, title, heading, table, name_of) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append([heading, _("Loans"), _("Amount (yuan)")])
    for key, row in table.items():
        sheet.append([str(name_of(key)), row["count"], float(row["amount"])])


def build_workbook(stats: dict) -> bytes:
    names = labels()
    workbook = Workbook(write_only=True)
    summary = workbook.create_sheet(_("Summary"))
    summary.append([_("Figure"), _("Value")])
    rows = [
        (_("Loans granted"), stats["total"]["count"]),
        (_("Amount granted (yuan)"), float(stats["total"]["amount"])),
        (_("Credit loans"), stats["credit"]["count"]),
        (_("Credit-loan share"), round(stats["credit"]["share"], 4)),
        (_("First loans"), stats["first_loans"]["count"]),
        (_("First-loan amount (yuan)"), float(stats["first_loans"]["amount"])),
        (_("Renewals requested"), stats["renewals"]["requested"]),
        (_("Renewals approved"), stats["renewals"]["succeeded"]),
        (_("Renewal success rate"), round(stats["renewals"]["success_rate"], 4)),
        (_("Outstanding loans"), stats["outstanding"]["count"]),
        (_("Outstanding balance (yuan)"), float(stats["outstanding"]["balance"])),
    ]
    for row in rows:
        summary.append([str(row[0]), row[1]])
    _breakdown(workbook, _("By month"), _("Month"), stats["by_month"], lambda key: key)
    _breakdown(
        workbook, _("By district"), _("District"), stats["by_region"], lambda key: names["region"](key) or key
    )
    _breakdown(workbook, _("By industry"), _("Industry"), stats["by_industry"],
               lambda key: names["industry"].get(key, key))  # fmt: skip
    _breakdown(workbook, _("By institution type"), _("Institution type"), stats["by_institution_type"],
               lambda key: names["institution_type"].get(key, key))  # fmt: skip
    overdue = workbook.create_sheet(_("Overdue"))
    overdue.append(
        [_("Bucket"), _("Loans"), _("Share of outstanding loans"), _("Balance (yuan)"), _("Share of balance")]
    )
    for code, row in stats["overdue"].items():
        overdue.append([str(names["bucket"][code]), row["count"], round(row["rate"], 4), float(row["balance"]),
                        round(row["balance_rate"], 4)])  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_statistics(*, actor, period: Period) -> tuple[bytes, str]:
    """The statistics as xlsx and its file name; the export is audited before any byte leaves."""
    stats = lending_statistics(actor, period)
    content = build_workbook(stats)
    now = timezone.now()
    who = acting(actor)
    with transaction.atomic():
        record_event(
            event_type="postloan.statistics.exported",
            actor=who.user,
            organisation=who.organisation,
            object_type="postloan.statistics",
            details={
                "start": period.start.isoformat() if period.start else "",
                "end": period.end.isoformat() if period.end else "",
                "loans": stats["total"]["count"],
            },
        )
    return content, f"lending-statistics-{now.astimezone(BUSINESS_TZ):%Y%m%d-%H%M%S}.xlsx"
