"""Production settings pass Django's deployment checks, and Celery runs jobs on a real worker."""

import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent


def production_env(tmp_path, **extra) -> dict:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(ROOT)),
        "SECRET_KEY": "x" * 20 + uuid.uuid4().hex + uuid.uuid4().hex,
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "ALLOWED_HOSTS": "dfsp.example.gov.cn",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "DFSP_VAR_DIR": str(tmp_path / "var"),
    }
    env.update(extra)
    return env


def test_check_deploy_passes_with_production_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("variable, check_id", [("DFSP_DEMO", "dfsp.E001"), ("DFSP_TEST_MODE", "dfsp.E002")])
def test_check_deploy_fails_when_demo_or_test_mode_is_on(tmp_path, variable, check_id):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(tmp_path, **{variable: "1"}),
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert check_id in result.stderr + result.stdout


@pytest.mark.parametrize(
    "variable, value",
    [
        ("DFSP_AUDIT_RETENTION_DAYS", "183"),  # 等保 level 3: at least six months
        ("DFSP_SESSION_IDLE_MINUTES", "0"),
        ("DFSP_PASSWORD_MAX_AGE_DAYS", "abc"),
        ("DFSP_COMPLAINT_REPLY_HOURS", "0"),
    ],
)
def test_a_security_setting_out_of_range_stops_the_start(tmp_path, variable, value):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=production_env(tmp_path, **{variable: value}),
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert variable in result.stderr


def test_production_mode_refuses_to_start_without_a_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_a_malformed_boolean_fails_loudly(tmp_path):
    env = production_env(tmp_path, DEBUG="maybe")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_embedded_mode_generates_and_keeps_its_secret_key(tmp_path):
    env = production_env(tmp_path)
    for name in ("SECRET_KEY", "REDIS_URL", "ALLOWED_HOSTS"):
        del env[name]
    for _ in range(2):
        result = subprocess.run(
            [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
    key_file = tmp_path / "var" / "secret_key"
    assert len(key_file.read_text()) >= 50
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_celery_worker_runs_the_dormant_account_job_through_redis():
    from config.celery import app
    from dfsp.accounts.models import User
    from dfsp.accounts.tasks import disable_dormant_accounts
    from dfsp.accounts.tests.factories import UserFactory
    from dfsp.core.models import JobRun

    assert settings.CELERY_BROKER_URL.startswith("redis://"), "this leg runs with REDIS_URL set"
    dormant = UserFactory(last_login=timezone.now() - timedelta(days=settings.DORMANT_ACCOUNT_DAYS + 1))
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": database_url, "CELERY_TASK_ALWAYS_EAGER": "0"}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool",
            "solo",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        disable_dormant_accounts.apply_async(queue=queue)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not JobRun.objects.filter(outcome="succeeded").exists():
            assert worker.poll() is None, worker.stdout.read()
            time.sleep(0.5)
    finally:
        app.conf.task_always_eager = previous
        worker.terminate()
        worker.wait(timeout=20)
    run = JobRun.objects.get(job="accounts.disable_dormant_accounts")
    assert run.outcome == "succeeded" and run.summary == {"disabled": 1}
    assert not User.objects.get(pk=dormant.pk).is_active
