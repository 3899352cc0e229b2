"""Submitting runs: uploads (size checked before reading, content sniffed), pulls, corrections.

A run is recorded as queued and handed to a Celery worker after commit (``tasks.run_batch``).
"""

import uuid
from pathlib import Path

import filetype
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from dfsp.audit.services import record_event
from dfsp.core.crypto import sm3_hex
from dfsp.core.errors import ValidationFailed
from dfsp.core.transitions import ensure_transition
from dfsp.datahub.models import DataSource, Delivery, IngestionBatch, QualityIssue, SourceStatus
from dfsp.datahub.services.common import ALLOWED_SUFFIXES, max_upload_bytes, require_writer
from dfsp.datahub.services.quality import move_issue
from dfsp.datahub.services.runs import run_batch
from dfsp.datahub.states import ALLOWED_TRANSITIONS, BatchStatus, IssueStatus


def submit_upload(
    *, actor, source: DataSource, uploaded_file, corrects_issue: QualityIssue | None = None
) -> IngestionBatch:
    """Check and store an uploaded file, record a queued run and hand it to a worker after commit."""
    require_writer(actor)
    name = Path(getattr(uploaded_file, "name", "") or "upload.csv").name[:200]
    suffix = Path(name).suffix.lower()
    size = getattr(uploaded_file, "size", None)
    if suffix not in ALLOWED_SUFFIXES:
        raise ValidationFailed(field_errors={"file": _("Upload a CSV, XLSX or JSON file.")})
    if size is None or size > max_upload_bytes():
        # Checked before reading a byte: a huge file is never loaded into memory.
        raise ValidationFailed(
            field_errors={
                "file": _("The file is larger than the allowed %(mb)d MB.")
                % {"mb": max_upload_bytes() // 1048576}
            }
        )
    if size == 0:
        raise ValidationFailed(field_errors={"file": _("The file is empty.")})
    head = uploaded_file.read(8192)
    uploaded_file.seek(0)
    kind = filetype.guess(head)
    if suffix == ".xlsx" and (kind is None or kind.extension not in ("xlsx", "zip")):
        raise ValidationFailed(field_errors={"file": _("This is not an Excel workbook.")})
    if suffix != ".xlsx" and kind is not None:
        raise ValidationFailed(field_errors={"file": _("This is not a text file.")})
    stored = default_storage.save(f"datahub/{source.code}/{uuid.uuid4().hex}{suffix}", uploaded_file)
    digest = sm3_hex(Path(default_storage.path(stored)).read_bytes())
    return queue_batch(
        actor=actor,
        source=source,
        origin="correction" if corrects_issue else "upload",
        file_name=name,
        stored=stored,
        digest=digest,
        corrects_issue=corrects_issue,
    )


def request_pull(*, actor, source: DataSource) -> IngestionBatch:
    require_writer(actor)
    if source.delivery != Delivery.PULL_API or not source.api_url:
        raise ValidationFailed(field_errors={"source": _("This source is not pulled from an API.")})
    return queue_batch(actor=actor, source=source, origin="pull", file_name="", stored="", digest="")


@transaction.atomic
def queue_batch(*, actor, source, origin, file_name, stored, digest, corrects_issue=None) -> IngestionBatch:
    if source.status != SourceStatus.ACTIVE:
        raise ValidationFailed(field_errors={"source": _("The source is paused.")})
    batch = IngestionBatch.objects.create(
        source=source,
        category=source.category,
        origin=origin,
        file_name=file_name,
        stored_path=stored,
        content_hash=digest,
        created_by=actor,
        corrects_issue=corrects_issue,
        watermark_from=source.watermark,
    )
    if corrects_issue is not None:
        corrects_issue = QualityIssue.objects.select_for_update().get(pk=corrects_issue.pk)
        move_issue(
            issue=corrects_issue,
            target=IssueStatus.RESUBMITTED,
            actor=actor,
            note=_("Corrected data resubmitted in run #%(id)s.") % {"id": batch.pk},
        )
    record_event(
        event_type="datahub.batch.submitted",
        actor=actor,
        object_type="datahub.ingestionbatch",
        object_id=batch.pk,
        details={"source": source.code, "origin": origin},
    )
    from dfsp.datahub import tasks

    transaction.on_commit(lambda: tasks.run_batch.delay(batch.pk))
    return batch


def queue_due_pulls() -> dict:
    """Beat entry: one pull run per active API source that has no run in progress."""
    queued = 0
    for source in DataSource.objects.filter(delivery=Delivery.PULL_API, status=SourceStatus.ACTIVE):
        if source.batches.filter(status__in=[BatchStatus.QUEUED, BatchStatus.RUNNING]).exists():
            continue
        queue_batch(actor=None, source=source, origin="pull", file_name="", stored="", digest="")
        queued += 1
    return {"queued": queued}


def resubmit_correction(*, actor, issue: QualityIssue, uploaded_file) -> IngestionBatch:
    """Upload corrected rows for an issue; the run re-checks them and closes or returns the issue."""
    issue = QualityIssue.objects.select_related("source").get(pk=issue.pk)
    ensure_transition(issue.status, IssueStatus.RESUBMITTED, ALLOWED_TRANSITIONS)
    return submit_upload(actor=actor, source=issue.source, uploaded_file=uploaded_file, corrects_issue=issue)


def ingest_file_now(*, actor, source: DataSource, path: Path) -> IngestionBatch:
    """Submit a local file through the normal upload path (demo, commands)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(path.name, path.read_bytes())
    batch = submit_upload(actor=actor, source=source, uploaded_file=upload)
    batch.refresh_from_db()
    if batch.status == BatchStatus.QUEUED:  # no eager worker: run it here
        run_batch(batch_id=batch.pk)
        batch.refresh_from_db()
    return batch
