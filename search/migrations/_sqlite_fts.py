"""Shared by the migrations of `cop_search`: put back the triggers of the SQLite FTS5 index."""

import importlib


def restore_sqlite_fts(apps, schema_editor):
    """Recreate the FTS5 triggers (a table rebuild drops them) and rebuild the index."""
    if schema_editor.connection.vendor != "sqlite":
        return
    full_text = importlib.import_module("search.migrations.0002_full_text_index")
    for name in ("cop_search_fts_insert", "cop_search_fts_delete", "cop_search_fts_update"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
    for statement in full_text.SQLITE_FORWARD:
        if statement.lstrip().startswith("CREATE TRIGGER"):
            schema_editor.execute(statement)
    schema_editor.execute("INSERT INTO cop_search_fts(cop_search_fts) VALUES ('rebuild')")
