"""Benchmark: repayment schedules for 100,000 loans and the daily overdue job over 1,000,000
past-due instalments.

Stages:
1. ``schedules.generate`` for 100,000 loans (12-month loans, the four methods in turn): seconds
   and instalments per second (pure Python, exact Decimal).
2. Loading them (bulk insert; setup, reported but not the point).
3. ``services.run_overdue_job`` (Polars + a staging table and one ``UPDATE … FROM``) over the
   1,000,000 unpaid past-due instalments (10 of each loan's 12), then again the same day (must add
   nothing). Baseline: a per-row ORM implementation (load instalment and loan, Decimal arithmetic,
   ``save()``, loan status per row) timed on a sample inside a rolled-back transaction and
   EXTRAPOLATED to the full set — the output says so.

SQLite by default (a file under DFSP_VAR_DIR); PostgreSQL when DATABASE_URL is set:

    .venv/bin/python benchmarks/loans.py [--loans N] [--sample N]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/loans_bench .venv/bin/python benchmarks/loans.py
"""

import argparse
import os
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DFSP_VAR_DIR", "/tmp/var-loans-bench")


def _ensure_postgres_database() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


_ensure_postgres_database()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from dfsp.accounts.tests.factories import OrganisationFactory, member  # noqa: E402
from dfsp.financing.models import Application  # noqa: E402
from dfsp.financing.tests.helpers import make_live_product  # noqa: E402
from dfsp.loans import schedules, services  # noqa: E402
from dfsp.loans.models import Instalment, Loan, LoanEvent, ScheduleVersion  # noqa: E402
from dfsp.loans.states import Bucket, InstalmentStatus, LoanStatus, bucket_for  # noqa: E402

METHODS = ["equal_instalment", "equal_principal", "interest_first", "equal_instalment"]
TERM = 12
PAST_DUE = 10
BATCH = 5000


def timed(label, fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    seconds = time.perf_counter() - start
    print(f"{label}: {seconds:.2f} s", flush=True)
    return result, seconds


def reset_loans_tables() -> None:
    for model in (LoanEvent, Instalment, ScheduleVersion):
        model.objects.all().delete()
    Loan.objects.all().delete()
    Application.objects.filter(purpose="benchmark").delete()


def generate_all(n: int, start: date) -> list[list]:
    out = []
    for i in range(n):
        out.append(
            schedules.generate(
                principal=Decimal(100_000 + (i % 97) * 1000),
                annual_rate=Decimal("4.35") + Decimal(i % 5) / 10,
                term_months=TERM,
                start_date=start,
                repayment_day=1 + i % 28,
                method=METHODS[i % 4],
            )
        )
    return out


def load(n: int, rows: list[list], start: date) -> None:
    officer = member("institution_user", username="bench_officer")
    operator = member("operator", username="bench_operator")
    product = make_live_product(officer, operator)
    institution = officer.memberships.first().organisation
    enterprises = [
        OrganisationFactory(name=f"大庆基准企业{i}有限公司", uscc=f"91230600BENCH{i:05d}") for i in range(100)
    ]
    for offset in range(0, n, BATCH):
        count = min(BATCH, n - offset)
        apps_ = Application.objects.bulk_create(
            [
                Application(
                    enterprise=enterprises[(offset + k) % 100],
                    institution=institution,
                    product=product,
                    applicant=officer,
                    enterprise_name=enterprises[(offset + k) % 100].name,
                    uscc=enterprises[(offset + k) % 100].uscc,
                    product_name=product.name,
                    amount=Decimal(200_000),
                    term_months=TERM,
                    purpose="benchmark",
                    status="disbursed",
                )
                for k in range(count)
            ]
        )
        loans = Loan.objects.bulk_create(
            [
                Loan(
                    application=application,
                    institution=institution,
                    enterprise=application.enterprise,
                    enterprise_name=application.enterprise_name,
                    uscc=application.uscc,
                    institution_name=institution.name,
                    product_name=product.name,
                    contract_number=f"BENCH-{offset + k:07d}",
                    principal=sum(r.principal for r in rows[offset + k]),
                    annual_rate=Decimal("4.35"),
                    penalty_rate=Decimal("6.525"),
                    term_months=TERM,
                    start_date=start,
                    maturity_date=rows[offset + k][-1].due_date,
                    repayment_day=rows[offset + k][0].due_date.day,
                    method=METHODS[(offset + k) % 4],
                    outstanding_principal=sum(r.principal for r in rows[offset + k]),
                )
                for k, application in enumerate(apps_)
            ]
        )
        versions = ScheduleVersion.objects.bulk_create(
            [
                ScheduleVersion(
                    loan=loan,
                    number=1,
                    reason="disbursement",
                    principal=loan.principal,
                    annual_rate=loan.annual_rate,
                    term_months=TERM,
                    start_date=start,
                    repayment_day=loan.repayment_day,
                    method=loan.method,
                )
                for loan in loans
            ]
        )
        Instalment.objects.bulk_create(
            [
                Instalment(
                    loan=loan,
                    schedule=version,
                    number=row.number,
                    due_date=row.due_date,
                    principal_due=row.principal,
                    interest_due=row.interest,
                )
                for k, (loan, version) in enumerate(zip(loans, versions, strict=True))
                for row in rows[offset + k]
            ],
            batch_size=BATCH,
        )


def reset_overdue_state() -> None:
    LoanEvent.objects.all().delete()
    Instalment.objects.update(
        penalty_interest=0,
        overdue_interest=0,
        accrued_through=None,
        days_past_due=0,
        max_days_past_due=0,
        bucket=Bucket.CURRENT,
        status=InstalmentStatus.PENDING,
    )
    Loan.objects.update(status=LoanStatus.ACTIVE, days_past_due=0, bucket=Bucket.CURRENT)


def per_row_overdue(today: date, instalment_ids: list[int]) -> None:
    """The baseline: what a straightforward ORM job does, one instalment and one loan at a time."""
    for pk in instalment_ids:
        row = Instalment.objects.select_related("loan").get(pk=pk)
        loan = row.loan
        daily = loan.penalty_rate / Decimal(100) / Decimal(360)
        start = max(row.accrued_through or row.due_date, row.due_date)
        days = (today - start).days
        row.days_past_due = (today - row.due_date).days
        row.max_days_past_due = max(row.max_days_past_due, row.days_past_due)
        row.bucket = bucket_for(row.days_past_due)
        row.penalty_interest += schedules.to_fen((row.principal_due - row.principal_paid) * daily * days)
        row.overdue_interest += schedules.to_fen((row.interest_due - row.interest_paid) * daily * days)
        row.status = InstalmentStatus.OVERDUE
        row.accrued_through = today
        row.save(
            update_fields=[
                "days_past_due",
                "max_days_past_due",
                "bucket",
                "penalty_interest",
                "overdue_interest",
                "status",
                "accrued_through",
            ]
        )
        if loan.status != LoanStatus.OVERDUE or loan.days_past_due < row.days_past_due:
            loan.status = LoanStatus.OVERDUE
            loan.days_past_due = max(loan.days_past_due, row.days_past_due)
            loan.bucket = bucket_for(loan.days_past_due) or Bucket.CURRENT
            loan.save(update_fields=["status", "days_past_due", "bucket"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--loans", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=10_000, help="instalments for the per-row baseline")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep loans loaded by an earlier run; only reset their overdue state",
    )
    args = parser.parse_args()
    engine = connection.vendor
    print(f"engine: {engine}; loans: {args.loans:,}; instalments per loan: {TERM}", flush=True)
    call_command("migrate", verbosity=0)
    reuse = args.reuse and Loan.objects.filter(contract_number__startswith="BENCH-").count() == args.loans
    if not reuse:
        reset_loans_tables()
    # repayment days 1–28: on 29 November instalments 1–10 (January start: due February–November)
    # are past due for every loan, 11 and 12 are not
    today = date(2026, 11, 29)
    start = date(2026, 1, 1)

    rows, gen_seconds = timed(
        f"1. schedules.generate for {args.loans:,} loans", generate_all, args.loans, start
    )
    count = sum(len(r) for r in rows)
    print(f"   {count:,} instalments, {count / gen_seconds:,.0f} instalments/s", flush=True)
    if reuse:
        _, load_seconds = timed("2. reuse the loaded loans; reset their overdue state", reset_overdue_state)
    else:
        _, load_seconds = timed("2. bulk load (setup)", load, args.loans, rows, start)
    past_due = Instalment.objects.filter(due_date__lt=today).count()
    print(f"   past-due unpaid instalments: {past_due:,}", flush=True)

    sample_ids = list(
        Instalment.objects.filter(due_date__lt=today)
        .order_by("?")
        .values_list("pk", flat=True)[: args.sample]
    )
    with transaction.atomic():
        _, base_seconds = timed(
            f"   baseline per-row ORM on a sample of {len(sample_ids):,}", per_row_overdue, today, sample_ids
        )
        transaction.set_rollback(True)
    extrapolated = base_seconds * past_due / max(1, len(sample_ids))
    print(f"   baseline EXTRAPOLATED to {past_due:,} instalments: {extrapolated:.1f} s", flush=True)

    summary, job_seconds = timed("3. run_overdue_job (vectorised)", services.run_overdue_job, today=today)
    print(
        f"   {summary['instalments_updated']:,} instalments and {summary['loans_updated']:,} loans written; "
        f"{past_due / job_seconds:,.0f} instalments/s",
        flush=True,
    )
    again, again_seconds = timed("   second run the same day", services.run_overdue_job, today=today)
    assert again["instalments_updated"] == 0 and again["penalty_added_fen"] == 0, again
    _, next_seconds = timed("   next day's run", services.run_overdue_job, today=today + timedelta(days=1))
    print(
        f"\nRESULT ({engine}): schedules {gen_seconds:.1f} s for {args.loans:,} loans; overdue job "
        f"{job_seconds:.1f} s over {past_due:,} instalments (same-day rerun {again_seconds:.1f} s, next day "
        f"{next_seconds:.1f} s); per-row ORM baseline ≈ {extrapolated:.0f} s (extrapolated from "
        f"{len(sample_ids):,}) → {extrapolated / job_seconds:.1f}× faster; load {load_seconds:.1f} s",
        flush=True,
    )


if __name__ == "__main__":
    main()
