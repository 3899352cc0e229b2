"""The daily overdue job, vectorised: one read of the unpaid past-due instalments into Polars,
column arithmetic in integer fen (Int128), and set-based writes (a staging table, then one ``UPDATE … FROM stage``).

* days past due = today − due date; buckets 1–30, 31–60, 61–90, 90+.
* 罚息 penalty interest = overdue principal × penalty rate / 360 per day; 复利 overdue interest
  = unpaid interest × penalty rate / 360 per day. Accrued for the days after ``accrued_through``
  (or the due date) up to and including today, rounded to the fen (ROUND_HALF_UP) per run.
  Running twice the same day adds nothing: the second run finds no new days.
* Loans: status active ⇄ overdue, ``days_past_due`` and ``bucket`` of the worst instalment.
"""

from collections import defaultdict
from datetime import date

import polars as pl
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dfsp.accounts.roles import ENTERPRISE_ROLES, INSTITUTION_ROLES
from dfsp.accounts.selectors import active_members
from dfsp.audit.services import record_event
from dfsp.loans.models import Instalment, Loan, LoanEvent
from dfsp.loans.services.bulk_sql import update_from_stage
from dfsp.loans.states import Bucket, InstalmentStatus, LoanStatus

EPOCH = date(1970, 1, 1)
DAY_BASIS = 360
RATE_SCALE = 10_000  # rates are stored with four decimals


def _bucket_expr(column: str) -> pl.Expr:
    days = pl.col(column)
    return (
        pl.when(days <= 0)
        .then(pl.lit(Bucket.CURRENT.value))
        .when(days <= 30)
        .then(pl.lit(Bucket.DPD_1_30.value))
        .when(days <= 60)
        .then(pl.lit(Bucket.DPD_31_60.value))
        .when(days <= 90)
        .then(pl.lit(Bucket.DPD_61_90.value))
        .otherwise(pl.lit(Bucket.DPD_90_PLUS.value))
    )


def _epoch_days(column: str) -> str:
    """A date column as whole days since 1970-01-01 (no per-row date objects in Python)."""
    if connection.vendor == "postgresql":
        return f"({column} - DATE '1970-01-01')"
    return f"CAST(julianday({column}) - 2440587.5 AS INTEGER)"


def _read_past_due(today: date) -> pl.DataFrame:
    table = Instalment._meta.db_table
    loans = Loan._meta.db_table
    due, accrued = _epoch_days("i.due_date"), _epoch_days("i.accrued_through")
    # table names from model metadata; every value is a bound parameter
    sql = f"""
        SELECT i.id, i.loan_id, {due}, {accrued},
               CAST(ROUND(i.principal_due * 100) AS BIGINT) - CAST(ROUND(i.principal_paid * 100) AS BIGINT),
               CAST(ROUND(i.interest_due * 100) AS BIGINT) - CAST(ROUND(i.interest_paid * 100) AS BIGINT),
               CAST(ROUND(i.penalty_interest * 100) AS BIGINT),
               CAST(ROUND(i.overdue_interest * 100) AS BIGINT),
               i.days_past_due, i.max_days_past_due,
               CAST(ROUND(l.penalty_rate * {RATE_SCALE}) AS BIGINT)
        FROM {table} i JOIN {loans} l ON l.id = i.loan_id
        WHERE i.superseded = %s AND i.status <> %s AND i.due_date < %s AND l.status <> %s
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [False, InstalmentStatus.PAID.value, today, LoanStatus.SETTLED.value])
        rows = cursor.fetchall()
    schema = {
        "id": pl.Int64,
        "loan_id": pl.Int64,
        "due": pl.Int64,
        "accrued": pl.Int64,
        "principal": pl.Int128,
        "interest": pl.Int128,
        "penalty": pl.Int128,
        "overdue_interest": pl.Int128,
        "old_dpd": pl.Int64,
        "old_max": pl.Int64,
        "rate": pl.Int128,
    }
    return pl.DataFrame(rows or None, schema=schema, orient="row")


def _accrue(frame: pl.DataFrame, today: date) -> pl.DataFrame:
    denominator = 100 * RATE_SCALE * DAY_BASIS

    def half_up(amount: str) -> pl.Expr:
        numerator = pl.col(amount).clip(lower_bound=0) * pl.col("rate") * pl.col("days")
        return (numerator * 2 + denominator) // (2 * denominator)

    today_days = (today - EPOCH).days
    frame = frame.with_columns(
        dpd=today_days - pl.col("due"),
        days=(today_days - pl.max_horizontal(pl.col("due"), pl.col("accrued").fill_null(pl.col("due"))))
        .clip(lower_bound=0)
        .cast(pl.Int128),
    )
    frame = frame.with_columns(
        new_penalty=pl.col("penalty") + half_up("principal"),
        new_overdue_interest=pl.col("overdue_interest") + half_up("interest"),
        new_max=pl.max_horizontal("old_max", "dpd"),
        bucket=_bucket_expr("dpd"),
    )
    return frame


def _write_instalments(frame: pl.DataFrame, today: date) -> int:
    changed = frame.filter((pl.col("days") > 0) | (pl.col("dpd") != pl.col("old_dpd")))
    rows = list(
        changed.select(
            "id",
            pl.col("new_penalty").cast(pl.Int64),
            pl.col("new_overdue_interest").cast(pl.Int64),
            "dpd",
            "new_max",
            "bucket",
        ).iter_rows()
    )
    return update_from_stage(
        Instalment._meta.db_table,
        [
            ("id", "BIGINT"),
            ("pen", "BIGINT"),
            ("ovi", "BIGINT"),
            ("dpd", "INTEGER"),
            ("mx", "INTEGER"),
            ("bk", "VARCHAR(10)"),
        ],
        rows,
        {
            "penalty_interest": "v.pen * 0.01",
            "overdue_interest": "v.ovi * 0.01",
            "days_past_due": "v.dpd",
            "max_days_past_due": "v.mx",
            "bucket": "v.bk",
            "status": f"'{InstalmentStatus.OVERDUE.value}'",
            "accrued_through": f"'{today.isoformat()}'",
        },
    )


def _update_loans(frame: pl.DataFrame) -> tuple[list[int], list[int], int]:
    worst = frame.group_by("loan_id").agg(pl.col("dpd").max().alias("dpd"))
    current = pl.DataFrame(
        list(
            Loan.objects.exclude(status=LoanStatus.SETTLED).values_list(
                "pk",
                "status",
                "days_past_due",
                "bucket",
                "enterprise_id",
                "contract_number",
                "institution_id",
            )
        )
        or None,
        schema={
            "loan_id": pl.Int64,
            "status": pl.Utf8,
            "old_dpd": pl.Int64,
            "old_bucket": pl.Utf8,
            "enterprise_id": pl.Int64,
            "contract": pl.Utf8,
            "institution_id": pl.Int64,
        },
        orient="row",
    )
    merged = current.join(worst, on="loan_id", how="left").with_columns(pl.col("dpd").fill_null(0))
    merged = merged.with_columns(
        new_status=pl.when(pl.col("dpd") > 0)
        .then(pl.lit(LoanStatus.OVERDUE.value))
        .otherwise(pl.lit(LoanStatus.ACTIVE.value)),
        bucket=_bucket_expr("dpd"),
    )
    changed = merged.filter((pl.col("new_status") != pl.col("status")) | (pl.col("dpd") != pl.col("old_dpd")))
    written = update_from_stage(
        Loan._meta.db_table,
        [("id", "BIGINT"), ("st", "VARCHAR(20)"), ("dpd", "INTEGER"), ("bk", "VARCHAR(10)")],
        list(changed.select("loan_id", "new_status", "dpd", "bucket").iter_rows()),
        {"status": "v.st", "days_past_due": "v.dpd", "bucket": "v.bk"},
        before=(_flip_events_sql(),),
    )
    flips = changed.filter(pl.col("new_status") != pl.col("status"))
    became_overdue = flips.filter(pl.col("new_status") == LoanStatus.OVERDUE.value)
    became_active = flips.filter(pl.col("new_status") == LoanStatus.ACTIVE.value)["loan_id"].to_list()
    rows = list(became_overdue.select("enterprise_id", "contract", "institution_id").iter_rows())
    return rows, became_active, written


def _flip_events_sql() -> tuple[str, list]:
    """One LoanEvent per loan whose status flips, written set-based before the loans are updated."""
    events, loans = LoanEvent._meta.db_table, Loan._meta.db_table
    details = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    sql = (
        f"INSERT INTO {events} (loan_id, action, from_status, to_status, comment, details, created_at) "  # noqa: S608
        "SELECT v.id, CASE WHEN v.st = %s THEN 'overdue' ELSE 'arrears_cleared' END, l.status, v.st, '', "
        f"{details}, %s "
        f"FROM {{stage}} AS v JOIN {loans} AS l ON l.id = v.id WHERE l.status <> v.st"
    )
    return sql, [LoanStatus.OVERDUE.value, "{}", connection.ops.adapt_datetimefield_value(timezone.now())]


def _notify_overdue(became_overdue: list[tuple[int, str, int]]) -> None:
    """The borrower is told to repay; the lender's staff are told to follow up (and may file an
    overdue report, 逾期上报)."""
    if not became_overdue:
        return
    from dfsp.notifications.services import notify

    by_enterprise, by_institution = defaultdict(list), defaultdict(list)
    for enterprise_id, contract, institution_id in became_overdue:
        by_enterprise[enterprise_id].append(contract)
        by_institution[institution_id].append(contract)
    for enterprise_id, contracts in by_enterprise.items():
        notify(
            recipients=active_members(ENTERPRISE_ROLES, organisation=enterprise_id),
            category="loans.loan",
            title=_("A loan repayment is overdue"),
            body=_("Contracts: %(contracts)s. Penalty interest accrues every day until it is repaid.")
            % {"contracts": ", ".join(sorted(contracts)[:20])},
            link="/loans/mine/",
        )
    for institution_id, contracts in by_institution.items():
        notify(
            recipients=active_members(INSTITUTION_ROLES, organisation=institution_id),
            category="loans.loan",
            title=_("Loans became overdue"),
            body=_(
                "Contracts: %(contracts)s. Follow up with the borrower and file an overdue report if needed."
            )
            % {"contracts": ", ".join(sorted(contracts)[:20])},
            link="/loans/",
        )


def run_overdue_job(*, today: date | None = None) -> dict:
    """Compute days past due, buckets, penalty and overdue interest; flip loan statuses."""
    today = today or timezone.localdate()
    with transaction.atomic():
        frame = _accrue(_read_past_due(today), today)
        instalments_written = _write_instalments(frame, today)
        became_overdue, became_active, loans_written = _update_loans(frame)
        _notify_overdue(became_overdue)
        summary = {
            "today": today.isoformat(),
            "past_due_instalments": frame.height,
            "instalments_updated": instalments_written,
            "loans_updated": loans_written,
            "became_overdue": len(became_overdue),
            "became_active": len(became_active),
            "penalty_added_fen": int((frame["new_penalty"] - frame["penalty"]).sum() or 0),
            "overdue_interest_added_fen": int(
                (frame["new_overdue_interest"] - frame["overdue_interest"]).sum() or 0
            ),
        }
        record_event(event_type="loans.overdue_job.ran", object_type="loans.Loan", details=summary)
    return summary
