"""Make the call log append-only in the database itself (as dfsp/audit's migration 0002 does).

PostgreSQL: triggers refuse UPDATE, DELETE and TRUNCATE. SQLite: triggers refuse UPDATE and DELETE.
The test suite's flush lifts them through ``dfsp.audit.guards.lifted`` (consent registers its table
there in ``ConsentConfig.ready``). A later migration that makes SQLite rebuild the table must run
this SQL again.
"""

from django.db import migrations

POSTGRESQL_INSTALL = [
    """
    CREATE OR REPLACE FUNCTION consent_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'the call log is append-only: % on % is refused', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END;
    $$
    """,
    """
    CREATE TRIGGER consent_calllog_append_only BEFORE UPDATE OR DELETE ON consent_calllog
    FOR EACH ROW EXECUTE FUNCTION consent_refuse_change()
    """,
    """
    CREATE TRIGGER consent_calllog_no_truncate BEFORE TRUNCATE ON consent_calllog
    FOR EACH STATEMENT EXECUTE FUNCTION consent_refuse_change()
    """,
]
POSTGRESQL_REMOVE = [
    "DROP TRIGGER IF EXISTS consent_calllog_no_truncate ON consent_calllog",
    "DROP TRIGGER IF EXISTS consent_calllog_append_only ON consent_calllog",
    "DROP FUNCTION IF EXISTS consent_refuse_change()",
]
SQLITE_INSTALL = [
    """
    CREATE TRIGGER consent_calllog_no_update BEFORE UPDATE ON consent_calllog
    BEGIN
        SELECT RAISE(ABORT, 'the call log is append-only: UPDATE is refused');
    END
    """,
    """
    CREATE TRIGGER consent_calllog_no_delete BEFORE DELETE ON consent_calllog
    BEGIN
        SELECT RAISE(ABORT, 'the call log is append-only: DELETE is refused');
    END
    """,
]
SQLITE_REMOVE = ["DROP TRIGGER IF EXISTS consent_calllog_no_delete", "DROP TRIGGER IF EXISTS consent_calllog_no_update"]
STATEMENTS = {"postgresql": (POSTGRESQL_INSTALL, POSTGRESQL_REMOVE), "sqlite": (SQLITE_INSTALL, SQLITE_REMOVE)}


def _run(schema_editor, install: bool) -> None:
    statements = STATEMENTS.get(schema_editor.connection.vendor)
    if statements is None:
        return
    for sql in statements[0 if install else 1]:
        schema_editor.execute(sql, params=None)


def install_guards(apps, schema_editor):
    _run(schema_editor, install=True)


def remove_guards(apps, schema_editor):
    _run(schema_editor, install=False)


class Migration(migrations.Migration):
    dependencies = [("consent", "0001_initial")]

    operations = [migrations.RunPython(install_guards, remove_guards)]
