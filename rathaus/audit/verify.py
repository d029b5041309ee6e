"""Verification of the audit chain: every hash recomputed, every link and sequence number checked."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection

from .chain import AuditValueError, entry_hash
from .models import GENESIS_HASH, AuditChainHead, AuditEntry

PROGRESS_EVERY = 10_000


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int  # entries examined (on failure: up to and including the first broken one)
    first_broken: int | None  # sequence number of the first broken (or missing) entry
    reason: str  # empty when ok
    kind: str = ""  # "hash mismatch", "broken link", "gap", "head mismatch" or "" when ok
    first_broken_id: int | None = None  # database id of that entry, if it exists


def audit_verify(
    *, progress: Callable[[int], None] | None = None, progress_every: int = PROGRESS_EVERY
) -> VerifyResult:
    """Walk the log in sequence order and stop at the first entry that does not fit the chain.

    The head is read first: an append commits its entry and the new head together, so all entries up to the
    head's sequence number exist, and entries appended while we verify (beyond it) are left for the next run.
    """
    head = AuditChainHead.objects.filter(pk=1).first()
    head_sequence = head.last_sequence if head else None
    entries = AuditEntry.objects.order_by("sequence")
    if head_sequence is not None:
        entries = entries.filter(sequence__lte=head_sequence)

    expected_sequence = 1
    previous_hash = GENESIS_HASH
    checked = 0
    for entry in entries.iterator(chunk_size=2000):
        checked += 1
        if entry.sequence != expected_sequence:
            missing = expected_sequence
            before = f"after #{missing - 1}" if missing > 1 else "the log starts with"
            return VerifyResult(
                ok=False,
                checked=checked,
                first_broken=missing,
                first_broken_id=None,
                kind="gap",
                reason=(
                    f"entry #{missing} is missing: {before} comes #{entry.sequence} "
                    f"(id {entry.pk}); an entry was deleted"
                ),
            )
        try:
            recomputed = entry_hash(entry)
        except AuditValueError as error:
            recomputed = f"(cannot be computed: {error})"
        if recomputed != entry.entry_hash:
            return VerifyResult(
                ok=False,
                checked=checked,
                first_broken=entry.sequence,
                first_broken_id=entry.pk,
                kind="hash mismatch",
                reason=f"entry #{entry.sequence} (id {entry.pk}) does not match its hash; its content was altered",
            )
        if entry.previous_hash != previous_hash:
            return VerifyResult(
                ok=False,
                checked=checked,
                first_broken=entry.sequence,
                first_broken_id=entry.pk,
                kind="broken link",
                reason=(
                    f"entry #{entry.sequence} (id {entry.pk}) does not link to the hash of entry "
                    f"#{entry.sequence - 1}; one of the two was altered or replaced"
                ),
            )
        previous_hash = entry.entry_hash
        expected_sequence += 1
        if progress is not None and checked % progress_every == 0:
            progress(checked)

    last_sequence = expected_sequence - 1
    if head is None:
        if last_sequence == 0:
            return VerifyResult(ok=True, checked=0, first_broken=None, reason="")
        return VerifyResult(
            ok=False,
            checked=checked,
            first_broken=last_sequence,
            kind="head mismatch",
            reason=f"the chain head is missing although {last_sequence} entries exist; it was deleted",
        )
    if last_sequence != head.last_sequence:
        return VerifyResult(
            ok=False,
            checked=checked,
            first_broken=last_sequence + 1,
            kind="gap",
            reason=(
                f"the log ends at #{last_sequence} but the chain head names #{head.last_sequence}; "
                f"entries from #{last_sequence + 1} on were deleted"
            ),
        )
    if previous_hash != head.last_hash:
        return VerifyResult(
            ok=False,
            checked=checked,
            first_broken=last_sequence,
            kind="head mismatch",
            reason=f"the last entry #{last_sequence} does not match the hash the chain head recorded for it",
        )
    # Entries past the head cannot come from audit_append, which moves the head in the same transaction. Read the
    # highest sequence before the head again: an append committed in between moves the head past it as well.
    highest = AuditEntry.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0
    current_head = AuditChainHead.objects.filter(pk=1).values_list("last_sequence", flat=True).first() or 0
    if highest > current_head:
        return VerifyResult(
            ok=False,
            checked=checked,
            first_broken=current_head + 1,
            kind="head mismatch",
            reason=(
                f"entries up to #{highest} lie beyond the chain head #{current_head}; "
                "they were inserted past the application"
            ),
        )
    return VerifyResult(ok=True, checked=checked, first_broken=None, reason="")


def protection_installed() -> bool:
    """Whether the triggers that make the audit table append-only exist (a table rebuild can drop them)."""
    table = AuditEntry._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal "
                "AND tgenabled <> 'D'",
                [table],
            )
            return cursor.fetchone()[0] >= 2
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table])
            return cursor.fetchone()[0] >= 2
    return False
