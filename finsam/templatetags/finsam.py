from django import template

from finsam.lib.formatting import format_kronor, format_number

register = template.Library()


@register.filter
def kr(value):
    """{{ amount|kr }} → "1 234 567 kr"."""
    return format_kronor(value)


@register.filter
def num(value, decimals=0):
    """{{ value|num }} → "1 234 567"; {{ value|num:1 }} → "12,5"."""
    return format_number(value, int(decimals))


@register.simple_tag(takes_context=True)
def nav_current(context, section):
    """aria-current for the menu entry of the page's own section."""
    return "page" if context.get("current_section") == section else ""


@register.filter
def any_required(form) -> bool:
    """Whether the form has a visible field that must be filled in."""
    return any(field.field.required for field in form.visible_fields())


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` in a template (None when it is missing)."""
    return mapping.get(key) if mapping else None
