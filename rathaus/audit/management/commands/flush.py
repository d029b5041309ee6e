"""Django's `flush`, able to empty the append-only audit table.

`flush` deletes all data (tests use it after every transactional test). The audit table's triggers refuse
that deletion, so for the duration of the flush, and inside its transaction, the triggers are set aside:
dropped and re-created on SQLite, disabled and enabled again on PostgreSQL.
"""

from django.core.management.commands import flush
from django.db import connections, transaction

from rathaus.audit.models import AuditEntry


class Command(flush.Command):
    def handle(self, **options):
        database = options["database"]
        connection = connections[database]
        table = AuditEntry._meta.db_table
        if table not in connection.introspection.table_names():
            return super().handle(**options)
        with transaction.atomic(using=database), connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table])
                triggers = cursor.fetchall()
                for name, _sql in triggers:
                    cursor.execute(f'DROP TRIGGER "{name}"')
                super().handle(**options)
                for _name, sql in triggers:
                    cursor.execute(sql)
            elif connection.vendor == "postgresql":
                cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
                super().handle(**options)
                cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')
            else:
                super().handle(**options)
