from django import template

from rathaus.core.i18n import localized as localized_text

register = template.Library()


@register.filter
def localized(value: dict[str, str] | None) -> str:
    """{{ text|localized }}: a bilingual text from data in the active language."""
    return localized_text(value)


@register.filter
def get_item(mapping: object, key: str) -> object:
    """{{ mapping|get_item:key }} for dictionaries keyed by a variable."""
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.filter
def date_like(value: object) -> bool:
    """Whether `value` can be shown in an <input type=date> (empty or an ISO date); else a text input keeps it."""
    import re

    return value in (None, "") or (isinstance(value, str) and bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)))
