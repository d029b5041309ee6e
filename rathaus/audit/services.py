"""Writes of the audit trail: appending is the only one there is."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from .chain import entry_hash, json_value
from .models import GENESIS_HASH, ActorKind, AuditChainHead, AuditEntry

if TYPE_CHECKING:
    from rathaus.accounts.models import User
    from rathaus.tenants.models import Municipality


class AuditChainError(RuntimeError):
    """The chain cannot be continued safely (its head is missing while entries exist)."""


def _head_locked() -> AuditChainHead:
    """The chain head, locked until the surrounding transaction ends.

    Why a locked head row and not an advisory lock: the row lock is plain ORM (`select_for_update`) and is
    released exactly when the caller's transaction commits or rolls back, on PostgreSQL like on any other
    database with row locks; it needs no lock-key convention shared with other code; and the same row stores
    the last sequence number and hash, so an append reads one row instead of searching the log for its end.
    A second transaction that appends blocks on this row until the first has committed, then sees the new
    head, so the chain can never fork. The price: audited transactions are serialised installation-wide while
    they hold the lock, so callers append late in their transaction. SQLite ignores FOR UPDATE but serialises
    writing transactions itself (Rathaus starts them IMMEDIATE, see settings).
    """
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        # get_or_create uses a savepoint: a concurrent first append that wins the insert is fetched instead.
        # Entries are looked at only when this transaction created the head: checking before would race with a
        # first append that commits its head and entry in between.
        _head, created = AuditChainHead.objects.get_or_create(
            pk=1, defaults={"last_sequence": 0, "last_hash": GENESIS_HASH}
        )
        head = AuditChainHead.objects.select_for_update().get(pk=1)
        if created and AuditEntry.objects.exists():
            raise AuditChainError(
                "The audit chain head is missing although audit entries exist; run `rathaus verify_audit`."
            )
    return head


@transaction.atomic
def audit_append(
    *,
    actor: User | None,
    action: str,
    object_type: str,
    object_id: str,
    municipality: Municipality | None = None,
    changes: dict[str, Any] | None = None,
    rule: str = "",
) -> AuditEntry:
    """Append one entry to the audit trail, inside the caller's transaction (it rolls back with it).

    `actor=None` means the system (then `rule` names the automation rule that acted). `changes` maps field
    names to `[old, new]`; values are converted to JSON deterministically (see chain.json_value) and anything
    that cannot be converted raises chain.AuditValueError before anything is written.
    """
    for name, text in (("action", action), ("object_type", object_type), ("object_id", object_id)):
        if not isinstance(text, str) or not text:
            raise ValueError(f"audit_append: {name} must be a non-empty string.")
    normalised = json_value(changes or {})
    if actor is None:
        actor_kind, actor_label = ActorKind.SYSTEM, rule or "system"
    else:
        if actor.pk is None:
            raise ValueError("audit_append: the actor must be a saved user.")
        actor_kind, actor_label = ActorKind.USER, actor.get_username()

    head = _head_locked()
    entry = AuditEntry(
        sequence=head.last_sequence + 1,
        # Taken after the lock, so times follow the sequence (on one clock).
        occurred_at=timezone.now(),
        municipality=municipality,
        actor=actor,
        actor_kind=actor_kind,
        actor_label=actor_label,
        action=action,
        object_type=object_type,
        object_id=object_id,
        changes=normalised,
        rule=rule,
        previous_hash=head.last_hash,
    )
    entry.full_clean(exclude=["entry_hash", "actor", "municipality"], validate_unique=False, validate_constraints=False)
    entry.entry_hash = entry_hash(entry)
    entry.save(force_insert=True)
    head.last_sequence = entry.sequence
    head.last_hash = entry.entry_hash
    head.save(update_fields=["last_sequence", "last_hash"])
    return entry
