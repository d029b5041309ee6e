"""The EU data themes as rows, and on PostgreSQL a German full-text index over the datasets' search text."""

from django.db import migrations

THEME_NAMES = ["agri", "econ", "educ", "ener", "envi", "gove", "heal", "intr", "just", "regi", "soci", "tech", "tran"]

POSTGRES_FORWARD = [
    """
    ALTER TABLE opendata_dataset ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('german'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('german'::regconfig, coalesce(search_text, '')), 'B')
    ) STORED
    """,
    "CREATE INDEX opendata_dataset_search_vector ON opendata_dataset USING GIN (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS opendata_dataset_search_vector",
    "ALTER TABLE opendata_dataset DROP COLUMN IF EXISTS search_vector",
]


def themes_create(apps, schema_editor):
    Theme = apps.get_model("opendata", "Theme")
    for name in THEME_NAMES:
        Theme.objects.get_or_create(name=name)


def search_index_create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_FORWARD:
            schema_editor.execute(statement)


def search_index_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("opendata", "0001_initial")]

    operations = [
        migrations.RunPython(themes_create, migrations.RunPython.noop),
        migrations.RunPython(search_index_create, search_index_drop),
    ]
