"""The database's append-only triggers (installed by migration 0002): presence check and test lift."""

from collections.abc import Iterator
from contextlib import contextmanager

TABLES = ("audit_auditevent", "audit_auditanchor")
# Other append-only tables (e.g. consent's call log) whose triggers the test flush lifts too.
_registered: list[str] = []


def register_append_only_table(table: str) -> None:
    if table not in _registered:
        _registered.append(table)


def _all_tables() -> tuple[str, ...]:
    return (*TABLES, *_registered)


# The triggers that protect the events table, per engine.
EVENT_TRIGGERS = {
    "postgresql": ("audit_event_append_only", "audit_event_no_truncate"),
    "sqlite": ("audit_event_no_update", "audit_event_no_recent_delete"),
}


def installed(connection) -> bool | None:
    """Whether the events table's triggers are in place and enabled (None: engine not covered)."""
    names = EVENT_TRIGGERS.get(connection.vendor)
    if names is None:
        return None
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND tgenabled <> 'D'", [TABLES[0]]
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLES[0]]
            )
        present = {row[0] for row in cursor.fetchall()}
    return set(names) <= present


@contextmanager
def lifted(connection) -> Iterator[None]:
    """Switch the triggers off and back on around a block. Only the test suite's flush uses this."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in _all_tables():
                cursor.execute(f"ALTER TABLE {connection.ops.quote_name(table)} DISABLE TRIGGER USER")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                for table in _all_tables():
                    cursor.execute(f"ALTER TABLE {connection.ops.quote_name(table)} ENABLE TRIGGER USER")
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            triggers = []
            for table in _all_tables():
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table]
                )
                triggers += cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f"DROP TRIGGER {connection.ops.quote_name(name)}")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                for _name, sql in triggers:
                    cursor.execute(sql)
    else:
        yield
