"""Bulk upsert of credit records: PostgreSQL COPY into a staging table, SQLite executemany.

Both paths upsert on the natural key (uscc, category, record_key) and change a row only when its
content hash differs, so loading the same data again changes nothing (lineage stays with the
batch that first brought the current value).
"""

import polars as pl
from django.db import connection

from dfsp.datahub.models import CreditRecord

COLUMNS = ("uscc", "category", "record_key", "period", "code", "amount", "event_date", "data", "row_hash")


def _upsert_sql(select_from: str) -> str:
    table = CreditRecord._meta.db_table
    cols = ", ".join(COLUMNS)
    updates = ", ".join(
        f"{c} = excluded.{c}"
        for c in (
            "period",
            "code",
            "amount",
            "event_date",
            "data",
            "row_hash",
            "source_id",
            "batch_id",
            "loaded_at",
        )
    )
    return (
        f"INSERT INTO {table} ({cols}, source_id, batch_id, loaded_at) {select_from} "
        f"ON CONFLICT (uscc, category, record_key) DO UPDATE SET {updates} "
        f"WHERE {table}.row_hash <> excluded.row_hash"
    )


def upsert_records(records: pl.DataFrame, *, category: str, source_id: int, batch_id: int, loaded_at) -> int:
    """Write the shaped records inside the caller's transaction; return how many rows changed."""
    if records.height == 0:
        return 0
    frame = records.with_columns(pl.lit(category).alias("category")).select(COLUMNS)
    if connection.vendor == "postgresql":
        return _copy_postgres(frame, source_id=source_id, batch_id=batch_id, loaded_at=loaded_at)
    return _executemany(frame, source_id=source_id, batch_id=batch_id, loaded_at=loaded_at)


def _copy_postgres(frame: pl.DataFrame, *, source_id: int, batch_id: int, loaded_at) -> int:
    payload = frame.write_csv(include_header=False, null_value="\\N", quote_style="non_numeric").encode()
    with connection.cursor() as cursor:
        # The batch is all or nothing anyway; waiting for the WAL flush adds nothing but latency.
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS datahub_stage (uscc text, category text, record_key text, period text, "
            "code text, amount numeric(18,2), event_date date, data jsonb, row_hash text) ON COMMIT DROP"
        )
        raw = cursor.cursor
        with raw.copy(
            "COPY datahub_stage (" + ", ".join(COLUMNS) + ") FROM STDIN WITH (FORMAT csv, NULL '\\N')"
        ) as copy:
            step = 1 << 22
            for start in range(0, len(payload), step):
                copy.write(payload[start : start + step])
        cursor.execute(
            _upsert_sql(
                "SELECT " + ", ".join(COLUMNS) + ", %s, %s, %s FROM datahub_stage"  # noqa: S608
            ),
            [source_id, batch_id, loaded_at],
        )
        changed = cursor.rowcount
        cursor.execute("DROP TABLE datahub_stage")
    return changed


def _executemany(frame: pl.DataFrame, *, source_id: int, batch_id: int, loaded_at) -> int:
    placeholders = ", ".join(["%s"] * (len(COLUMNS) + 3))
    sql = _upsert_sql(f"VALUES ({placeholders})")
    stamp = connection.ops.adapt_datetimefield_value(loaded_at)
    rows = (
        frame.with_columns(
            pl.col("amount").cast(pl.Decimal(18, 2)).cast(pl.String), pl.col("event_date").cast(pl.String)
        )
        .with_columns(pl.lit(source_id).alias("s"), pl.lit(batch_id).alias("b"), pl.lit(stamp).alias("t"))
        .iter_rows()
    )
    changed = 0
    with connection.cursor() as cursor:
        chunk: list = []
        for row in rows:
            chunk.append(row)
            if len(chunk) == 5000:
                cursor.executemany(sql, chunk)
                changed += max(cursor.rowcount, 0)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)
            changed += max(cursor.rowcount, 0)
    return changed
