"""The bulk loader on the database the tests run on (SQLite or PostgreSQL): new, changed and
unchanged rows, lineage, all-or-nothing, and values that need escaping in COPY's text format."""

from datetime import date

import polars as pl
import pytest
from django.db import transaction
from django.utils import timezone

from dfsp.datahub import loading, pipeline
from dfsp.datahub.models import CreditRecord, DataSource, IngestionBatch

pytestmark = pytest.mark.django_db
AWKWARD = 'tab\there, newline\nthere, back\\slash, \\N, quote " and 中文'


@pytest.fixture
def batches(db):
    source = DataSource.objects.create(
        code="t", name="t", kind="manual", delivery="file_drop", category="registration", owner_department="t"
    )
    return source, [
        IngestionBatch.objects.create(source=source, category="registration", origin="upload")
        for _ in range(3)
    ]


def records(names: dict[str, str], capital: float | None = 10.5) -> pl.DataFrame:
    accepted = pl.DataFrame(
        {
            "uscc": list(names),
            "ent_name": list(names.values()),
            "reg_status": ["active"] * len(names),
            "reg_capital": [None if capital is None else str(capital)] * len(names),
            "established_on": ["2015-03-02"] * len(names),
        }
    )
    return pipeline.to_records(accepted, "registration")


def load(frame: pl.DataFrame, source, batch) -> int:
    with transaction.atomic():
        return loading.upsert_records(
            frame, category="registration", source_id=source.pk, batch_id=batch.pk, loaded_at=timezone.now()
        )


def test_new_changed_and_unchanged_rows_keep_their_lineage(batches):
    source, (first, second, third) = batches
    assert load(records({"A": "甲", "B": "乙"}), source, first) == 2
    # B changes, C is new, A is unchanged: only B and C carry the second batch.
    assert load(records({"A": "甲", "B": "乙二", "C": "丙"}), source, second) == 2
    stored = {r.uscc: r for r in CreditRecord.objects.all()}
    assert {u: r.batch_id for u, r in stored.items()} == {"A": first.pk, "B": second.pk, "C": second.pk}
    assert stored["B"].data["ent_name"] == "乙二"
    # The same rows again change nothing at all.
    assert load(records({"A": "甲", "B": "乙二", "C": "丙"}), source, third) == 0
    assert set(CreditRecord.objects.values_list("batch_id", flat=True)) == {first.pk, second.pk}


def test_values_needing_escapes_and_typed_extracts_survive_the_round_trip(batches):
    source, (first, second, _) = batches
    load(records({"A": AWKWARD, "B": "普通"}), source, first)
    record = CreditRecord.objects.get(uscc="A")
    assert record.data["ent_name"] == AWKWARD
    assert str(record.amount) == "10.50" and record.event_date == date(2015, 3, 2) and record.code == "active"
    # An unchanged awkward row is recognised as unchanged.
    assert load(records({"A": AWKWARD, "B": "普通"}), source, second) == 0


def test_a_missing_or_non_finite_amount_is_stored_as_unknown(batches):
    source, (first, second, _) = batches
    load(records({"A": "甲"}, capital=None), source, first)
    assert CreditRecord.objects.get().amount is None
    frame = records({"A": "甲"}).with_columns(
        pl.lit(float("nan")).alias("amount"), pl.lit("x").alias("row_hash")
    )
    assert load(frame, source, second) == 1
    assert CreditRecord.objects.get().amount is None


def test_a_failure_inside_the_batch_leaves_nothing_half_written(batches):
    source, (first, second, _) = batches
    load(records({"A": "甲", "B": "乙"}), source, first)
    # A changes, C is new, D's amount does not fit numeric(18,2): the whole batch is refused.
    frame = records({"A": "甲二", "C": "丙", "D": "丁"}).with_columns(
        pl.when(pl.col("uscc") == "D").then(1e20).otherwise(pl.col("amount")).alias("amount")
    )
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017 (the error differs by database)
        loading.upsert_records(
            frame, category="registration", source_id=source.pk, batch_id=second.pk, loaded_at=timezone.now()
        )
    assert sorted(CreditRecord.objects.values_list("uscc", "batch_id")) == [("A", first.pk), ("B", first.pk)]
    assert CreditRecord.objects.get(uscc="A").data["ent_name"] == "甲"
