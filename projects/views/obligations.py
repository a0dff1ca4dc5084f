"""Rapportkrav: Bevakning, an insats's obligations and villkor, and the
kansli's changes to an obligation."""

from __future__ import annotations

import tablib
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from finsam.selectors import history_for
from finsam.views.downloads import spreadsheet_export
from finsam.views.outcome import attempt, attempt_form
from finsam.views.scoped import in_scope
from projects import access, selectors, services
from projects.forms import (
    ConditionsForm,
    ObligationFilterForm,
    ObligationForm,
    ObligationMoveForm,
    ObligationWaiveForm,
)
from projects.models import GRANTED_STATUSES, Application
from projects.views.projects import _tab, manage_applications, project_or_404, use_projects


def obligation_or_404(request, pk):
    return in_scope(selectors.obligation_for, request, pk)


def _watched(request):
    today = timezone.localdate()
    form = ObligationFilterForm(request.GET or None, states=selectors.WATCH_STATES)
    filters = form.cleaned_data if form.is_valid() else {}
    obligations = selectors.obligation_watch(
        request.user,
        today=today,
        state=filters.get("state", ""),
        kind=filters.get("kind", ""),
        member=filters.get("member"),
    )
    return form, obligations, today


def _row(obligation, today, *, names=True) -> dict:
    css, label = obligation.state(today)
    row = {"o": obligation, "due": obligation.due_text(today), "css": css, "state": label}
    if names:
        row["names"] = responsible(obligation)
    return row


def responsible(obligation) -> str:
    """The insats's staff, as Bevakning names them."""
    names = sorted({s.user.full_name or s.user.username for s in obligation.project.staff.all()})
    return ", ".join(names)


@use_projects
def watch(request):
    """Bevakning: the reports that are late or due soon, with who answers for them."""
    form, obligations, today = _watched(request)
    page = Paginator(obligations, 50).get_page(request.GET.get("sida"))
    rows = [_row(o, today) for o in page]
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "projects/watch.html",
        {"form": form, "page": page, "rows": rows, "today": today, "query": query.urlencode()},
    )


@use_projects
def watch_export(request):
    _form, obligations, today = _watched(request)
    dataset = tablib.Dataset(
        headers=[
            _("Diarienummer"),
            _("Insats"),
            _("Huvudman"),
            _("Rapport"),
            _("Perioden från"),
            _("Perioden till"),
            _("Senast"),
            _("Dagar kvar"),
            _("Status"),
            _("Ansvariga"),
        ],
        title=_("Bevakning"),
    )
    for o in obligations.iterator(chunk_size=500):
        dataset.append(
            [
                o.project.reference,
                o.project.name,
                o.project.owner.name,
                o.get_kind_display(),
                o.period_start,
                o.period_end,
                o.due_date,
                o.days_left(today) if o.is_open else None,
                o.state(today)[1],
                responsible(o),
            ]
        )
    return spreadsheet_export(
        request, [dataset], filename=f"bevakning-{today.isoformat()}", what=_("Bevakning")
    )


def _granted_applications(project):
    return Application.objects.filter(project=project, status__in=GRANTED_STATUSES).order_by(
        "decided_on", "pk"
    )


@use_projects
def project_obligations(request, pk, *, add_form=None):
    today = timezone.localdate()
    return _tab(
        request,
        pk,
        "projects/obligations.html",
        "rapportkrav",
        rows=lambda p: [_row(o, today, names=False) for o in selectors.obligations_of_project(p)],
        decisions=_granted_applications,
        add_form=add_form or ObligationForm(),
    )


@require_POST
@manage_applications
def obligation_add(request, pk):
    project = project_or_404(request, pk)
    form = ObligationForm(request.POST)
    if attempt_form(
        request,
        form,
        lambda data: services.obligation_add(actor=request.user, project=project, **data),
        _("Rapportkravet är tillagt."),
    ):
        return redirect("projects:obligations", project.pk)
    return project_obligations(request, pk, add_form=form)


@require_POST
@use_projects
def conditions_edit(request, pk):
    application = in_scope(selectors.application_for, request, pk)
    access.require(access.manages_applications(request.user))
    form = ConditionsForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.application_conditions_set(
                actor=request.user,
                application=application,
                conditions=form.cleaned_data["conditions"],
            ),
            _("Villkoren är sparade."),
        )
    return redirect("projects:obligations", application.project_id)


def _detail(request, obligation, *, move_form=None, waive_form=None):
    return render(
        request,
        "projects/obligation_detail.html",
        {
            "obligation": obligation,
            "project": obligation.project,
            "today": timezone.localdate(),
            "due_text": obligation.due_text(timezone.localdate()),
            "reminders": obligation.reminders.prefetch_related("recipients"),
            "reports": obligation.reports.order_by("version"),
            "may_manage": access.manages_applications(request.user),
            "move_form": move_form or ObligationMoveForm(),
            "waive_form": waive_form or ObligationWaiveForm(),
            "history": history_for(obligation),
        },
    )


@use_projects
def obligation_detail(request, pk):
    return _detail(request, obligation_or_404(request, pk))


def _change(request, pk, form_class, write, success, form_name):
    obligation = obligation_or_404(request, pk)
    access.require(access.manages_applications(request.user))
    form = form_class(request.POST)
    if attempt_form(request, form, lambda data: write(obligation, data), success):
        return redirect(obligation)
    return _detail(request, obligation, **{form_name: form})


@require_POST
@use_projects
def obligation_move(request, pk):
    return _change(
        request,
        pk,
        ObligationMoveForm,
        lambda o, data: services.obligation_move(actor=request.user, obligation=o, **data),
        _("Det nya datumet är sparat."),
        "move_form",
    )


@require_POST
@use_projects
def obligation_waive(request, pk):
    return _change(
        request,
        pk,
        ObligationWaiveForm,
        lambda o, data: services.obligation_waive(actor=request.user, obligation=o, **data),
        _("Rapportkravet är undantaget."),
        "waive_form",
    )
