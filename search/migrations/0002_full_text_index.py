"""The full-text index over SearchEntry: FTS5 on SQLite, a generated tsvector on PostgreSQL.

Both read the analysed columns (`title_terms`, `terms`); analysis happens in Python
(`search.analysis`), so each database only splits on spaces.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE cop_search_fts USING fts5(
        title_terms, terms,
        content='cop_search_searchentry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER cop_search_fts_insert AFTER INSERT ON cop_search_searchentry BEGIN
        INSERT INTO cop_search_fts(rowid, title_terms, terms)
        VALUES (new.id, new.title_terms, new.terms);
    END""",
    """CREATE TRIGGER cop_search_fts_delete AFTER DELETE ON cop_search_searchentry BEGIN
        INSERT INTO cop_search_fts(cop_search_fts, rowid, title_terms, terms)
        VALUES ('delete', old.id, old.title_terms, old.terms);
    END""",
    """CREATE TRIGGER cop_search_fts_update AFTER UPDATE ON cop_search_searchentry BEGIN
        INSERT INTO cop_search_fts(cop_search_fts, rowid, title_terms, terms)
        VALUES ('delete', old.id, old.title_terms, old.terms);
        INSERT INTO cop_search_fts(rowid, title_terms, terms)
        VALUES (new.id, new.title_terms, new.terms);
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS cop_search_fts_update",
    "DROP TRIGGER IF EXISTS cop_search_fts_delete",
    "DROP TRIGGER IF EXISTS cop_search_fts_insert",
    "DROP TABLE IF EXISTS cop_search_fts",
]
POSTGRES_FORWARD = [
    """ALTER TABLE cop_search_searchentry ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (
            setweight(to_tsvector('simple', title_terms), 'A')
            || setweight(to_tsvector('simple', terms), 'B')
        ) STORED""",
    "CREATE INDEX cop_search_vector_gin ON cop_search_searchentry USING gin (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS cop_search_vector_gin",
    "ALTER TABLE cop_search_searchentry DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("cop_search", "0001_search_entries")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
