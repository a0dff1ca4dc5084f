"""Budget and utfall per insats, the förbund's year, export and import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from finsam import services as finsam_services
from finsam.auth import recent_second_factor
from finsam.forms import form_errors
from finsam.models import FederationEconomy
from finsam.views import downloads
from finsam.views.outcome import attempt
from finsam.views.scoped import requires
from projects import access, exchange, selectors, services
from projects import cost_import as costs_in
from projects.forms import (
    BudgetLineForm,
    CostEntryForm,
    DistributeForm,
    FederationEconomyForm,
    ForecastForm,
    ImportForm,
)
from projects.models import (
    GRANTED_STATUSES,
    ApplicationBudgetLine,
    BudgetLine,
    CostCategory,
    CostEntry,
    Forecast,
)
from projects.views.projects import project_or_404, use_projects

manage_budgets = requires(
    "finsam.manage_budgets", within="finsam.use_projects", find=project_or_404
)


def _line_or_404(request, pk) -> BudgetLine:
    return get_object_or_404(
        BudgetLine.objects.filter(
            project__in=selectors.projects_visible_to(request.user)
        ).select_related("project"),
        pk=pk,
    )


def _cost_or_404(request, pk) -> CostEntry:
    return get_object_or_404(
        CostEntry.objects.filter(project__in=selectors.projects_visible_to(request.user)), pk=pk
    )


@use_projects
def budget(request, pk, *, cost_form=None):
    """The insats's budget and utfall; a refused utfall comes back in its
    form, with its errors and what was typed."""
    project = project_or_404(request, pk)
    may_manage = access.manages_budgets(request.user)
    context = {
        "project": project,
        "tab": "budget",
        "overview": selectors.budget_overview(project),
        "money": list(selectors.money_per_year(project).values()),
        "lines": selectors.budget_lines_for_project(project),
        "costs": selectors.costs_for_project(project)[:24],
        "may_manage_budgets": may_manage,
        "may_manage": access.manages_applications(request.user),
    }
    if may_manage:
        context["line_form"] = BudgetLineForm(years=project.years, prefix="line")
        context["cost_form"] = cost_form or CostEntryForm(
            prefix="cost", initial={"month": timezone.localdate().replace(day=1)}
        )
    return render(request, "projects/budget.html", context)


@manage_budgets
def budget_distribute(request, pk, year):
    """Distribute a year's grant over its budget lines (a partial grant)."""
    project = project_or_404(request, pk)
    lines = list(
        BudgetLine.objects.filter(project=project, year=year)
        .select_related("category")
        .order_by("category__order", "id")
    )
    if not lines:
        raise Http404
    requested = {
        (line.category_id, line.description): line.amount
        for line in ApplicationBudgetLine.objects.filter(
            application__project=project, year=year, application__status__in=GRANTED_STATUSES
        )
    }
    for line in lines:
        line.requested = requested.get((line.category_id, line.description))
    form = DistributeForm(request.POST or None, lines=lines)
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_distribute(
                actor=request.user, project=project, year=year, amounts=form.amounts()
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Budgeten för %(year)s är fördelad.") % {"year": year})
            return redirect("projects:budget", project.pk)
    return render(
        request,
        "projects/budget_distribute.html",
        {
            "project": project,
            "tab": "budget",
            "year": year,
            "rows": form.rows(),
            "form": form,
            "granted": selectors.granted_per_year(project).get(year, 0),
            "total": sum(line.amount for line in lines),
            "may_manage": access.manages_applications(request.user),
        },
    )


@manage_budgets
def budget_line_add(request, pk):
    project = project_or_404(request, pk)
    return _budget_line_form(request, project, BudgetLine(project=project))


@requires("finsam.manage_budgets", within="finsam.use_projects", find=_line_or_404)
def budget_line_edit(request, pk):
    line = _line_or_404(request, pk)
    if request.method == "POST" and "ta_bort" in request.POST:
        services.budget_line_delete(actor=request.user, line=line)
        messages.success(request, _("Budgetposten är borttagen."))
        return redirect("projects:budget", line.project_id)
    return _budget_line_form(request, line.project, line)


def _budget_line_form(request, project, line):
    form = BudgetLineForm(request.POST or None, instance=line, years=project.years, prefix="line")
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_line_save(actor=request.user, line=form.save(commit=False))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Budgetposten är sparad."))
            return redirect("projects:budget", project.pk)
    return render(
        request, "projects/budget_line_form.html", {"form": form, "project": project, "line": line}
    )


@require_POST
@manage_budgets
def cost_add(request, pk):
    project = project_or_404(request, pk)
    form = CostEntryForm(request.POST, prefix="cost")
    if not form.is_valid():
        return budget(request, pk, cost_form=form)
    entry = form.save(commit=False)
    entry.project = project
    attempt(
        request,
        lambda: services.cost_entry_save(actor=request.user, entry=entry),
        _("Utfallet är registrerat."),
    )
    return redirect("projects:budget", project.pk)


@require_POST
@requires("finsam.manage_budgets", within="finsam.use_projects", find=_cost_or_404)
def cost_delete(request, pk):
    entry = _cost_or_404(request, pk)
    services.cost_entry_delete(actor=request.user, entry=entry)
    messages.success(request, _("Utfallet är borttaget."))
    return redirect("projects:budget", entry.project_id)


@manage_budgets
def forecast(request, pk, year):
    project = project_or_404(request, pk)
    categories = CostCategory.objects.filter(active=True)
    current = dict(
        Forecast.objects.filter(project=project, year=year).values_list("category", "amount")
    )
    form = ForecastForm(request.POST or None, categories=categories, initial_amounts=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.forecasts_set(
                actor=request.user, project=project, year=year, amounts=form.amounts()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Prognosen för %(year)s är sparad.") % {"year": year})
            return redirect("projects:budget", project.pk)
    return render(
        request, "projects/forecast_form.html", {"form": form, "project": project, "year": year}
    )


@manage_budgets
@recent_second_factor
def export_project(request, pk):
    project = project_or_404(request, pk)
    content = request.GET.get("innehall", "budget")
    datasets = [exchange.budget_dataset(project=project), exchange.cost_dataset(project=project)]
    if content == "utfall":
        datasets.reverse()
    # The workbook also has the page's table; a CSV is the first sheet alone.
    datasets.append(exchange.overview_dataset(project=project))
    return downloads.spreadsheet_export(
        request,
        datasets=datasets,
        filename=exchange.export_filename(project=project, what=content),
        what=_("Export av budget och utfall"),
    )


@manage_budgets
@recent_second_factor
def export_year(request, year):
    content = request.GET.get("innehall", "budget")
    datasets = [exchange.budget_dataset(year=year), exchange.cost_dataset(year=year)]
    if content == "utfall":
        datasets.reverse()
    datasets.append(exchange.overview_dataset(year=year))
    return downloads.spreadsheet_export(
        request,
        datasets=datasets,
        filename=exchange.export_filename(year=year, what=content),
        what=_("Export av budget och utfall"),
    )


@permission_required("finsam.view_all_projects", raise_exception=True)
def federation_year(request, year=None, *, economy_form=None):
    year = year or timezone.localdate().year
    may_edit = finsam_services.manages_federation(request.user)
    entered = FederationEconomy.objects.filter(year=year).first()
    return render(
        request,
        "projects/federation_year.html",
        {
            "summary": selectors.federation_year(year),
            "economy": selectors.federation_economy(year),
            "year": year,
            "years": selectors.project_years() or [year],
            "may_manage_budgets": access.manages_budgets(request.user),
            "economy_form": (economy_form or FederationEconomyForm(instance=entered))
            if may_edit
            else None,
        },
    )


@require_POST
@permission_required("finsam.view_all_projects", raise_exception=True)
def federation_economy_edit(request, year):
    """The förbund's own figures for the year: eget kapital, administration."""
    access.require(finsam_services.manages_federation(request.user))
    entered = FederationEconomy.objects.filter(year=year).first() or FederationEconomy(year=year)
    form = FederationEconomyForm(request.POST, instance=entered)
    if form.is_valid():
        try:
            finsam_services.federation_economy_save(
                actor=request.user, economy=form.save(commit=False)
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request, _("Förbundets ekonomi för %(year)s är sparad.") % {"year": year}
            )
            return redirect("projects:federation_year", year)
    return federation_year(request, year, economy_form=form)


SESSION_KEY = "projects_import"
UPLOAD_PURPOSE = "utfall"


@manage_budgets
def cost_import(request):
    """Upload → preview with every bad row → confirm, which writes all or nothing.

    Between the two steps the file waits in its own row (finsam.PendingUpload,
    the user's own, for 30 minutes); the session holds only its key."""
    form = ImportForm()
    preview = None
    if request.method == "POST" and "bekrafta" in request.POST:
        stored = finsam_services.pending_upload_get(
            actor=request.user,
            purpose=UPLOAD_PURPOSE,
            key=request.session.get(SESSION_KEY),
            sha256=request.POST.get("digest", ""),
        )
        if stored is None:
            messages.error(request, _("Importen har gått ut. Ladda upp filen igen."))
            return redirect("projects:import")
        content = bytes(stored.content)
        try:
            preview = costs_in.costs_import_apply(
                actor=request.user, content=content, filename=stored.filename
            )
        except ValidationError:
            preview = costs_in.costs_import_preview(content, stored.filename)
            messages.error(request, _("Filen innehåller fel och har inte lästs in."))
        else:
            finsam_services.pending_upload_discard(upload=stored)
            request.session.pop(SESSION_KEY, None)
            messages.success(
                request,
                _("%(rows)s rader med utfall är inlästa från %(file)s.")
                % {"rows": len(preview.rows), "file": preview.filename},
            )
            return redirect("projects:import")
        digest = stored.sha256
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        digest = None
        if form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            preview = costs_in.costs_import_preview(content, upload.name)
            if preview.is_valid:
                stored = finsam_services.pending_upload_store(
                    actor=request.user,
                    purpose=UPLOAD_PURPOSE,
                    filename=upload.name,
                    content=content,
                )
                request.session[SESSION_KEY] = str(stored.key)
                digest = stored.sha256
    else:
        digest = None
    return render(
        request,
        "projects/import.html",
        {
            "form": form,
            "preview": preview,
            "digest": digest,
        },
    )
