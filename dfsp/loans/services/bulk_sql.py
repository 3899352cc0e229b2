"""Set-based writes for the daily jobs: the new values go into a temporary staging table (COPY on
PostgreSQL, ``executemany`` on SQLite), then ONE ``UPDATE … FROM stage`` joins it to the target.

One statement instead of chunked ``UPDATE … FROM (VALUES …)``: each chunk made PostgreSQL hash the
chunk and scan the whole target table again.
"""

from django.db import connection


def _create_stage(cursor, name: str, columns: list[tuple[str, str]]) -> None:
    quote = connection.ops.quote_name
    definition = ", ".join(f"{quote(column)} {sql_type}" for column, sql_type in columns)
    cursor.execute(f"DROP TABLE IF EXISTS {quote(name)}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {quote(name)} ({definition}, PRIMARY KEY ({quote(columns[0][0])}))"
    )


def _fill_stage(cursor, name: str, columns: list[tuple[str, str]], rows) -> None:
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column, _type in columns)
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {quote(name)} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        placeholders = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {quote(name)} ({names}) VALUES ({placeholders})", rows)  # noqa: S608


def update_from_stage(
    table: str,
    columns: list[tuple[str, str]],
    rows: list[tuple],
    assignments: dict[str, str],
    *,
    before: tuple[tuple[str, list], ...] = (),
) -> int:
    """``columns`` are (name, SQL type), the first one the target's primary key; ``rows`` match
    them; ``assignments`` map a target column to an SQL expression over ``v.<column>``. ``before``
    are (SQL, params) run once the stage (``{stage}``) is filled and before the update, e.g. to
    record the old values. Identifiers and expressions come from code, never from input."""
    if not rows:
        return 0
    quote = connection.ops.quote_name
    stage = f"stage_{table}"
    sets = ", ".join(f"{quote(column)} = {expression}" for column, expression in assignments.items())
    with connection.cursor() as cursor:
        _create_stage(cursor, stage, columns)
        _fill_stage(cursor, stage, columns, rows)
        for sql, params in before:
            cursor.execute(sql.format(stage=quote(stage)), params)
        cursor.execute(
            f"UPDATE {quote(table)} SET {sets} FROM {quote(stage)} AS v "  # noqa: S608
            f"WHERE {quote(table)}.id = v.{quote(columns[0][0])}"
        )
        cursor.execute(f"DROP TABLE {quote(stage)}")
    return len(rows)
