"""Trigram GIN indexes so that icontains keyword search (Chinese too) uses an index on PostgreSQL.

Django's icontains is ``UPPER(col::text) LIKE UPPER(%s)``, so the indexes are on UPPER(col).
SQLite has no pg_trgm: there the operation does nothing and search is a plain scan.
"""

from django.db import migrations

COLUMNS = ["name", "description", "institution_name"]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS product_{column}_trgm ON institutions_product '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS product_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("institutions", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
