"""Helpers shared by the data platform's services: who may write, upload limits, progress."""

import tempfile
from datetime import date
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from dfsp.core.errors import AccessDenied
from dfsp.datahub.models import IngestionBatch

WRITER_ROLES = frozenset({"operator"})
ALLOWED_SUFFIXES = (".csv", ".txt", ".xlsx", ".json", ".jsonl")


def max_upload_bytes() -> int:
    return int(getattr(settings, "DATAHUB_MAX_UPLOAD_BYTES", 200 * 1024 * 1024))


def require_writer(actor) -> None:
    """Operators act on the platform; ``None`` is the system itself (beat jobs, demo seeding)."""
    if actor is not None and not actor.has_any_role(WRITER_ROLES):
        raise AccessDenied()


def set_progress(batch_id: int, progress: int, stage: str) -> None:
    IngestionBatch.objects.filter(pk=batch_id).update(progress=progress, stage=stage)


def today() -> date:
    return timezone.localdate()


def temp_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="dfsp-datahub-"))
