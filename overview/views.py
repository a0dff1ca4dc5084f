from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from finsam import selectors
from finsam.auth import recent_second_factor
from finsam.lib.spreadsheet import write_xlsx
from finsam.roles import EKONOMI, INSATSPERSONAL, KANSLI, STYRELSE, roles_of
from finsam.views.downloads import export
from overview import dashboard as dashboard_cards
from overview import services, yearly
from projects import selectors as project_selectors


@never_cache
def dashboard(request):
    """Översikt: cards for the roles the user has."""
    user = request.user
    roles = roles_of(user)
    today = timezone.localdate()
    year = today.year
    context = {
        "roles": roles,
        "is_kansli": KANSLI in roles,
        "is_insatspersonal": INSATSPERSONAL in roles,
        "is_styrelse": STYRELSE in roles,
        "is_ekonomi": EKONOMI in roles,
        "year": year,
    }
    context["cards"] = dashboard_cards.cards_for(user, today)
    context["decisions"] = context["cards"].pop("decisions", None)
    if user.has_perm("finsam.view_all_projects"):
        context["budget_use"] = project_selectors.federation_year(year)
    if user.has_perm("finsam.manage_federation"):
        contributions = selectors.contribution_summary(year)
        context["contribution_total"] = contributions["total"]
        context["member_count"] = contributions["members"]
    return render(request, "overview/dashboard.html", context)


# --- The förbund's year -----------------------------------------------------------

year_access = permission_required("finsam.view_all_projects", raise_exception=True)


@year_access
def year_page(request, year=None):
    year = year or timezone.localdate().year
    context = yearly.year_context(year, outside=not yearly.exact_counts_for(request.user))
    context["years"] = yearly.report_years() or [year]
    return render(request, "overview/year.html", context)


@year_access
@require_POST
def year_pdf(request, year):
    """Order the year's PDF; it is made off the request (many pages)."""
    ordered = services.year_pdf_order(actor=request.user, year=year)
    return redirect(ordered)


@year_access
@recent_second_factor
def year_workbook(request, year):
    report = yearly.federation_year_report(year)
    content = write_xlsx([t.dataset(report.threshold) for t in report.tables])
    return export(request, content, filename=f"forbundets-ar-{year}.xlsx", what=_("Året i siffror"))
