from django import template

from rathaus.core.i18n import localized as localized_text

register = template.Library()


@register.filter
def localized(value: dict[str, str] | None) -> str:
    """{{ text|localized }}: a bilingual text from data in the active language."""
    return localized_text(value)
