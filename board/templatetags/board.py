from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from board import sentences
from board.selectors import MARK_END, MARK_START

register = template.Library()


@register.filter
def highlighted(text: str) -> str:
    """A search headline: the text escaped, the matched words in <mark>."""
    safe = escape(text or "")
    return mark_safe(safe.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))  # noqa: S308


@register.filter
def decision_heading(text: str) -> str:
    return sentences.decision_heading(text)


@register.simple_tag
def board_partly(partly: dict, attendance) -> str:
    """ " (§ 28–35)" after a name in the protocol header, when it applies."""
    note = (partly or {}).get(attendance.pk)
    return f" ({note})" if note else ""
