"""PostgreSQL: text search configurations `cop_french` and `cop_english` (accents folded by
`unaccent`, then the Snowball stemmer and stop words of the language), and the search vector
rebuilt with them from the text as written: "sante" finds "santé", "pratique" finds
"pratiques", whatever the language of the content. SQLite is unchanged (FTS5 over the stems
that `search.analysis` computes).

`CREATE EXTENSION unaccent` needs a role allowed to create extensions (a superuser, or the
database owner on PostgreSQL 13+ since unaccent is a trusted extension).
"""

from django.db import migrations

CONFIGURATIONS = {"cop_french": "french", "cop_english": "english"}


def _vector(config):
    return (
        f"setweight(to_tsvector('{config}'::regconfig, coalesce(title, '')), 'A') || "
        f"setweight(to_tsvector('{config}'::regconfig, coalesce(text, '') || ' ' || coalesce(tag_text, '')), 'B')"
    )


POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    *(
        statement
        for config, base in CONFIGURATIONS.items()
        for statement in (
            f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {config}",
            f"CREATE TEXT SEARCH CONFIGURATION {config} (COPY = {base})",
            f"ALTER TEXT SEARCH CONFIGURATION {config} ALTER MAPPING FOR hword, hword_part, word "
            f"WITH unaccent, {base}_stem",
        )
    ),
    "DROP INDEX IF EXISTS cop_search_vector_gin",
    "ALTER TABLE cop_search_searchentry DROP COLUMN IF EXISTS search_vector",
    f"""ALTER TABLE cop_search_searchentry ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (
            CASE WHEN language = 'en' THEN {_vector("cop_english")} ELSE {_vector("cop_french")} END
        ) STORED""",
    "CREATE INDEX cop_search_vector_gin ON cop_search_searchentry USING gin (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS cop_search_vector_gin",
    "ALTER TABLE cop_search_searchentry DROP COLUMN IF EXISTS search_vector",
    """ALTER TABLE cop_search_searchentry ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (
            setweight(to_tsvector('simple', title_terms), 'A')
            || setweight(to_tsvector('simple', terms), 'B')
        ) STORED""",
    "CREATE INDEX cop_search_vector_gin ON cop_search_searchentry USING gin (search_vector)",
    *(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {config}" for config in CONFIGURATIONS),
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("cop_search", "0003_entry_tag_text")]

    operations = [migrations.RunPython(_run(POSTGRES_FORWARD), _run(POSTGRES_BACKWARD))]
