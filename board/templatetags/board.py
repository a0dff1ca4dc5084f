from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from board.selectors import MARK_END, MARK_START

register = template.Library()


@register.filter
def highlighted(text: str) -> str:
    """A search headline: the text escaped, the matched words in <mark>."""
    safe = escape(text or "")
    return mark_safe(safe.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))  # noqa: S308
