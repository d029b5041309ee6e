"""The JSON Schema of a service's form, with the formats Rathaus adds (iban, upload)."""

import copy
import re
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

from .definition_schema import ADDRESS_SCHEMA

FORMAT_CHECKER = FormatChecker()


@FORMAT_CHECKER.checks("iban")
def iban_is_valid(value: object) -> bool:
    """ISO 13616: country code, check digits, and the mod-97 checksum over the rearranged number."""
    if not isinstance(value, str):
        return True
    compact = value.replace(" ", "").upper()
    if not re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}", compact):
        return False
    if compact.startswith("DE") and len(compact) != 22:
        return False
    rearranged = compact[4:] + compact[:4]
    digits = "".join(str(int(char, 36)) for char in rearranged)
    return int(digits) % 97 == 1


@FORMAT_CHECKER.checks("upload")
def upload_reference_is_valid(value: object) -> bool:
    """An upload field holds the id of a stored upload; the applications module resolves it."""
    return not isinstance(value, str) or bool(re.fullmatch(r"[A-Za-z0-9_-]{1,64}", value))


def form_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The definition's schema with the shared `$defs/address` added."""
    full = copy.deepcopy(schema)
    full.setdefault("$defs", {})["address"] = ADDRESS_SCHEMA
    return full


def form_validator(schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator(form_schema(schema), format_checker=FORMAT_CHECKER)
