"""Benchmark: 1,000,000 enterprise registration rows from a generated CSV file.

Stages (the very code ingestion runs): read → standardise → quality-check (the platform's default
rules, compiled to Polars expressions) → split/shape records → display-mask the personal columns.
Baselines on a 100,000-row subset (said in the output): (a) the same checks and masking row by
row in Python, (b) pandera (polars backend) validating the same rules. Then loading the records
into PostgreSQL with ``loading.upsert_records`` (the ingestion's loader, one transaction per load)
three times: into an empty table, the same data again (must change nothing), and with 1% of the
rows changed; each with rows/s and the ratio to the 100,000 rows/s target.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dfsp_bench .venv/bin/python benchmarks/datahub.py \
        [--rows N] [--skip-baselines]
"""

import argparse
import contextlib
import os
import re
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dfsp_bench")
os.environ.setdefault("DFSP_VAR_DIR", "/tmp/var-datahub-bench")

import django

django.setup()

import polars as pl  # noqa: E402

from dfsp.core import masking  # noqa: E402
from dfsp.core.identifiers import is_valid_uscc  # noqa: E402
from dfsp.core.industries import GBT4754_SECTIONS  # noqa: E402
from dfsp.core.regions import HEILONGJIANG_DIVISIONS  # noqa: E402
from dfsp.datahub import generator, pipeline  # noqa: E402
from dfsp.datahub.catalogue import CATEGORIES, ELEMENTS, SMALL_CODE_SETS  # noqa: E402
from dfsp.datahub.services import default_rules  # noqa: E402

TODAY = date.today()
CODE_SETS = {code: list(values) for code, (_, values) in SMALL_CODE_SETS.items()}
CODE_SETS["GBT2260"] = list(HEILONGJIANG_DIVISIONS)
CODE_SETS["GBT4754_SECTION"] = list(GBT4754_SECTIONS)
MASKED = {
    "legal_rep_name": "name",
    "legal_rep_id": "id_number",
    "legal_rep_mobile": "mobile",
    "address": "address",
}


def specs():
    category = "registration"
    codes = ("uscc", *CATEGORIES[category].elements)
    elements = {e.code: pipeline.ElementSpec(e.code, e.data_type, e.fmt) for e in ELEMENTS if e.code in codes}
    rules = []
    for r in default_rules():
        if r["category"] not in ("", category):
            continue
        params = dict(r["params"])
        if r["kind"] == "code_set":
            params["values"] = CODE_SETS[params["code_set"]]
        rules.append(
            pipeline.RuleSpec(
                r["code"],
                r["kind"],
                r["element"],
                params,
                r["severity"],
                r["warn_below"],
                r["error_below"],
                r["name"],
            )
        )
    return {c: c for c in codes}, elements, rules


def timed(label, fn, rows, results):
    start = time.perf_counter()
    value = fn()
    seconds = time.perf_counter() - start
    results[label] = (seconds, rows / seconds if seconds else float("inf"))
    print(f"  {label:<34} {seconds:8.3f} s  {rows / seconds:>13,.0f} rows/s")
    return value


def polars_pipeline(path: Path, rows: int, results: dict):
    mappings, elements, rules = specs()
    frame, _, _ = timed("read CSV", lambda: pipeline.read_table(path, path.name), rows, results)
    standard, _ = timed(
        "standardise",
        lambda: pipeline.standardise(
            frame, mappings=mappings, value_maps={}, elements=elements, required=("uscc",)
        ),
        rows,
        results,
    )
    checked, stats = timed(
        "quality-check", lambda: pipeline.check(standard, rules, today=TODAY), rows, results
    )
    accepted, failing = timed("split + shape records", lambda: _split_shape(checked, stats), rows, results)
    masked = timed(
        "mask (display, 4 columns)",
        lambda: masking.mask_frame(accepted[0], {c: (masking.MASK, k) for c, k in MASKED.items()}),
        rows,
        results,
    )
    return accepted[1], failing, masked, stats


def _split_shape(checked, stats):
    accepted, failing = pipeline.split(checked, stats)
    return (accepted, pipeline.to_records(accepted, "registration")), failing


# --- Baseline (a): the same checks and masks row by row -------------------------------------------


def row_by_row(rows: list[dict]) -> int:
    from stdnum.cn import ric

    mobile = re.compile(r"^1[3-9]\d{9}$")
    division, sections, statuses = (
        set(CODE_SETS["GBT2260"]),
        set(CODE_SETS["GBT4754_SECTION"]),
        set(CODE_SETS["REG_STATUS"]),
    )
    seen: set = set()
    rejected = 0
    for row in rows:
        ok = True
        uscc = (row["uscc"] or "").strip().upper()
        name = (row["ent_name"] or "").strip() or None
        capital = row["reg_capital"]
        try:
            capital_value = float(capital.replace(",", "")) if capital else None
        except ValueError:
            capital_value = None
        try:
            established = date.fromisoformat(row["established_on"]) if row["established_on"] else None
        except ValueError:
            established, ok = None, False
        ok &= bool(uscc) and is_valid_uscc(uscc)
        ok &= name is not None
        ok &= row["reg_status"] is None or row["reg_status"] in statuses
        ok &= row["division"] is None or row["division"] in division
        ok &= row["industry"] is None or row["industry"] in sections
        ok &= capital_value is None or 0 <= capital_value <= 10_000_000
        ok &= established is None or established <= TODAY
        _ = row["legal_rep_id"] is None or ric.is_valid(row["legal_rep_id"])
        _ = row["legal_rep_mobile"] is None or bool(mobile.match(row["legal_rep_mobile"]))
        _ = uscc in seen
        seen.add(uscc)
        if not ok:
            rejected += 1
            continue
        for column, kind in MASKED.items():
            masking.mask_value(row[column], kind)
    return rejected


# --- Baseline (b): pandera on the same rules -------------------------------------------------------


def pandera_validate(frame: pl.DataFrame) -> None:
    import pandera.polars as pa

    def expr_check(expr):
        return pa.Check(lambda data: data.lazyframe.select(expr.fill_null(True)))

    col = pl.col
    schema = pa.DataFrameSchema(
        {
            "uscc": pa.Column(
                str,
                nullable=True,
                checks=[
                    expr_check(col("uscc").is_not_null()),
                    expr_check(pipeline.uscc_valid_expr(col("uscc"))),
                ],
            ),
            "ent_name": pa.Column(str, nullable=True, checks=[expr_check(col("ent_name").is_not_null())]),
            "reg_status": pa.Column(str, nullable=True, checks=[pa.Check.isin(CODE_SETS["REG_STATUS"])]),
            "division": pa.Column(str, nullable=True, checks=[pa.Check.isin(CODE_SETS["GBT2260"])]),
            "industry": pa.Column(str, nullable=True, checks=[pa.Check.isin(CODE_SETS["GBT4754_SECTION"])]),
            "reg_capital": pa.Column(
                str,
                nullable=True,
                checks=[
                    expr_check(col("reg_capital").cast(pl.Float64, strict=False).is_between(0, 10_000_000))
                ],
            ),
            "legal_rep_id": pa.Column(
                str, nullable=True, checks=[expr_check(pipeline.id_number_valid_expr(col("legal_rep_id")))]
            ),
            "legal_rep_mobile": pa.Column(
                str, nullable=True, checks=[pa.Check.str_matches(r"^1[3-9]\d{9}$")]
            ),
            "established_on": pa.Column(
                str,
                nullable=True,
                checks=[expr_check(col("established_on").str.to_date(strict=False) <= pl.lit(TODAY))],
            ),
        },
        unique=None,
    )
    with contextlib.suppress(pa.errors.SchemaErrors):  # dirty rows are expected; we measure the validation
        schema.validate(frame, lazy=True)


LOAD_TARGET = 100_000  # rows/s, first load and reload alike


def postgres_load(records: pl.DataFrame) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from dfsp.datahub import loading
    from dfsp.datahub.models import CreditRecord, DataSource, IngestionBatch

    if connection.vendor != "postgresql":
        print("PostgreSQL load: skipped (DATABASE_URL is not PostgreSQL)")
        return
    _ensure_database()
    call_command("migrate", verbosity=0)
    source, _ = DataSource.objects.get_or_create(
        code="bench",
        defaults={
            "name": "bench",
            "kind": "manual",
            "delivery": "file_drop",
            "category": "registration",
            "owner_department": "bench",
        },
    )
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {CreditRecord._meta.db_table}")
    every_hundredth = pl.int_range(pl.len()) % 100 == 0
    one_percent_changed = records.with_columns(
        pl.when(every_hundredth)
        .then(pl.col("data").str.replace(r"\}$", ',"bench_revision":2}'))
        .otherwise(pl.col("data"))
        .alias("data"),
        pl.when(every_hundredth)
        .then(pl.lit("bench-changed"))
        .otherwise(pl.col("row_hash"))
        .alias("row_hash"),
    )
    rows = records.height
    for attempt, frame in (
        ("first load", records),
        ("same data again", records),
        ("1% of rows changed", one_percent_changed),
    ):
        batch = IngestionBatch.objects.create(source=source, category="registration", origin="upload")
        server_cpu, client_cpu = _server_cpu_seconds(), time.process_time()
        start = time.perf_counter()
        with transaction.atomic():  # one transaction per batch, as ingestion runs it
            changed = loading.upsert_records(
                frame,
                category="registration",
                source_id=source.pk,
                batch_id=batch.pk,
                loaded_at=timezone.now(),
            )
        seconds = time.perf_counter() - start
        rate = rows / seconds
        server_cpu = _server_cpu_seconds() - server_cpu if server_cpu is not None else float("nan")
        print(
            f"  {attempt:<20} {seconds:8.3f} s  {rate:>11,.0f} rows/s  "
            f"{rate / LOAD_TARGET:5.2f}× target ({LOAD_TARGET:,})  {changed:,} rows changed  "
            f"[CPU: server {server_cpu:.2f} s, client {time.process_time() - client_cpu:.2f} s]"
        )
    stored = CreditRecord.objects.filter(category="registration").count()
    print(f"  stored {stored:,} records (expected {rows:,}); load average {os.getloadavg()[0]:.1f}")


def _server_cpu_seconds() -> float | None:
    """CPU time of this connection's server process (local server only): on a shared, busy host
    the wall clock measures the neighbours too, the CPU time only our work."""
    from django.db import connection

    connection.ensure_connection()
    try:
        stat = Path(f"/proc/{connection.connection.info.backend_pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _ensure_database() -> None:
    import psycopg
    from django.db import connection

    name = connection.settings_dict["NAME"]
    params = {
        k: v
        for k, v in {
            "host": connection.settings_dict["HOST"],
            "port": connection.settings_dict["PORT"],
            "user": connection.settings_dict["USER"],
        }.items()
        if v
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def baselines(path: Path, args) -> None:
    n = min(args.baseline_rows, args.rows)
    subset = pl.read_csv(path, infer_schema=False, n_rows=n)
    sub_results: dict = {}
    sub_mappings, sub_elements, sub_rules = specs()
    std, _ = pipeline.standardise(
        subset.with_row_index(pipeline.ROW),
        mappings=sub_mappings,
        value_maps={},
        elements=sub_elements,
        required=("uscc",),
    )
    print(f"Baselines on a {n:,}-row subset (check + mask, and check alone):")
    polars_check = timed("Polars check", lambda: pipeline.check(std, sub_rules, today=TODAY), n, sub_results)
    accepted, _ = pipeline.split(*polars_check)
    timed(
        "Polars mask",
        lambda: masking.mask_frame(accepted, {c: (masking.MASK, k) for c, k in MASKED.items()}),
        n,
        sub_results,
    )
    rows = subset.to_dicts()
    timed("(a) row by row in Python", lambda: row_by_row(rows), n, sub_results)
    timed("(b) pandera (polars backend)", lambda: pandera_validate(subset), n, sub_results)
    polars_both = sub_results["Polars check"][0] + sub_results["Polars mask"][0]
    print(
        f"  ratio (a)/Polars check+mask: {sub_results['(a) row by row in Python'][0] / polars_both:6.1f}× slower"
    )
    print(
        f"  ratio (b)/Polars check:      {sub_results['(b) pandera (polars backend)'][0] / sub_results['Polars check'][0]:6.1f}× slower"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--baseline-rows", type=int, default=100_000)
    parser.add_argument("--skip-baselines", action="store_true", help="only the Polars pipeline and the load")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dfsp-bench-") as folder:  # ~250 MB at 1M rows
        run(Path(folder), args)


def run(folder: Path, args) -> None:
    start = time.perf_counter()
    generator.generate(enterprises=args.rows, out=folder, dirty_share=0.02)
    path = folder / "registration.csv"
    print(
        f"generated {args.rows:,} rows ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - start:.1f} s; "
        f"Polars threads: {pl.thread_pool_size()}, CPUs: {os.cpu_count()}"
    )
    results: dict = {}
    print(f"Polars pipeline on {args.rows:,} rows:")
    total_start = time.perf_counter()
    records, failing, masked, stats = polars_pipeline(path, args.rows, results)
    total = time.perf_counter() - total_start
    check_mask = results["quality-check"][0] + results["mask (display, 4 columns)"][0]
    print(f"  {'end to end':<34} {total:8.3f} s  {args.rows / total:>13,.0f} rows/s")
    print(
        f"  {'check + mask stages':<34} {check_mask:8.3f} s  {args.rows / check_mask:>13,.0f} rows/s  (target ≥ 500,000)"
    )
    print(
        f"  rejected {int(failing['__rejected'].sum()):,}, warnings {int((~failing['__rejected']).sum()):,}, records {records.height:,}"
    )

    if not args.skip_baselines:
        baselines(path, args)
    print("Loading into PostgreSQL (COPY, classified upsert on the natural key, one transaction each):")
    postgres_load(records)


if __name__ == "__main__":
    main()
