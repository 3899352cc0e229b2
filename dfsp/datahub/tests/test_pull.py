import json
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from dfsp.datahub import services
from dfsp.datahub.models import CreditRecord, IngestionBatch
from dfsp.datahub.states import BatchStatus


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def simulator():
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "dfsp.datahub.simulator", "--port", str(port)])
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/health", timeout=1).close()  # noqa: S310 (loopback simulator)
            break
        except OSError:
            time.sleep(0.05)
    yield base
    process.terminate()
    process.wait(timeout=5)


def control(base: str, **command) -> None:
    request = urllib.request.Request(base + "/_control", data=json.dumps(command).encode(), method="POST")  # noqa: S310
    urllib.request.urlopen(request, timeout=2).close()  # noqa: S310


@pytest.fixture
def pull_source(standards, operator_user, simulator, settings):
    settings.DATAHUB_PULL_BACKOFF_SECONDS = 0.01
    settings.DATAHUB_PULL_RETRIES = 2
    return services.create_source(
        actor=operator_user,
        code="hrss",
        name="社保参保信息",
        kind="gov_exchange",
        delivery="pull_api",
        category="social_insurance",
        owner_department="大庆市人力资源和社会保障局",
        api_url=simulator + "/records",
    )


def pull(source, actor, capture):
    with capture(execute=True):
        batch = services.request_pull(actor=actor, source=source)
    return IngestionBatch.objects.get(pk=batch.pk)


def test_pull_retries_a_transient_failure_and_sets_the_watermark(
    pull_source, simulator, operator_user, django_capture_on_commit_callbacks
):
    control(simulator, fail_next=1)
    batch = pull(pull_source, operator_user, django_capture_on_commit_callbacks)
    assert batch.status == BatchStatus.SUCCEEDED, batch.error
    assert batch.rows_read == 60 and CreditRecord.objects.filter(category="social_insurance").count() == 60
    pull_source.refresh_from_db()
    assert pull_source.watermark == batch.watermark_to != ""


def test_failed_pull_writes_nothing_and_the_next_run_resumes_from_the_watermark(
    pull_source, simulator, operator_user, django_capture_on_commit_callbacks
):
    first = pull(pull_source, operator_user, django_capture_on_commit_callbacks)
    watermark = first.watermark_to
    # given: five newer records, and a source that keeps failing on page 1
    control(simulator, add=5, fail_next=50, fail_page=1)
    failed = pull(pull_source, operator_user, django_capture_on_commit_callbacks)
    assert failed.status == BatchStatus.FAILED and "HTTP Error 500" in failed.error
    pull_source.refresh_from_db()
    assert pull_source.watermark == watermark
    assert CreditRecord.objects.count() == 60
    # when the source recovers, the next run fetches only what is newer than the watermark
    control(simulator, reset_failures=True)
    resumed = pull(pull_source, operator_user, django_capture_on_commit_callbacks)
    assert resumed.status == BatchStatus.SUCCEEDED and resumed.rows_read == 5
    assert resumed.watermark_from == watermark and resumed.watermark_to > watermark
    assert CreditRecord.objects.filter(period="2026-10").count() == 5


def test_queue_due_pulls_skips_sources_with_a_run_in_progress(pull_source, simulator):
    summary = services.queue_due_pulls()
    assert summary == {"queued": 1}
    assert services.queue_due_pulls() == {"queued": 0}


def test_pull_only_for_api_sources(source, operator_user):
    from dfsp.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        services.request_pull(actor=operator_user, source=source)
