"""Writes of the data platform (DATA-1…DATA-4), one module per concern.

``from dfsp.datahub import services`` stays the entry point for views, the API, tasks, the demo,
other apps and tests; the names below are the public surface.
"""

from dfsp.datahub.services.common import (
    ALLOWED_SUFFIXES,
    WRITER_ROLES,
    max_upload_bytes,
    temp_dir,
    today,
)
from dfsp.datahub.services.quality import send_feedback, waive_issue
from dfsp.datahub.services.rules import default_rules
from dfsp.datahub.services.runs import run_batch
from dfsp.datahub.services.sources import create_source, set_mapping, set_source_status
from dfsp.datahub.services.standards import (
    activate_masking_policy,
    export_frame,
    install_standards,
    pseudonym_key,
    reveal_value,
)
from dfsp.datahub.services.submission import (
    ingest_file_now,
    queue_due_pulls,
    request_pull,
    resubmit_correction,
    submit_upload,
)

__all__ = [
    "ALLOWED_SUFFIXES",
    "WRITER_ROLES",
    "activate_masking_policy",
    "create_source",
    "default_rules",
    "export_frame",
    "ingest_file_now",
    "install_standards",
    "max_upload_bytes",
    "pseudonym_key",
    "queue_due_pulls",
    "request_pull",
    "resubmit_correction",
    "reveal_value",
    "run_batch",
    "send_feedback",
    "set_mapping",
    "set_source_status",
    "submit_upload",
    "temp_dir",
    "today",
    "waive_issue",
]
