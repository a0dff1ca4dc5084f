"""Writes of the overview: ordering the förbund's year as a PDF."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from finsam.lib.services import service
from overview.yearly import year_context
from projects.access import sees_all_projects
from reports.models import Rendering
from reports.rendering import rendering_order


def year_pdf_html(rendering: Rendering) -> str:
    return render_to_string("pdf/year.html", year_context(rendering.year, outside=True))


@service(sees_all_projects)
def year_pdf_order(*, actor, year: int) -> Rendering:
    """Order the förbund's year as a PDF: for those who see every insats."""
    return rendering_order(
        actor=actor,
        what=_("Förbundets år %(year)s i siffror (PDF)") % {"year": year},
        filename=f"forbundets-ar-{year}.pdf",
        year=year,
        html="overview.services.year_pdf_html",
        origin=(reverse("overview:year", args=[year]), _("Året %(year)s") % {"year": year}),
        recheck=True,
    )
