"""Bilingual texts stored as data ({"de": ..., "en": ...}), shown in the active language."""

from django.utils.translation import get_language


def localized(text: dict[str, str] | None, language: str | None = None) -> str:
    """The text in `language` (default: the active one), falling back to German."""
    if not text:
        return ""
    code = (language or get_language() or "de").split("-")[0]
    return text.get(code) or text.get("de") or next(iter(text.values()), "")
