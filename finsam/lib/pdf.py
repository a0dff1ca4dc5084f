"""HTML templates to PDF with WeasyPrint: one place for every PDF the system makes."""

from __future__ import annotations

from django.template.loader import render_to_string
from weasyprint import HTML


def render(template: str, context: dict) -> bytes:
    return html_to_pdf(render_to_string(template, context))


def html_to_pdf(html: str) -> bytes:
    # No base URL: a template can reach nothing outside itself (images are data: URIs).
    return HTML(string=html, base_url=None).write_pdf()
