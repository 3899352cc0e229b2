"""Benchmark: the consent gate — decision + call-log write per read — against an ungated read.

Seeds the 大庆 demo organisations, datahub's demo credit data and one grant, then reads the same
enterprise's profile (registration + tax + judicial) N times:

* ungated: ``dfsp.datahub.selectors.get_credit_profile`` (the baseline);
* gated: ``dfsp.consent.gate.read_credit_profile`` (grant lookup, row lock and count, call log,
  profile read, scope/range trimming and masking);
* gate only: the same with a provider returning an already-loaded profile, i.e. the cost the
  gate adds per read (decision + locked counter + call-log insert + masking).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dfsp_bench_consent .venv/bin/python benchmarks/consent_gate.py
"""

import contextlib
import io
import os
import sys
import time
from pathlib import Path

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/dfsp_bench_consent"
READS = int(os.environ.get("BENCH_READS", "2000"))


def sign_bench_grant(consent_demo, ent_admin, institution, scopes) -> None:
    consent_demo.sign_demo_grant(
        signer=ent_admin, institution=institution, scopes=scopes, purpose_type="demand", purpose_id="BENCH",
        limit=None,
    )  # fmt: skip


def _ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def _timed(label: str, body, reads: int) -> float:
    body()  # warm-up
    start = time.perf_counter()
    for _ in range(reads):
        body()
    elapsed = time.perf_counter() - start
    print(f"{label:<34} {reads / elapsed:10.0f} reads/s   {elapsed / reads * 1000:7.3f} ms/read")
    return elapsed / reads


def main() -> None:
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_DB)
    if url.startswith("postgres"):
        _ensure_database(url)
    os.environ.setdefault("DFSP_VAR_DIR", "/tmp/var-bench-consent")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from dfsp.accounts import demo as accounts_demo
    from dfsp.consent import demo as consent_demo
    from dfsp.consent import gate, selectors
    from dfsp.consent.models import CallLog
    from dfsp.datahub import demo as datahub_demo
    from dfsp.datahub import selectors as datahub

    sink = io.StringIO()
    for module in (accounts_demo, datahub_demo, consent_demo):
        module.seed(sink)
    users = get_user_model().objects
    ent_admin, officer = users.get(username="ent_admin"), users.get(username="bank_officer")
    uscc = selectors.acting_organisation(ent_admin).uscc
    scopes = ["registration", "tax", "judicial"]
    # The enterprise admin previews and signs, as the signing page does (idempotent per purpose).
    # Only accounts, datahub and consent are seeded (no demands), so the financing app's check that
    # the purpose reference is a real demand is set aside for this one signature: it runs once at
    # signing and is not part of what is measured (the read path).
    from unittest import mock

    from dfsp.consent import purposes

    with mock.patch.dict(purposes._CHECKERS, clear=True):
        sign_bench_grant(consent_demo, ent_admin, selectors.acting_organisation(officer), scopes)
    loaded = datahub.get_credit_profile(uscc=uscc)
    print(
        f"engine {connection.vendor}; enterprise {uscc}; {sum(len(s.records) for s in loaded.sections.values())} "
        f"records in {len(loaded.sections)} categories; {READS} reads each\n"
    )

    def ungated():
        datahub.get_credit_profile(uscc=uscc)

    def gated():
        gate.read_credit_profile(
            actor=officer, uscc=uscc, elements_or_scopes=scopes, purpose_type="demand", purpose_id="BENCH"
        )

    def gate_only():
        gate.read_credit_profile(
            actor=officer,
            uscc=uscc,
            elements_or_scopes=scopes,
            purpose_type="demand",
            purpose_id="BENCH",
            provider=lambda *, uscc: loaded,
        )

    def refused():
        with contextlib.suppress(gate.GateRefused):
            gate.read_credit_profile(
                actor=officer,
                uscc=uscc,
                elements_or_scopes=scopes,
                purpose_type="demand",
                purpose_id="NO-SUCH-PURPOSE",
            )

    logs_before = CallLog.objects.count()
    base = _timed("ungated get_credit_profile", ungated, READS)
    full = _timed("gated read_credit_profile", gated, READS)
    only = _timed("gate only (profile preloaded)", gate_only, READS)
    _timed("refused read (no grant)", refused, READS)
    written = CallLog.objects.count() - logs_before
    print(f"\ncall logs written: {written} (expected {3 * (READS + 1)})")
    print(f"overhead ratio gated / ungated: {full / base:.2f}x  (+{(full - base) * 1000:.3f} ms per read)")
    print(f"gate-only cost as share of an ungated read: {only / base:.2f}x")


if __name__ == "__main__":
    main()
