"""Canonical serialisation and hashing of audit entries (format version 1).

The hash of an entry is SHA-256 over UTF-8 JSON with sorted keys, no insignificant whitespace and these
fields: v, sequence, occurred_at (UTC, ISO 8601 with microseconds), municipality_id, actor_id, actor_kind,
actor_label, action, object_type, object_id, changes, rule, previous_hash. Changing this format needs a new
version number, and verification must keep accepting old entries in their version.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Mapping
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import AuditEntry

FORMAT_VERSION = 1


class AuditValueError(TypeError):
    """A value in `changes` that cannot be stored in the audit trail."""


def json_value(value: Any) -> Any:
    """`value` as plain JSON that reads back from every database exactly as written (so hashes stay equal).

    Decimals and floats become strings (PostgreSQL's jsonb would rewrite some floats, e.g. 1e20, as integers),
    dates and datetimes ISO 8601 strings (aware datetimes in UTC), UUIDs strings, enums their value,
    tuples lists and sets sorted lists. Anything else that is not JSON raises AuditValueError.
    """
    if isinstance(value, Enum):
        return json_value(value.value)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, str):
        if "\x00" in value:
            raise AuditValueError("Audit values cannot contain NUL characters.")
        return value
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise AuditValueError(f"Audit values must be finite numbers, not {value}.")
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise AuditValueError(f"Audit values must be finite numbers, not {value}.")
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise AuditValueError("Audit values must not be naive datetimes.")
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Mapping):
        result = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise AuditValueError(f"Audit keys must be strings, not {type(key).__name__}.")
            result[json_value(key)] = json_value(item)
        return result
    if isinstance(value, list | tuple):
        return [json_value(item) for item in value]
    if isinstance(value, set | frozenset):
        items = [json_value(item) for item in value]
        return sorted(items, key=canonical_json)
    raise AuditValueError(f"{type(value).__name__} cannot be stored in the audit trail; convert it to text first.")


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def timestamp_text(value: dt.datetime) -> str:
    if value.tzinfo is None:
        raise AuditValueError("occurred_at must be an aware datetime.")
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def entry_payload(entry: AuditEntry) -> dict[str, Any]:
    return {
        "v": FORMAT_VERSION,
        "sequence": entry.sequence,
        "occurred_at": timestamp_text(entry.occurred_at),
        "municipality_id": entry.municipality_id,
        "actor_id": entry.actor_id,
        "actor_kind": entry.actor_kind,
        "actor_label": entry.actor_label,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "changes": entry.changes,
        "rule": entry.rule,
        "previous_hash": entry.previous_hash,
    }


def entry_hash(entry: AuditEntry) -> str:
    """SHA-256 (hex) of the entry's canonical serialisation, including the previous entry's hash."""
    return hashlib.sha256(canonical_json(entry_payload(entry)).encode("utf-8")).hexdigest()
