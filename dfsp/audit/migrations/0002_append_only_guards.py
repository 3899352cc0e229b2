"""Make the audit tables append-only in the database itself, and create the chain head.

PostgreSQL: a trigger refuses UPDATE, DELETE and TRUNCATE on audit events and anchors. The only
DELETE let through is the retention purge: it sets `dfsp.audit_purge = 'on'` for its transaction
and may remove only records older than 184 days (等保: audit records are kept six months).

SQLite (embedded mode): triggers refuse UPDATE, and DELETE of records younger than 184 days.
Django stores SQLite datetimes as 'YYYY-MM-DD HH:MM:SS[.ffffff]' in UTC; julianday() parses both
forms, and an unparseable value counts as young (refused).

Note: on SQLite, Django rebuilds a table for most later AlterField operations, which drops its
triggers; a migration that alters these tables must run this migration's SQL again.
"""

from django.db import migrations

POSTGRESQL_INSTALL = [
    """
    CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'audit_auditevent' THEN
            IF current_setting('dfsp.audit_purge', true) = 'on'
               AND OLD.occurred_at < now() - interval '184 days' THEN
                RETURN OLD;
            END IF;
        END IF;
        RAISE EXCEPTION 'the audit trail is append-only: % on % is refused', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END;
    $$
    """,
    """
    CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()
    """,
    """
    CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()
    """,
    """
    CREATE TRIGGER audit_anchor_append_only BEFORE UPDATE OR DELETE ON audit_auditanchor
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()
    """,
    """
    CREATE TRIGGER audit_anchor_no_truncate BEFORE TRUNCATE ON audit_auditanchor
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()
    """,
]
POSTGRESQL_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_anchor_no_truncate ON audit_auditanchor",
    "DROP TRIGGER IF EXISTS audit_anchor_append_only ON audit_auditanchor",
    "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent",
    "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_refuse_change()",
]

SQLITE_INSTALL = [
    """
    CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
    BEGIN
        SELECT RAISE(ABORT, 'the audit trail is append-only: UPDATE is refused');
    END
    """,
    """
    CREATE TRIGGER audit_event_no_recent_delete BEFORE DELETE ON audit_auditevent
    WHEN julianday(OLD.occurred_at) IS NULL OR julianday(OLD.occurred_at) >= julianday('now', '-184 days')
    BEGIN
        SELECT RAISE(ABORT, 'the audit trail is append-only: records younger than 184 days are kept');
    END
    """,
    """
    CREATE TRIGGER audit_anchor_no_update BEFORE UPDATE ON audit_auditanchor
    BEGIN
        SELECT RAISE(ABORT, 'audit anchors are append-only: UPDATE is refused');
    END
    """,
    """
    CREATE TRIGGER audit_anchor_no_delete BEFORE DELETE ON audit_auditanchor
    BEGIN
        SELECT RAISE(ABORT, 'audit anchors are append-only: DELETE is refused');
    END
    """,
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_anchor_no_delete",
    "DROP TRIGGER IF EXISTS audit_anchor_no_update",
    "DROP TRIGGER IF EXISTS audit_event_no_recent_delete",
    "DROP TRIGGER IF EXISTS audit_event_no_update",
]

STATEMENTS = {
    "postgresql": (POSTGRESQL_INSTALL, POSTGRESQL_REMOVE),
    "sqlite": (SQLITE_INSTALL, SQLITE_REMOVE),
}


def _run(schema_editor, install: bool) -> None:
    statements = STATEMENTS.get(schema_editor.connection.vendor)
    if statements is None:
        return
    for sql in statements[0 if install else 1]:
        # params=None: the SQL contains '%' (plpgsql placeholders) that must reach the server as-is.
        schema_editor.execute(sql, params=None)


def install_guards(apps, schema_editor):
    _run(schema_editor, install=True)


def remove_guards(apps, schema_editor):
    _run(schema_editor, install=False)


def create_chain_head(apps, schema_editor):
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    AuditChainHead.objects.using(schema_editor.connection.alias).get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(create_chain_head, migrations.RunPython.noop),
        migrations.RunPython(install_guards, remove_guards),
    ]
