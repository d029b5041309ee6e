"""`rathaus verify_audit`: the chain is recomputed and the first broken entry is named.

Tampering is simulated as an attacker with database administrator rights would do it: past the
append-only triggers (dropped on SQLite, disabled on PostgreSQL), with raw SQL.
"""

# The raw SQL here names only the audit table (a constant) and passes values as parameters.
# ruff: noqa: S608

import io
import json
import threading

import pytest
from django.core.management import call_command
from django.db import IntegrityError, OperationalError, connection, connections, transaction

from rathaus.audit.chain import entry_hash
from rathaus.audit.models import AuditChainHead, AuditEntry
from rathaus.audit.services import audit_append
from rathaus.audit.verify import audit_verify, protection_installed

pytestmark = pytest.mark.cases

TABLE = AuditEntry._meta.db_table


def as_database_admin(statement: str, params: list | None = None) -> None:
    """Run `statement` the way someone with administrator rights could: without the protecting triggers."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS audit_entry_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS audit_entry_no_delete")
        else:
            # The test's own inserts left deferred foreign-key checks pending, which ALTER TABLE refuses to skip.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
        cursor.execute(statement, params or [])


def json_param() -> str:
    return "%s::jsonb" if connection.vendor == "postgresql" else "%s"


def verify_command(**options) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_audit", stdout=out, stderr=err, **options)
    except SystemExit as exit:
        code = exit.code
    else:
        code = 0
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def five_entries(caseworker, musterstadt) -> list[AuditEntry]:
    entries = [audit_append(actor=caseworker, action="case.read", object_type="case", object_id="1")]
    for number, (old, new) in enumerate([("new", "in_review"), ("in_review", "approved")], start=2):
        entries.append(
            audit_append(
                actor=caseworker,
                action="case.transition",
                object_type="case",
                object_id="1",
                municipality=musterstadt,
                changes={"status": [old, new], "step": [number - 1, number]},
            )
        )
    entries.append(
        audit_append(actor=None, action="document.add", object_type="document", object_id="7", rule="letter")
    )
    entries.append(audit_append(actor=caseworker, action="case.read", object_type="case", object_id="1"))
    return entries


def test_an_empty_log_verifies(db):
    assert audit_verify() == audit_verify().__class__(ok=True, checked=0, first_broken=None, reason="")
    assert verify_command() == (0, "OK: 0 entries\n", "")


def test_an_intact_chain_of_several_entries_verifies(five_entries):
    result = audit_verify()
    assert (result.ok, result.checked, result.first_broken, result.reason) == (True, 5, None, "")
    assert verify_command() == (0, "OK: 5 entries\n", "")


def test_progress_is_printed_for_long_logs(five_entries):
    code, out, _err = verify_command(progress_every=2)
    assert code == 0
    assert out.splitlines() == ["... 2 entries checked", "... 4 entries checked", "OK: 5 entries"]


def test_an_altered_row_is_named_by_verify_audit_which_exits_1(five_entries):
    third = five_entries[2]
    as_database_admin(
        f"UPDATE {TABLE} SET changes = {json_param()} WHERE sequence = 3",
        [json.dumps({"status": ["in_review", "rejected"], "step": [2, 3]})],
    )

    result = audit_verify()
    assert (result.ok, result.first_broken, result.first_broken_id, result.kind) == (
        False,
        3,
        third.pk,
        "hash mismatch",
    )
    assert result.checked == 3

    code, out, err = verify_command()
    assert code == 1
    assert out == ""
    assert f"BROKEN: entry #3 (id {third.pk}), hash mismatch" in err
    assert "restore" in err
    assert "append-only are missing or disabled" in err  # the attacker removed the protection


def test_a_row_altered_together_with_its_own_hash_breaks_the_link_of_the_next_entry(five_entries):
    third = five_entries[2]
    third.changes = {"status": ["in_review", "rejected"], "step": [2, 3]}
    forged_hash = entry_hash(third)
    as_database_admin(
        f"UPDATE {TABLE} SET changes = {json_param()}, entry_hash = %s WHERE sequence = 3",
        [json.dumps(third.changes), forged_hash],
    )

    result = audit_verify()
    assert (result.ok, result.first_broken, result.first_broken_id, result.kind) == (
        False,
        4,
        five_entries[3].pk,
        "broken link",
    )
    code, _out, err = verify_command()
    assert code == 1
    assert f"entry #4 (id {five_entries[3].pk}), broken link" in err


def test_a_deleted_row_is_detected_as_a_gap(five_entries):
    as_database_admin(f"DELETE FROM {TABLE} WHERE sequence = 3")

    result = audit_verify()
    assert (result.ok, result.first_broken, result.kind) == (False, 3, "gap")
    assert "entry #3 is missing" in result.reason
    code, _out, err = verify_command()
    assert code == 1
    assert "BROKEN: entry #3, gap" in err


def test_deleting_the_first_row_is_a_gap_at_1(five_entries):
    as_database_admin(f"DELETE FROM {TABLE} WHERE sequence = 1")
    result = audit_verify()
    assert (result.ok, result.first_broken, result.kind) == (False, 1, "gap")


def test_rows_cut_off_at_the_end_of_the_log_are_detected_through_the_chain_head(five_entries):
    as_database_admin(f"DELETE FROM {TABLE} WHERE sequence >= 4")

    result = audit_verify()
    assert (result.ok, result.first_broken, result.kind) == (False, 4, "gap")
    assert "chain head names #5" in result.reason


def test_rows_inserted_past_the_application_are_detected(five_entries):
    fake = AuditEntry(
        sequence=6,
        occurred_at=five_entries[-1].occurred_at,
        actor_kind="system",
        actor_label="system",
        action="case.read",
        object_type="case",
        object_id="1",
        changes={},
        previous_hash=five_entries[-1].entry_hash,
    )
    fake.entry_hash = entry_hash(fake)
    fake.save(force_insert=True)  # inserting is allowed; only audit_append moves the chain head

    result = audit_verify()
    assert (result.ok, result.first_broken, result.kind) == (False, 6, "head mismatch")
    assert "beyond the chain head #5" in result.reason


def test_a_deleted_chain_head_is_detected(five_entries):
    AuditChainHead.objects.all().delete()
    result = audit_verify()
    assert (result.ok, result.kind) == (False, "head mismatch")


def test_no_entry_is_appended_while_the_chain_head_is_missing(five_entries):
    from rathaus.audit.services import AuditChainError

    AuditChainHead.objects.all().delete()
    with pytest.raises(AuditChainError, match="verify_audit"):
        audit_append(actor=None, action="case.read", object_type="case", object_id="6")
    assert AuditEntry.objects.count() == 5


def test_the_database_refuses_updates_and_deletes_of_audit_entries(five_entries):
    entry = AuditEntry.objects.get(sequence=2)
    assert protection_installed()

    entry.changes = {"status": ["new", "rejected"]}
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        entry.save()
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(sequence=2).update(action="case.read")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        entry.delete()
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditEntry.objects.all().delete()
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET changes = changes WHERE sequence = 2")

    assert AuditEntry.objects.count() == 5
    assert audit_verify().ok


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_truncating_the_audit_table_is_refused_on_postgresql(five_entries):
    with pytest.raises(IntegrityError, match="TRUNCATE"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {TABLE}")


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_from_separate_connections_form_one_unbroken_chain():
    """Two workers, 20 appends each, each in its own transaction and connection, started at the same moment.

    Meaningful on PostgreSQL, where both transactions really run at once and the chain head's row lock keeps
    them from linking to the same predecessor; SQLite serialises writing transactions, so there it must simply
    not fail.
    """
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker(name: str) -> None:
        try:
            barrier.wait(timeout=10)
            for number in range(20):
                while True:
                    try:
                        with transaction.atomic():
                            audit_append(
                                actor=None,
                                action="case.transition",
                                object_type="case",
                                object_id=f"{name}-{number}",
                                changes={"n": [number, number + 1]},
                                rule=name,
                            )
                        break
                    except OperationalError as error:
                        # The SQLite test database lives in memory with a shared cache, whose table locks do
                        # not wait (busy_timeout applies to files only): the whole transaction is retried.
                        # PostgreSQL never takes this path, the row lock makes the second append wait.
                        if connection.vendor != "sqlite" or "locked" not in str(error):
                            raise
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert list(AuditEntry.objects.order_by("sequence").values_list("sequence", flat=True)) == list(range(1, 41))
    assert AuditEntry.objects.filter(rule="a").count() == AuditEntry.objects.filter(rule="b").count() == 20
    result = audit_verify()
    assert (result.ok, result.checked) == (True, 40)


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_log_and_keeps_the_protection():
    audit_append(actor=None, action="case.read", object_type="case", object_id="1")

    call_command("flush", interactive=False, verbosity=0)

    assert not AuditEntry.objects.exists()
    assert protection_installed()
    assert audit_append(actor=None, action="case.read", object_type="case", object_id="1").sequence == 1
    with pytest.raises(IntegrityError, match="append-only"):
        AuditEntry.objects.all().delete()
