"""Audited export of the audit trail as CSV or XLSX.

export_events is the one entry point: it reads through the access-checked selector, builds the
file and records the export itself in the trail before any byte leaves the server.
"""

import csv
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from dfsp.audit import selectors, services
from dfsp.audit.forms import EventSearchForm

BUSINESS_TZ = ZoneInfo("Asia/Shanghai")
ROW_LIMIT = 50_000
# Spreadsheet programs run cells starting with these as formulas (CSV/formula injection).
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _columns() -> list[tuple[str, Callable]]:
    return [
        (_("Sequence"), lambda e: e.seq),
        (_("Time (Beijing)"), lambda e: e.occurred_at.astimezone(BUSINESS_TZ).strftime("%Y-%m-%d %H:%M:%S")),
        (_("Actor"), lambda e: e.actor_username),
        (_("Actor id"), lambda e: e.actor_id if e.actor_id is not None else ""),
        (_("Organisation"), lambda e: e.organisation_name),
        (_("Organisation id"), lambda e: e.organisation_id if e.organisation_id is not None else ""),
        (_("Role"), lambda e: e.role),
        (_("IP address"), lambda e: e.ip or ""),
        (_("Event"), lambda e: e.event_type),
        (_("Object type"), lambda e: e.object_type),
        (_("Object id"), lambda e: e.object_id),
        (_("Outcome"), lambda e: e.get_outcome_display()),
        (_("Request id"), lambda e: e.request_id),
        (_("User agent"), lambda e: e.user_agent),
        (_("Details"), lambda e: json.dumps(e.details, ensure_ascii=False, sort_keys=True)),
        (_("Hash"), lambda e: e.hash),
    ]


def _safe(value):
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


def _xlsx_cell(sheet, value) -> WriteOnlyCell:
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"  # never a formula, whatever the text starts with
        return cell
    return WriteOnlyCell(sheet, value=value)


def build_csv(events: Iterable, **_meta) -> tuple[bytes, int]:
    columns = _columns()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([title for title, _value in columns])
    rows = 0
    for event in events:
        writer.writerow([_safe(value(event)) for _title, value in columns])
        rows += 1
    # The byte-order mark makes Excel read the file as UTF-8, so Chinese text displays correctly.
    return buffer.getvalue().encode("utf-8-sig"), rows


def build_xlsx(
    events: Iterable, *, filters: dict, generated_at, truncated: bool, limit: int
) -> tuple[bytes, int]:
    columns = _columns()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Audit events"))
    sheet.append([title for title, _value in columns])
    rows = 0
    for event in events:
        sheet.append([_xlsx_cell(sheet, value(event)) for _title, value in columns])
        rows += 1
    about = workbook.create_sheet(_("About this export"))
    about.append(
        [_("Generated at (Beijing)"), generated_at.astimezone(BUSINESS_TZ).strftime("%Y-%m-%d %H:%M:%S")]
    )
    about.append([_("Rows"), rows])
    if truncated:
        about.append(
            [_("Truncated"), _("Only the first %(limit)d matching records are included.") % {"limit": limit}]
        )
    labels = {name: field.label for name, field in EventSearchForm.base_fields.items()}
    for name, value in sorted(filters.items()):
        label = _("Filter: %(name)s") % {"name": labels.get(name, name)}
        about.append([label, _xlsx_cell(about, str(value))])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), rows


@dataclass(frozen=True)
class Format:
    build: Callable[..., tuple[bytes, int]]
    content_type: str
    extension: str


FORMATS = {
    "csv": Format(build_csv, "text/csv; charset=utf-8", "csv"),
    "xlsx": Format(build_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


def filename(file_format: str, generated_at, *, truncated: bool) -> str:
    stamp = generated_at.astimezone(BUSINESS_TZ).strftime("%Y%m%d-%H%M%S")
    suffix = "-partial" if truncated else ""
    return f"audit-events-{stamp}{suffix}.{FORMATS[file_format].extension}"


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    filename: str
    content_type: str
    rows: int
    truncated: bool


def export_events(*, actor, filters: selectors.EventFilters, file_format: str) -> ExportFile:
    """The matching events (newest first, at most ROW_LIMIT) as a file; the export is audited."""
    if file_format not in FORMATS:
        raise ValueError(f"Unknown export format {file_format!r}.")
    output = FORMATS[file_format]
    queryset = selectors.search_events(actor=actor, filters=filters)
    truncated = queryset[ROW_LIMIT : ROW_LIMIT + 1].exists()
    generated_at = timezone.now()
    content, rows = output.build(
        queryset[:ROW_LIMIT].iterator(chunk_size=2000),
        filters=filters.as_dict(),
        generated_at=generated_at,
        truncated=truncated,
        limit=ROW_LIMIT,
    )
    with transaction.atomic():
        services.record_export(
            actor=actor, file_format=file_format, filters=filters.as_dict(), rows=rows, truncated=truncated
        )
    return ExportFile(
        content=content,
        filename=filename(file_format, generated_at, truncated=truncated),
        content_type=output.content_type,
        rows=rows,
        truncated=truncated,
    )
