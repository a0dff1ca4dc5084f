"""The year's tables, row by row: thousands of cells are joined here in
Python instead of looping in the template (the page rendered in almost a
second at bench scale, nearly all of it template work)."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


def _classes(table) -> list[str]:
    """Each column's cell class: numbers right-aligned, dates never broken."""
    classes = []
    for i in range(len(table.columns)):
        if i in table.money or i in table.counts:
            classes.append(' class="num"')
        elif i in table.dates:
            classes.append(' class="text-nowrap"')
        else:
            classes.append("")
    return classes


@register.simple_tag
def year_rows(shown) -> str:
    """``<tr>`` of every row of a shown table (``year_context``'s tables)."""
    classes = _classes(shown["table"])
    return mark_safe(  # noqa: S308 - every cell is escaped, the classes are constants
        "".join(
            "<tr>"
            + "".join(f"<td{classes[i]}>{escape(cell)}</td>" for i, cell in enumerate(row))
            + "</tr>"
            for row in shown["rows"]
        )
    )


@register.simple_tag
def year_total(shown) -> str:
    """The total row's cells (numbers right-aligned; no date class in a total)."""
    classes = [c if c == ' class="num"' else "" for c in _classes(shown["table"])]
    return mark_safe(  # noqa: S308 - as above
        "".join(f"<td{classes[i]}>{escape(cell)}</td>" for i, cell in enumerate(shown["total"]))
    )
