"""HTML templates to PDF with WeasyPrint: one place for every PDF the system makes."""

from __future__ import annotations

import re

from django.template.loader import render_to_string
from weasyprint import HTML


def render(template: str, context: dict) -> bytes:
    return html_to_pdf(render_to_string(template, context))


# Tagged PDF (PDF/UA-1): a screen reader reads headings, tables and the
# reading order of the document, as DOS-lagen asks of published documents.
# It costs no measurable time.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}

# WeasyPrint's time to break a word grows with the square of its length: one
# pasted 5 000-letter "word" (a link, a row of dashes) took 80 seconds to
# hyphenate, and 100 000 letters held a worker for a quarter of an hour. No
# Swedish word is this long, so a longer run of letters gets a zero-width
# space (an invisible place to break the line) after every RUN letters.
RUN = 60
_LETTER = r"(?:&#?\w{1,10};|[^\s&<])"  # a character, or an entity (&amp;) as one
_LONG_RUN = re.compile(rf"({_LETTER}{{{RUN}}})(?={_LETTER})")
_TAG_OR_STYLE = re.compile(r"(<style.*?</style>|<[^>]*>)", re.DOTALL | re.IGNORECASE)


def breakable(html: str) -> str:
    """The HTML with a place to break in every run of more than RUN letters
    of its text; tags, attributes (data: images) and style sheets untouched."""
    parts = _TAG_OR_STYLE.split(html)
    # split() with one group: text, tag, text, tag … so the text is every other part.
    parts[::2] = [_LONG_RUN.sub("\\1\u200b", text) for text in parts[::2]]
    return "".join(parts)


def html_to_document(html: str):
    """The laid-out pages (WeasyPrint's Document), for one who wants to say
    how many there are before writing them (reports.rendering)."""
    # No base URL: a template can reach nothing outside itself (images are data: URIs).
    return HTML(string=breakable(html), base_url=None).render(**PDF_OPTIONS)


def html_to_pdf(html: str) -> bytes:
    return html_to_document(html).write_pdf(**PDF_OPTIONS)
