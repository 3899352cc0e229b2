"""Running a batch: fetch (pulls), read, standardise, check, load — or fail cleanly.

Ingestion is all or nothing: the records, the failing rows, the issues and the run's outcome
are written in one transaction; any failure leaves a failed run with its reason and no data.
Network I/O (pulls) happens before that transaction, never inside it.
"""

import logging
import time
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dfsp.audit.services import record_event
from dfsp.core.transitions import ensure_transition
from dfsp.datahub import loading, pipeline
from dfsp.datahub.catalogue import CATEGORIES
from dfsp.datahub.models import (
    CodeSet,
    DataElement,
    DataSource,
    FailedRow,
    FieldMapping,
    IngestionBatch,
    QualityIssue,
    QualityRule,
)
from dfsp.datahub.services.common import max_upload_bytes, set_progress
from dfsp.datahub.services.pull import fetch_pull
from dfsp.datahub.services.quality import move_issue, notify_owner
from dfsp.datahub.states import BATCH_TRANSITIONS, BatchStatus, IssueStatus

logger = logging.getLogger(__name__)


def run_batch(*, batch_id: int) -> IngestionBatch:
    """The worker's body: fetch (pulls), read, standardise, check, load — or fail cleanly."""
    with transaction.atomic():
        batch = IngestionBatch.objects.select_for_update().select_related("source").get(pk=batch_id)
        if batch.status != BatchStatus.QUEUED:
            return batch  # a retried task finds the work done
        ensure_transition(batch.status, BatchStatus.RUNNING, BATCH_TRANSITIONS)
        batch.status, batch.started_at, batch.stage = BatchStatus.RUNNING, timezone.now(), "reading"
        batch.save(update_fields=["status", "started_at", "stage"])
    started = time.monotonic()
    try:
        if batch.origin == "pull":
            set_progress(batch.pk, 5, "fetching")
            fetch_pull(batch)
        duplicate = (
            IngestionBatch.objects.filter(
                source=batch.source,
                category=batch.category,
                content_hash=batch.content_hash,
                status=BatchStatus.SUCCEEDED,
            )
            .exclude(pk=batch.pk)
            .first()
        )
        if duplicate is not None:
            return _finish_duplicate(batch, duplicate, started)
        result = _process(batch)
    except pipeline.PipelineError as exc:
        return _finish_failed(batch, str(exc), started)
    except Exception as exc:  # any other failure: a clear run report, nothing half-written
        logger.exception("ingestion failed", extra={"batch": batch.pk})
        return _finish_failed(batch, _("Unexpected error: %(kind)s") % {"kind": type(exc).__name__}, started)
    return _finish_succeeded(batch, result, started)


def _specs(source: DataSource, category: str):
    spec = CATEGORIES[category]
    element_codes = ("uscc", *spec.elements)
    elements = {}
    code_values = {
        cs.code: frozenset(cs.values.values_list("value", flat=True))
        for cs in CodeSet.objects.filter(is_current=True)
    }
    for e in DataElement.objects.filter(code__in=element_codes):
        elements[e.code] = pipeline.ElementSpec(
            e.code, e.data_type, e.fmt, code_values.get(e.code_set, frozenset())
        )
    mappings: dict[str, str] = {}
    for code in element_codes:
        mappings[code] = code
        if code in elements:
            mappings[DataElement.objects.get(code=code).name_zh] = code
    value_maps: dict[str, dict] = {}
    for m in FieldMapping.objects.filter(source=source).select_related("element"):
        mappings = {f: e for f, e in mappings.items() if e != m.element.code}
        mappings[m.source_field] = m.element.code
        if m.value_map:
            value_maps[m.element.code] = m.value_map
    rules = []
    for r in QualityRule.objects.filter(is_active=True).filter(Q(category="") | Q(category=category)):
        params = dict(r.params)
        if r.kind == "code_set":
            params["values"] = sorted(code_values.get(params.get("code_set", ""), ()))
        rules.append(
            pipeline.RuleSpec(
                r.code,
                r.kind,
                r.element,
                params,
                r.severity,
                float(r.warn_below),
                float(r.error_below),
                r.name,
            )
        )
    return mappings, value_maps, elements, rules, ("uscc", *spec.key)


def _process(batch: IngestionBatch) -> dict:
    path = Path(default_storage.path(batch.stored_path))
    if path.stat().st_size > max_upload_bytes():
        raise pipeline.PipelineError(_("The file is larger than allowed."))
    frame, encoding, malformed = pipeline.read_table(path, batch.file_name or path.name)
    set_progress(batch.pk, 25, "standardising")
    mappings, value_maps, elements, rules, required = _specs(batch.source, batch.category)
    standard, std_report = pipeline.standardise(
        frame, mappings=mappings, value_maps=value_maps, elements=elements, required=required
    )
    set_progress(batch.pk, 45, "checking")
    checked, stats = pipeline.check(standard, rules, today=timezone.localdate())
    accepted, failing = pipeline.split(checked, stats)
    records = pipeline.to_records(accepted, batch.category)
    failed = pipeline.failing_rows(failing, batch.category)
    for bad in malformed:
        failed.append(
            {
                "row": bad["row"],
                "uscc": "",
                "record_key": "",
                "rejected": True,
                "reasons": [bad["reason"]],
                "raw": bad["raw"],
            }
        )
    set_progress(batch.pk, 70, "loading")
    return {
        "encoding": encoding,
        "rows_read": frame.height + len(malformed),
        "records": records,
        "failed": failed,
        "stats": stats,
        "report": std_report,
        "rows_rejected": sum(1 for f in failed if f["rejected"]),
        "accepted_keys": set(zip(records["uscc"].to_list(), records["record_key"].to_list(), strict=True))
        if batch.corrects_issue_id
        else set(),
    }


def _finish_succeeded(batch: IngestionBatch, result: dict, started: float) -> IngestionBatch:
    quality = pipeline.scores(result["stats"])
    quality["rules"] = result["stats"]
    with transaction.atomic():
        batch = IngestionBatch.objects.select_for_update().select_related("source").get(pk=batch.pk)
        ensure_transition(batch.status, BatchStatus.SUCCEEDED, BATCH_TRANSITIONS)
        now = timezone.now()
        changed = loading.upsert_records(
            result["records"],
            category=batch.category,
            source_id=batch.source_id,
            batch_id=batch.pk,
            loaded_at=now,
        )
        FailedRow.objects.bulk_create(
            [
                FailedRow(
                    batch=batch,
                    row_number=f["row"],
                    uscc=f["uscc"],
                    record_key=f["record_key"],
                    rejected=f["rejected"],
                    reasons=f["reasons"],
                    raw=f["raw"],
                )
                for f in result["failed"]
            ],
            batch_size=2000,
        )
        batch.status, batch.progress, batch.stage = BatchStatus.SUCCEEDED, 100, "done"
        batch.encoding = result["encoding"]
        batch.rows_read = result["rows_read"]
        batch.rows_rejected = result["rows_rejected"]
        batch.rows_accepted = batch.rows_read - batch.rows_rejected
        batch.rows_changed = changed
        batch.report, batch.quality, batch.quality_score = result["report"], quality, quality["overall"]
        batch.finished_at, batch.duration_ms = now, int((time.monotonic() - started) * 1000)
        if batch.origin == "pull":
            batch.source.watermark = batch.watermark_to or batch.source.watermark
        batch.source.last_run_at = now
        batch.source.save(update_fields=["watermark", "last_run_at"])
        batch.save()
        for stat in result["stats"]:
            if stat["failed"] and stat["level"] != "ok":
                QualityIssue.objects.create(
                    batch=batch,
                    source=batch.source,
                    rule_code=stat["rule"],
                    failed_rows=stat["failed"],
                    summary=f"{stat['name']}: {stat['failed']} / {stat['checked']}",
                )
        if batch.corrects_issue_id:
            _recheck_issue(batch, result)
        record_event(
            event_type="datahub.batch.finished",
            object_type="datahub.ingestionbatch",
            object_id=batch.pk,
            details={"status": batch.status, "read": batch.rows_read, "rejected": batch.rows_rejected},
        )
    return batch


def _recheck_issue(batch: IngestionBatch, result: dict) -> None:
    issue = QualityIssue.objects.select_for_update().get(pk=batch.corrects_issue_id)
    if issue.status != IssueStatus.RESUBMITTED:
        return
    accepted = result["accepted_keys"]
    resolved = [
        row.pk
        for row in FailedRow.objects.filter(batch_id=issue.batch_id, resolved_by__isnull=True).only(
            "uscc", "record_key"
        )
        if (row.uscc, row.record_key) in accepted
    ]
    FailedRow.objects.filter(pk__in=resolved).update(resolved_by=batch)
    still = next((s["failed"] for s in result["stats"] if s["rule"] == issue.rule_code), 0)
    if still == 0:
        move_issue(
            issue=issue,
            target=IssueStatus.CLOSED,
            actor=None,
            note=_("Run #%(id)s passed the re-check.") % {"id": batch.pk},
        )
    else:
        move_issue(
            issue=issue,
            target=IssueStatus.FEEDBACK_SENT,
            actor=None,
            note=_("Run #%(id)s still has %(n)d failing rows.") % {"id": batch.pk, "n": still},
        )
        notify_owner(issue)


def _finish_failed(batch: IngestionBatch, reason: str, started: float) -> IngestionBatch:
    with transaction.atomic():
        batch = IngestionBatch.objects.select_for_update().get(pk=batch.pk)
        ensure_transition(batch.status, BatchStatus.FAILED, BATCH_TRANSITIONS)
        batch.status, batch.stage, batch.error = BatchStatus.FAILED, "failed", reason[:2000]
        batch.finished_at, batch.duration_ms = timezone.now(), int((time.monotonic() - started) * 1000)
        batch.save(
            update_fields=[
                "status",
                "stage",
                "error",
                "finished_at",
                "duration_ms",
                "content_hash",
                "watermark_to",
            ]
        )
        if batch.corrects_issue_id:
            issue = QualityIssue.objects.select_for_update().get(pk=batch.corrects_issue_id)
            if issue.status == IssueStatus.RESUBMITTED:
                move_issue(
                    issue=issue,
                    target=IssueStatus.FEEDBACK_SENT,
                    actor=None,
                    note=_("Run #%(id)s failed: %(reason)s") % {"id": batch.pk, "reason": reason[:200]},
                )
        record_event(
            event_type="datahub.batch.finished",
            object_type="datahub.ingestionbatch",
            object_id=batch.pk,
            outcome="failure",
            details={"status": batch.status},
        )
    return batch


def _finish_duplicate(batch: IngestionBatch, duplicate: IngestionBatch, started: float) -> IngestionBatch:
    with transaction.atomic():
        batch = IngestionBatch.objects.select_for_update().get(pk=batch.pk)
        ensure_transition(batch.status, BatchStatus.DUPLICATE, BATCH_TRANSITIONS)
        batch.status, batch.stage, batch.progress, batch.duplicate_of = (
            BatchStatus.DUPLICATE,
            "done",
            100,
            duplicate,
        )
        batch.error = _("Identical content was loaded by run #%(id)s; nothing changed.") % {
            "id": duplicate.pk
        }
        batch.finished_at, batch.duration_ms = timezone.now(), int((time.monotonic() - started) * 1000)
        batch.save()
        record_event(
            event_type="datahub.batch.finished",
            object_type="datahub.ingestionbatch",
            object_id=batch.pk,
            details={"status": batch.status, "duplicate_of": duplicate.pk},
        )
    return batch
