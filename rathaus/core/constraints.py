"""Database constraints that only PostgreSQL can enforce, written so the same migrations run on SQLite.

`PostgresOnlyExclusionConstraint` is an exclusion constraint on PostgreSQL and nothing elsewhere: SQLite has no
exclusion constraints, so code that relies on one must also serialise its writes there (SQLite lets one writer in
at a time). Producing no SQL on other databases keeps SQLite's table rebuilds in later migrations working.
`TimeRange` builds the half-open range [start, end) of two timestamp columns for such a constraint.
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField
from django.db import connections, models


class TimeRange(models.Func):
    """TSTZRANGE(start, end) - with RangeBoundary() as third argument the default '[)' bounds are explicit."""

    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class PostgresOnlyExclusionConstraint(ExclusionConstraint):
    """An ExclusionConstraint that exists on PostgreSQL only."""

    def _on_postgres(self, schema_editor: Any) -> bool:
        return schema_editor.connection.vendor == "postgresql"

    def constraint_sql(self, model: Any, schema_editor: Any) -> Any:
        return super().constraint_sql(model, schema_editor) if self._on_postgres(schema_editor) else None

    def create_sql(self, model: Any, schema_editor: Any) -> Any:
        return super().create_sql(model, schema_editor) if self._on_postgres(schema_editor) else None

    def remove_sql(self, model: Any, schema_editor: Any) -> Any:
        return super().remove_sql(model, schema_editor) if self._on_postgres(schema_editor) else None

    def validate(self, model: Any, instance: Any, exclude: Any = None, using: str = "default") -> None:
        if connections[using].vendor == "postgresql":
            super().validate(model, instance, exclude=exclude, using=using)
