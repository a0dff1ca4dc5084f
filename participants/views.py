"""Deltagare: the list, enrolment, the status log, exit, statistics and exports.

Every page here may show personal data, so none is cached (no-store), and
every object is looked up through ``participations_visible_to``: outside
the user's scope it does not exist (404).
"""

from __future__ import annotations

import datetime as dt
import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from finsam.auth import recent_second_factor, recheck_redirect, second_factor_is_recent
from finsam.forms import form_errors
from finsam.lib.http import safe_next
from finsam.views import downloads
from finsam.views.outcome import attempt
from finsam.views.scoped import area, in_scope
from participants import access, exchange, identity, selectors, services
from participants import statistics as figures
from participants.forms import (
    CloseForm,
    DeleteMistakeForm,
    EnrolForm,
    ImportForm,
    ListFilterForm,
    NumberSearchForm,
    ReopenForm,
    StatisticsForm,
    StatusForm,
    WithdrawForm,
)


def participant_view(view):
    """Logged in with the participants permission, and never cached. Without
    the permission, a page about one participation or insats answers 404 (no
    participant is in the user's scope), the area's own pages 403."""

    return never_cache(area("finsam.use_participants")(view))


def _project_in_scope(request, pk):
    projects = selectors.projects_with_participants_for(request.user)
    try:
        return projects.get(pk=pk)
    except (projects.model.DoesNotExist, ValueError) as error:
        raise Http404 from error


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


@participant_view
def index(request):
    projects = selectors.projects_with_participants_for(request.user).only("reference", "name")
    may_follow = selectors.staffed_project_ids(request.user)
    form = ListFilterForm(
        request.GET or None, projects=projects, own=not access.sees_all_participations(request.user)
    )
    filters = form.cleaned_data if form.is_valid() else {}
    number_form = None
    if identity.enabled():
        number_form = NumberSearchForm(request.POST if request.method == "POST" else None)
    if number_form is not None and number_form.is_bound and number_form.is_valid():
        participations = selectors.participation_list(
            request.user, state="alla", search=number_form.cleaned_data["personnummer"]
        )
        services.number_search_logged(actor=request.user, hits=participations.count())
    else:
        participations = selectors.participation_list(
            request.user,
            project=filters.get("insats"),
            state=filters.get("visa") or "pagaende",
            search=filters.get("q") or "",
        )
    page = Paginator(participations, 50).get_page(request.GET.get("sida"))
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "participants/index.html",
        {
            "form": form,
            "number_form": number_form,
            "page": page,
            "query": query.urlencode(),
            "status_form": StatusForm(),
            "enrollable": selectors.projects_enrollable_by(request.user),
            "may_follow": may_follow,
        },
    )


@participant_view
def enrol(request, pk):
    """Enrol someone new, or (``?igen=<deltagande>``) someone coming back after
    a closed participation the user follows: the same person, a new consent."""
    project = _project_in_scope(request, pk)
    access.require(access.can_enrol(request.user, project))
    again = None
    again_pk = request.POST.get("igen") or request.GET.get("igen")
    if again_pk:
        again = in_scope(selectors.participation_for, request, again_pk)
        access.require(access.can_enrol_again(request.user, again))
    initial = (
        {"sex": again.sex, "birth_year": again.birth_year, "kommun": again.kommun_id}
        if again
        else None
    )
    form = EnrolForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            participation = services.participation_enrol(
                actor=request.user,
                project=project,
                participant=again.participant if again else None,
                **form.service_arguments(),
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            if participation.anonymous:
                messages.success(request, _("Deltagandet är registrerat anonymt (kön och år)."))
            else:
                messages.success(
                    request,
                    _("%(code)s är inskriven i %(project)s.")
                    % {"code": participation.participant.code, "project": project.name},
                )
            return redirect("participants:detail", participation.pk)
    return render(
        request, "participants/enrol.html", {"form": form, "project": project, "again": again}
    )


@participant_view
def detail(request, pk, *, refused=None):
    """The participation; a status form that was ``refused`` comes back
    with its errors and what was typed."""
    participation = in_scope(selectors.participation_for, request, pk)
    shown_identity = None
    if request.GET.get("visa") == "identitet" and access.sees_identity(request.user, participation):
        identified = participation.participant_id and participation.participant.identified
        if identified and not second_factor_is_recent(request):
            return recheck_redirect(request)
        shown_identity = services.identity_of(actor=request.user, participation=participation)
    may_follow = access.can_follow(request.user, participation)
    return render(
        request,
        "participants/detail.html",
        {
            "p": participation,
            "statuses": participation.statuses.select_related("kind", "created_by"),
            "incomes": participation.incomes.select_related("source"),
            "consent": getattr(participation, "consent", None),
            "may_follow": may_follow,
            "may_reopen": access.can_reopen(request.user) and participation.closed,
            "may_delete": access.can_reopen(request.user) and participation.is_mistake,
            "delete_form": DeleteMistakeForm(),
            "sees_identity": access.sees_identity(request.user, participation)
            and participation.participant_id
            and participation.participant.identified,
            "identity": shown_identity,
            "status_form": refused or StatusForm(),
            "reopen_form": ReopenForm(),
            "other_open": selectors.person_has_other_open_participation(participation),
            "may_enrol_again": access.can_enrol_again(request.user, participation),
        },
    )


@participant_view
@require_POST
def status_add(request, pk):
    participation = in_scope(selectors.participation_for, request, pk)
    access.require(access.can_follow(request.user, participation))
    form = StatusForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services.status_add(
                actor=request.user, participation=participation, **form.cleaned_data
            )
        except ValidationError as problem:
            error = " ".join(problem.messages)
    else:
        error = " ".join(m for errors in form.errors.values() for m in errors)
    if _is_htmx(request):
        row = selectors.participation_list(request.user, state="alla").get(pk=participation.pk)
        return render(
            request,
            "participants/_row.html",
            {
                "p": row,
                "status_form": StatusForm() if not error else form,
                "may_follow": {participation.project_id},
                "row_error": error,
                "row_saved": not error,
                "next_url": reverse("participants:index"),
            },
        )
    if error and not request.POST.get("next"):  # from the participation's own page
        if not form.errors:
            form.add_error(None, error)
        return detail(request, pk, refused=form)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Statusen är sparad."))
    return redirect(safe_next(request, participation.get_absolute_url()))


@participant_view
def close(request, pk):
    participation = in_scope(selectors.participation_for, request, pk)
    access.require(access.can_follow(request.user, participation))
    form = CloseForm(request.POST or None, minimal=participation.minimal)
    if request.method == "POST" and form.is_valid():
        try:
            services.participation_close(
                actor=request.user,
                participation=participation,
                end_date=form.cleaned_data["end_date"],
                exit_reason=form.cleaned_data["exit_reason"],
                occupation_after=form.cleaned_data.get("occupation_after"),
                incomes_after=form.incomes(),
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Deltagandet är avslutat."))
            return redirect(participation.get_absolute_url())
    return render(request, "participants/close.html", {"form": form, "p": participation})


@participant_view
@require_POST
def reopen(request, pk):
    participation = in_scope(selectors.participation_for, request, pk)
    access.require(access.can_reopen(request.user))
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Skriv varför deltagandet öppnas igen."))
    else:
        attempt(
            request,
            lambda: services.participation_reopen(
                actor=request.user, participation=participation, reason=form.cleaned_data["reason"]
            ),
            _("Deltagandet är öppnat igen."),
        )
    return redirect(participation.get_absolute_url())


@participant_view
@require_POST
def delete_mistake(request, pk):
    participation = in_scope(selectors.participation_for, request, pk)
    access.require(access.can_reopen(request.user))
    form = DeleteMistakeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Skriv varför felregistreringen tas bort."))
        return redirect(participation.get_absolute_url())
    deleted = attempt(
        request,
        lambda: services.participation_delete_mistake(
            actor=request.user, participation=participation, reason=form.cleaned_data["reason"]
        ),
        _("Felregistreringen är borttagen."),
    )
    if deleted:
        return redirect("participants:index")
    return redirect(participation.get_absolute_url())


@participant_view
def withdraw(request, pk):
    participation = in_scope(selectors.participation_for, request, pk)
    access.require(access.can_follow(request.user, participation))
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_withdraw(
                actor=request.user, participation=participation, on=form.cleaned_data["on"]
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request,
                _("Samtycket är återkallat. Deltagandet är reducerat till kön och år."),
            )
            return redirect(participation.get_absolute_url())
    return render(request, "participants/withdraw.html", {"form": form, "p": participation})


@participant_view
@recent_second_factor
def register_extract(request, pk):
    participation = in_scope(selectors.participation_for, request, pk)
    if not access.sees_identity(request.user, participation):
        raise Http404
    try:
        extract = services.register_extract(actor=request.user, participation=participation)
    except ValidationError as error:
        raise Http404 from error
    # The service has logged the export, with the participation it concerns.
    return downloads.attachment(
        json.dumps(extract, ensure_ascii=False, indent=2),
        f"registerutdrag-{participation.participant.code}.json",
    )


def _period(form, today):
    data = form.cleaned_data if form.is_valid() else {}
    start = data.get("fran") or dt.date(today.year, 1, 1)
    end = data.get("till") or dt.date(start.year, 12, 31)
    return data.get("insats"), start, end


def _statistics(request):
    """The filter form, what it chose, and the statistics of the user's scope."""
    projects = selectors.projects_with_participants_for(request.user)
    today = timezone.localdate()
    form = StatisticsForm(
        request.GET or None,
        projects=projects,
        # The fields show the period the heading names, also before a choice.
        initial={"fran": dt.date(today.year, 1, 1), "till": dt.date(today.year, 12, 31)},
    )
    project, start, end = _period(form, today)
    scope = selectors.participation_projects_visible_to(request.user)
    if project is not None:
        scope = scope.filter(pk=project.pk)
    return form, project, start, end, figures.period_statistics(scope, start=start, end=end)


@participant_view
def statistics(request):
    form, project, _start, _end, stats = _statistics(request)
    query = request.GET.copy()
    return render(
        request,
        "participants/statistics.html",
        {
            "form": form,
            "stats": stats,
            "project": project,
            "query": query.urlencode(),
            "years": figures.statistics_years(selectors.participations_visible_to(request.user)),
            "threshold": figures.federation_threshold(),
        },
    )


@participant_view
@recent_second_factor
def statistics_export(request):
    _form, project, start, end, stats = _statistics(request)
    content = exchange.statistics_workbook(
        stats, threshold=figures.federation_threshold(), project=project
    )
    return downloads.export(
        request,
        content,
        filename=f"deltagarstatistik-{start}-{end}.xlsx",
        what=_("Deltagarstatistik"),
    )


@participant_view
@recent_second_factor
def followup_export(request, year):
    participations = selectors.participations_visible_to(request.user)
    dataset = exchange.followup_dataset(
        participations, year=year, threshold=figures.federation_threshold()
    )
    return downloads.spreadsheet_export(
        request, [dataset], filename=f"uppfoljning-finsam-{year}", what=_("Uppföljning Finsam")
    )


@participant_view
def import_file(request):
    """Check the file (a dry run), or read it in: every row is validated first
    and nothing is written unless all are right. The file is not kept between
    the steps (it may hold personal data), so reading in means choosing it again."""
    form = ImportForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        if "las-in" in request.POST:
            confirmed = frozenset(
                int(line) for line in request.POST.getlist("bekrafta") if line.isdigit()
            )
            try:
                preview = exchange.participations_import_apply(
                    actor=request.user, content=content, filename=upload.name, confirmed=confirmed
                )
            except ValidationError as error:
                preview = exchange.participations_import_preview(request.user, content, upload.name)
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(
                    request, _("%(rows)s deltaganden är inlästa.") % {"rows": len(preview.rows)}
                )
                return redirect("participants:index")
        else:
            preview = exchange.participations_import_preview(request.user, content, upload.name)
    return render(
        request,
        "participants/import.html",
        {
            "form": form,
            "preview": preview,
            "columns": exchange.IMPORT_COLUMN_HELP,
            "identified": identity.enabled(),
        },
    )
