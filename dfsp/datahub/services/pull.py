"""Pull connector: paginated JSON since the watermark, retries with back-off, fetched in full first."""

import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from dfsp.core.crypto import sm3_hex
from dfsp.datahub import pipeline
from dfsp.datahub.models import IngestionBatch
from dfsp.datahub.services.common import max_upload_bytes, set_progress


def _get_json(url: str) -> dict:
    retries = int(getattr(settings, "DATAHUB_PULL_RETRIES", 3))
    backoff = float(getattr(settings, "DATAHUB_PULL_BACKOFF_SECONDS", 0.2))
    last: Exception | None = None
    for attempt in range(retries + 1):
        try:
            with urllib.request.urlopen(url, timeout=15) as response:  # noqa: S310 (configured http(s) source)
                return json.loads(response.read(max_upload_bytes()).decode("utf-8"))
        except (urllib.error.URLError, TimeoutError, ValueError, ConnectionError) as exc:
            last = exc
            if attempt < retries:
                time.sleep(backoff * (2**attempt))
    raise pipeline.PipelineError(
        _("The source API failed after %(n)d attempts: %(error)s") % {"n": retries + 1, "error": last}
    )


def fetch_pull(batch: IngestionBatch) -> None:
    """Fetch every page since the watermark into a JSON-lines file; only then process it."""
    source = batch.source
    if not source.api_url.startswith(("http://", "https://")):
        raise pipeline.PipelineError(_("The source API address must be http(s)."))
    watermark = batch.watermark_from
    page, items, size = 1, [], 0
    high = watermark
    while page:
        query = urllib.parse.urlencode({"since": watermark, "page": page})
        payload = _get_json(f"{source.api_url}?{query}")
        page_items = payload.get("items") if isinstance(payload, dict) else None
        if not isinstance(page_items, list):
            raise pipeline.PipelineError(_("The source API answered with an unexpected document."))
        for item in page_items:
            line = json.dumps(item, ensure_ascii=False)
            size += len(line)
            if size > max_upload_bytes():
                raise pipeline.PipelineError(_("The pulled data is larger than allowed."))
            items.append(line)
            stamp = str(item.get("updated_at") or "")
            high = max(high, stamp)
        page = payload.get("next_page")
        set_progress(batch.pk, min(20, 5 + len(items) // 1000), "fetching")
    content = ("\n".join(items) + "\n").encode("utf-8")
    stored = default_storage.save(f"datahub/{source.code}/{uuid.uuid4().hex}.jsonl", _BytesFile(content))
    batch.stored_path, batch.file_name = stored, f"pull-{timezone.localdate():%Y%m%d}.jsonl"
    batch.content_hash, batch.watermark_to = sm3_hex(content), high
    IngestionBatch.objects.filter(pk=batch.pk).update(
        stored_path=stored, file_name=batch.file_name, content_hash=batch.content_hash, watermark_to=high
    )
    if not items:
        raise pipeline.PipelineError(_("The source API returned no new rows since the watermark."))


class _BytesFile:
    """Minimal file object for storage.save (avoids Django's ContentFile name juggling)."""

    def __init__(self, content: bytes) -> None:
        from django.core.files.base import ContentFile

        self._file = ContentFile(content)

    def __getattr__(self, name):
        return getattr(self._file, name)

    def chunks(self, chunk_size=None):
        return self._file.chunks(chunk_size)
