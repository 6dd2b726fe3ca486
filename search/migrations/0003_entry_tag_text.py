"""`SearchEntry.tag_text`: the tags as written, for PostgreSQL's own text search
configurations (migration 0004).

On SQLite, adding a NOT NULL column makes Django rebuild the table, which drops the triggers
that keep the FTS5 index in step with it (migration 0002): they are created again here and the
index rebuilt from the table. Any later migration that rebuilds this table must do the same.
"""

from django.db import migrations, models

from ._sqlite_fts import restore_sqlite_fts


class Migration(migrations.Migration):
    dependencies = [
        ("cop_search", "0002_full_text_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="tag_text",
            field=models.TextField(blank=True),
        ),
        migrations.RunPython(restore_sqlite_fts, migrations.RunPython.noop),
    ]
