"""Insatser: the list, registration, the insats page and its tabs."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from finsam.selectors import history_for
from finsam.views.outcome import attempt
from finsam.views.scoped import area, in_scope, requires
from projects import access, selectors, services
from projects.forms import (
    NewApplicationForm,
    ProjectEditForm,
    ProjectFilterForm,
    StaffForm,
    StatusForm,
)
from projects.models import (
    ApplicationKind,
    Attachment,
    Project,
    ProjectStaff,
)

use_projects = area("finsam.use_projects")


def project_or_404(request, pk) -> Project:
    return in_scope(selectors.project_for, request, pk)


def staff_or_404(request, pk) -> ProjectStaff:
    return get_object_or_404(
        ProjectStaff.objects.filter(
            project__in=selectors.projects_visible_to(request.user)
        ).select_related("project", "user"),
        pk=pk,
    )


manage_applications = requires(
    "finsam.manage_applications", within="finsam.use_projects", find=project_or_404
)


@use_projects
def index(request):
    form = ProjectFilterForm(request.GET or None, years=selectors.project_years())
    filters = form.cleaned_data if form.is_valid() else {}
    projects = selectors.project_list(
        request.user, **{k: v for k, v in filters.items() if v not in (None, "")}
    )
    page = Paginator(projects, 50).get_page(request.GET.get("sida"))
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "projects/index.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "may_register": access.manages_applications(request.user),
            "may_manage_budgets": access.manages_budgets(request.user),
        },
    )


@manage_applications
def inbox(request):
    applications = selectors.inbox(request.user)
    page = Paginator(applications, 50).get_page(request.GET.get("sida"))
    return render(request, "projects/inbox.html", {"page": page})


@manage_applications
def project_create(request):
    form = ProjectEditForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.project_create_with_application(
                actor=request.user,
                project=form.save(commit=False),
                partners=form.cleaned_data["partners"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Insatsen %(ref)s är registrerad. Fyll i ansökans avsnitt och lämna in den.")
                % {"ref": application.project.reference},
            )
            return redirect(application)
    return render(request, "projects/project_form.html", {"form": form, "project": None})


def _tab(request, pk, template, tab, **context):
    project = project_or_404(request, pk)
    user = request.user
    context = {
        "project": project,
        "tab": tab,
        "may_manage": access.manages_applications(user),
        "may_manage_budgets": access.manages_budgets(user),
        "may_apply": access.can_apply_for(user, project),
    } | {key: value(project) if callable(value) else value for key, value in context.items()}
    return render(request, template, context)


@use_projects
def detail(request, pk, *, staff_form=None):
    return _tab(
        request,
        pk,
        "projects/detail.html",
        "oversikt",
        partners=lambda p: p.partners.all(),
        staff=lambda p: p.staff.select_related("user"),
        phases=selectors.phases_for_project,
        staff_form=staff_form or StaffForm(),
        transitions=services.project_transitions_allowed,
        granted_total=selectors.granted_total_for,
        closing=lambda p: services.closing_missing(p) if services.has_ended(p) else None,
    )


@use_projects
def applications(request, pk):
    return _tab(
        request,
        pk,
        "projects/applications.html",
        "ansokningar",
        applications=lambda p: p.applications.select_related("created_by").prefetch_related(
            "granted"
        ),
    )


@use_projects
def goals(request, pk):
    return _tab(request, pk, "projects/goals.html", "mal", goals=selectors.goals_for_project)


@use_projects
def documents(request, pk):
    return _tab(
        request,
        pk,
        "projects/documents.html",
        "dokument",
        attachments=lambda p: Attachment.objects.filter(application__project=p).select_related(
            "application", "uploaded_by"
        ),
    )


@use_projects
def history(request, pk):
    return _tab(request, pk, "projects/history.html", "historik", history=history_for)


@manage_applications
def project_edit(request, pk):
    project = project_or_404(request, pk)
    form = ProjectEditForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(
                actor=request.user,
                project=form.save(commit=False),
                partners=form.cleaned_data["partners"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Insatsens uppgifter är sparade."))
            return redirect(project)
    return render(request, "projects/project_form.html", {"form": form, "project": project})


@require_POST
@manage_applications
def staff_add(request, pk):
    project = project_or_404(request, pk)
    form = StaffForm(request.POST)
    if not form.is_valid():  # the insats's page, with the form's errors
        return detail(request, pk, staff_form=form)
    attempt(
        request,
        lambda: services.project_staff_add(
            actor=request.user,
            project=project,
            user=form.cleaned_data["user"],
            role=form.cleaned_data["role"],
        ),
        _("%(name)s är tillagd.") % {"name": form.cleaned_data["user"]},
    )
    return redirect(project)


@require_POST
@requires("finsam.manage_applications", within="finsam.use_projects", find=staff_or_404)
def staff_remove(request, pk):
    staff = staff_or_404(request, pk)
    services.project_staff_remove(actor=request.user, staff=staff)
    messages.success(request, _("%(name)s är borttagen från insatsen.") % {"name": staff.user})
    return redirect(staff.project)


@require_POST
@manage_applications
def status_change(request, pk):
    project = project_or_404(request, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.project_change_status(
                actor=request.user,
                project=project,
                transition=form.cleaned_data["transition"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            project.refresh_from_db()
            messages.success(
                request,
                _("Insatsen har status %(status)s.")
                % {"status": project.get_status_display().lower()},
            )
    return redirect(project)


@use_projects
def application_new(request, pk):
    project = project_or_404(request, pk)
    kinds = [
        (k.value, k.label)
        for k in (ApplicationKind.CONTINUATION, ApplicationKind.SUPPLEMENT, ApplicationKind.CHANGE)
    ]
    access.require(access.can_apply_for(request.user, project))
    form = NewApplicationForm(
        request.POST or None, kinds=kinds, initial={"kind": request.GET.get("typ")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(
                actor=request.user,
                project=project,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(application)
    return render(request, "projects/application_new.html", {"form": form, "project": project})
