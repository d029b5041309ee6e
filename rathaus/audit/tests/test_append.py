"""Appending to the audit trail: who, when, what, old and new values, each entry linked to the one before."""

import datetime as dt
import hashlib
import json
from decimal import Decimal

import pytest
from django.db import transaction

from rathaus.audit.chain import AuditValueError, entry_hash
from rathaus.audit.models import GENESIS_HASH, AuditChainHead, AuditEntry
from rathaus.audit.selectors import entries_for_object
from rathaus.audit.services import audit_append
from rathaus.audit.verify import audit_verify


def test_an_entry_records_who_did_what_to_which_object_and_when(caseworker, musterstadt):
    entry = audit_append(
        actor=caseworker,
        action="case.update",
        object_type="case",
        object_id="17",
        municipality=musterstadt,
        changes={"status": ["new", "in_progress"]},
    )

    entry.refresh_from_db()
    assert entry.sequence == 1
    assert entry.actor == caseworker
    assert entry.actor_kind == "user"
    assert entry.actor_label == "max"
    assert entry.municipality == musterstadt
    assert (entry.action, entry.object_type, entry.object_id) == ("case.update", "case", "17")
    assert entry.changes == {"status": ["new", "in_progress"]}
    assert entry.occurred_at.tzinfo is not None
    assert entry.rule == ""


def test_the_first_entry_links_to_64_zeros_and_each_further_entry_to_the_hash_of_the_one_before(caseworker):
    first = audit_append(actor=caseworker, action="case.read", object_type="case", object_id="1")
    second = audit_append(actor=caseworker, action="case.read", object_type="case", object_id="2")
    third = audit_append(actor=None, action="case.transition", object_type="case", object_id="2", rule="auto")

    assert first.previous_hash == GENESIS_HASH == "0" * 64
    assert second.previous_hash == first.entry_hash
    assert third.previous_hash == second.entry_hash
    assert [first.sequence, second.sequence, third.sequence] == [1, 2, 3]
    assert len({first.entry_hash, second.entry_hash, third.entry_hash}) == 3
    head = AuditChainHead.objects.get()
    assert (head.last_sequence, head.last_hash) == (3, third.entry_hash)


def test_the_hash_is_sha256_over_canonical_json_of_all_fields_including_the_previous_hash(caseworker, musterstadt):
    entry = audit_append(
        actor=caseworker,
        action="case.update",
        object_type="case",
        object_id="5",
        municipality=musterstadt,
        changes={"b": [1, 2], "a": ["ä", None]},
    )
    entry.refresh_from_db()  # the hash must hold for what the database gives back
    payload = {
        "v": 1,
        "sequence": 1,
        "occurred_at": entry.occurred_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "municipality_id": musterstadt.pk,
        "actor_id": caseworker.pk,
        "actor_kind": "user",
        "actor_label": "max",
        "action": "case.update",
        "object_type": "case",
        "object_id": "5",
        "changes": {"a": ["ä", None], "b": [1, 2]},
        "rule": "",
        "previous_hash": "0" * 64,
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert entry.entry_hash == hashlib.sha256(canonical.encode()).hexdigest() == entry_hash(entry)


def test_changing_any_field_changes_the_hash(caseworker):
    entry = audit_append(actor=caseworker, action="case.read", object_type="case", object_id="1")
    original = entry.entry_hash
    for field, value in [
        ("action", "case.update"),
        ("object_id", "2"),
        ("actor_label", "mallory"),
        ("changes", {"x": [1, 2]}),
        ("rule", "r"),
        ("previous_hash", "f" * 64),
        ("occurred_at", entry.occurred_at + dt.timedelta(microseconds=1)),
        ("sequence", 2),
    ]:
        altered = AuditEntry(**{f.attname: getattr(entry, f.attname) for f in AuditEntry._meta.concrete_fields})
        setattr(altered, field, value)
        assert entry_hash(altered) != original, field


def test_automation_is_recorded_as_the_system_with_the_rule_that_fired(db):
    entry = audit_append(
        actor=None,
        action="case.transition",
        object_type="case",
        object_id="9",
        changes={"status": ["submitted", "in_review"]},
        rule="assign-on-submit",
    )
    assert (entry.actor_id, entry.actor_kind, entry.actor_label, entry.rule) == (
        None,
        "system",
        "assign-on-submit",
        "assign-on-submit",
    )
    plain = audit_append(actor=None, action="case.transition", object_type="case", object_id="9")
    assert plain.actor_label == "system"


def test_dates_decimals_and_other_values_are_stored_deterministically(db):
    entry = audit_append(
        actor=None,
        action="case.update",
        object_type="case",
        object_id="3",
        changes={
            "fee": [Decimal("30.50"), Decimal("31.00")],
            "due": [dt.date(2026, 1, 31), None],
            "decided_at": [None, dt.datetime(2026, 3, 1, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))],
            "ratio": [0.1, 1e20],
            "tags": [{"b", "a"}, ("x", 1)],
        },
    )
    entry.refresh_from_db()
    assert entry.changes == {
        "fee": ["30.50", "31.00"],
        "due": ["2026-01-31", None],
        "decided_at": [None, "2026-03-01T09:30:00.000000+00:00"],
        "ratio": ["0.1", "1e+20"],
        "tags": [["a", "b"], ["x", 1]],
    }
    assert entry_hash(entry) == entry.entry_hash


@pytest.mark.parametrize(
    "changes",
    [
        {"file": [None, object()]},
        {"when": [None, dt.datetime(2026, 1, 1, 12, 0)]},  # noqa: DTZ001 - naive on purpose: which time zone?
        {"amount": [Decimal("NaN"), 1]},
        {1: ["a", "b"]},
    ],
)
def test_values_that_cannot_be_stored_faithfully_are_refused_before_anything_is_written(db, changes):
    with pytest.raises(AuditValueError):
        audit_append(actor=None, action="case.update", object_type="case", object_id="1", changes=changes)
    assert not AuditEntry.objects.exists()


def test_an_entry_rolled_back_with_its_transaction_leaves_no_gap(caseworker):
    audit_append(actor=caseworker, action="case.read", object_type="case", object_id="1")

    class CaseworkFailed(Exception):
        pass

    with pytest.raises(CaseworkFailed), transaction.atomic():
        audit_append(actor=caseworker, action="case.update", object_type="case", object_id="1")
        raise CaseworkFailed

    after = audit_append(actor=caseworker, action="case.update", object_type="case", object_id="1")
    assert after.sequence == 2
    assert list(AuditEntry.objects.values_list("sequence", flat=True)) == [1, 2]
    assert audit_verify().ok


def test_the_entry_stays_meaningful_after_the_user_is_deleted(caseworker):
    entry = audit_append(actor=caseworker, action="case.read", object_type="case", object_id="1")
    caseworker.staff_roles.all().delete()
    caseworker.delete()

    [kept] = entries_for_object(object_type="case", object_id="1").select_related("actor")
    assert kept.actor is None
    assert kept.actor_label == "max"
    assert kept.entry_hash == entry.entry_hash
    assert audit_verify().ok


def test_entries_for_object_lists_one_objects_history_oldest_first(caseworker):
    audit_append(actor=caseworker, action="case.read", object_type="case", object_id="1")
    audit_append(actor=caseworker, action="case.read", object_type="case", object_id="10")
    audit_append(actor=caseworker, action="document.add", object_type="document", object_id="1")
    audit_append(actor=caseworker, action="case.update", object_type="case", object_id="1")

    history = entries_for_object(object_type="case", object_id="1")
    assert [(e.sequence, e.action) for e in history] == [(1, "case.read"), (4, "case.update")]


@pytest.mark.parametrize("missing", ["action", "object_type", "object_id"])
def test_action_and_object_are_required(db, missing):
    arguments = {"action": "case.read", "object_type": "case", "object_id": "1", missing: ""}
    with pytest.raises(ValueError, match=missing):
        audit_append(actor=None, **arguments)
    assert not AuditEntry.objects.exists()
