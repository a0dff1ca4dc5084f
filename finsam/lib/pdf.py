"""HTML templates to PDF with WeasyPrint: one place for every PDF the system makes."""

from __future__ import annotations

from django.template.loader import render_to_string
from weasyprint import HTML


def render(template: str, context: dict) -> bytes:
    return html_to_pdf(render_to_string(template, context))


# Tagged PDF (PDF/UA-1): a screen reader reads headings, tables and the
# reading order of the document, as DOS-lagen asks of published documents.
# It costs no measurable time.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}


def html_to_document(html: str):
    """The laid-out pages (WeasyPrint's Document), for one who wants to say
    how many there are before writing them (reports.rendering)."""
    # No base URL: a template can reach nothing outside itself (images are data: URIs).
    return HTML(string=html, base_url=None).render(**PDF_OPTIONS)


def html_to_pdf(html: str) -> bytes:
    return html_to_document(html).write_pdf(**PDF_OPTIONS)
