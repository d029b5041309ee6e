"""Make the audit table append-only in the database itself.

Triggers refuse UPDATE and DELETE of audit entries (and TRUNCATE on PostgreSQL), whatever code or tool
issues them. They do not stop a database administrator, who can drop them; the hash chain is what makes
such tampering visible (`rathaus verify_audit`). Retention (deleting entries after the legal period) will
need a controlled way past these triggers and a new chain anchor; it is not built yet.

On SQLite, a later migration that alters this table rebuilds it and thereby drops the triggers: such a
migration must create them again (`rathaus verify_audit` warns when they are missing).
"""

from django.db import migrations

TABLE = "audit_auditentry"

POSTGRESQL_CREATE = [
    f"""
    CREATE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'audit entries are append-only: % on {TABLE} is not allowed', TG_OP
            USING ERRCODE = 'restrict_violation';
    END
    $$;
    """,
    f"""
    CREATE TRIGGER audit_entry_no_update_delete BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();
    """,
    f"""
    CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only();
    """,
]
POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS audit_entry_no_truncate ON {TABLE};",
    f"DROP TRIGGER IF EXISTS audit_entry_no_update_delete ON {TABLE};",
    "DROP FUNCTION IF EXISTS audit_entry_append_only();",
]

SQLITE_CREATE = [
    f"""
    CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'audit entries are append-only: UPDATE on {TABLE} is not allowed'); END;
    """,
    f"""
    CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'audit entries are append-only: DELETE on {TABLE} is not allowed'); END;
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_entry_no_delete;",
    "DROP TRIGGER IF EXISTS audit_entry_no_update;",
]


def _run(schema_editor, statements_by_vendor):
    vendor = schema_editor.connection.vendor
    if vendor not in statements_by_vendor:
        raise RuntimeError(f"The audit trail has no append-only triggers for the database {vendor!r}.")
    for statement in statements_by_vendor[vendor]:
        schema_editor.execute(statement, params=None)  # no placeholders: the "%" in RAISE stays as it is


def create_triggers(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRESQL_CREATE, "sqlite": SQLITE_CREATE})


def drop_triggers(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRESQL_DROP, "sqlite": SQLITE_DROP})


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers, elidable=False)]
