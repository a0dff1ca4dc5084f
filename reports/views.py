"""Reports: list, start, write (with autosave), preview, PDF and the workflow."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from finsam.auth import recheck_redirect, second_factor_is_recent
from finsam.forms import form_errors
from finsam.views.downloads import attachment
from finsam.views.outcome import attempt
from finsam.views.scoped import area, in_scope
from projects import access as project_access
from projects import selectors as project_selectors
from projects.models import Goal
from projects.selectors import projects_visible_to
from reports import access, presentation, rendering, selectors, services
from reports.forms import (
    GoalOutcomeForm,
    ReportCreateForm,
    ReportFilterForm,
    ReportHeadingForm,
    ReturnForm,
)
from reports.models import GoalOutcome, Rendering, RenderingStatus, Report
from reports.services import REPORTABLE


def use_reports(view):
    return login_required(area("finsam.use_reports")(view))


def _startable_projects(user):
    projects = projects_visible_to(user).filter(status__in=REPORTABLE)
    if project_access.manages_applications(user):
        return projects.order_by("name")
    return projects.staffed_by(user).order_by("name")


@use_reports
def index(request):
    filters = ReportFilterForm(request.GET or None)
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    return render(
        request,
        "reports/index.html",
        {
            "reports": selectors.report_list(request.user, status=status)[:200],
            "awaiting": selectors.awaiting_approval(request.user),
            "filters": filters,
            "may_start": _startable_projects(request.user).exists(),
        },
    )


@use_reports
def report_create(request):
    projects = _startable_projects(request.user)
    initial = {}
    if request.GET.get("insats"):
        initial["project"] = request.GET["insats"]
    if request.GET.get("krav"):
        # "Skriv rapporten" on an obligation: its kind and period.
        obligation = in_scope(project_selectors.obligation_for, request, request.GET["krav"])
        initial |= {
            "project": obligation.project_id,
            "kind": obligation.kind,
            "period_start": obligation.period_start,
            "period_end": obligation.period_end,
        }
    form = ReportCreateForm(request.POST or None, projects=projects, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.report_create(
                actor=request.user,
                project=data["project"],
                kind=data["kind"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                title=data["title"],
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Rapporten är skapad. Skriv under varje rubrik."))
            return redirect(report)
    return render(request, "reports/create.html", {"form": form})


def _report(request, pk) -> Report:
    return in_scope(selectors.report_for, request, pk)


def _writable(request, pk) -> Report:
    """The report, for those who write its insats's reports (403 for others who see it)."""
    report = _report(request, pk)
    access.require(access.can_start_for(request.user, report.project))
    return report


@login_required
def detail(request, pk, *, refused=None):
    """The report: the editor while it is an utkast its writer may change,
    otherwise the report as it reads, with the workflow's next step. A form
    the writer sent that was ``refused`` comes back with its errors."""
    report = _report(request, pk)
    if not request.user.has_perm("finsam.use_reports"):
        return redirect("reports:preview", report.pk)
    may_write = access.can_write(request.user, report)
    prefetch_related_objects([report], "outcomes")  # the figures and the forms read them
    # The editor shows the tables; the charts are in the preview and the PDF.
    context = presentation.report_context(report, charts=not may_write)
    if may_write:
        outcomes = selectors.hand_outcomes(report)
        context["goal_forms"] = [
            (
                goal,
                refused
                if refused is not None and refused.prefix == f"mal-{goal['goal_id']}"
                else GoalOutcomeForm(
                    instance=outcomes.get(goal["goal_id"]) or GoalOutcome(),
                    prefix=f"mal-{goal['goal_id']}",
                ),
            )
            for goal in context["goals"]
        ]
        context["heading_form"] = (
            refused
            if isinstance(refused, ReportHeadingForm)
            else ReportHeadingForm(instance=report)
        )
        context["missing"] = selectors.missing_for_submission(
            report, {s["key"]: s["text"] for s in context["sections"]}, context["goals"]
        )
    context |= {
        "may_write": may_write,
        "may_approve": access.can_approve(request.user, report),
        "may_new_version": access.can_make_new_version(request.user, report),
        "return_form": ReturnForm(),
        "versions": selectors.versions_of(report),
    }
    if report.is_approved:
        context["agenda_meeting"] = selectors.agenda_meeting_of(report)
    return render(request, "reports/detail.html", context)


@use_reports
@require_POST
def heading_update(request, pk):
    report = _writable(request, pk)
    form = ReportHeadingForm(request.POST, instance=report)
    if not form.is_valid():
        return detail(request, pk, refused=form)
    attempt(
        request,
        lambda: services.report_update(actor=request.user, report=form.instance),
        _("Rubrik och period är sparade."),
    )
    return redirect(report)


@use_reports
@require_POST
def section_save(request, pk, key):
    """Save one section's text. The editor posts here as the user types
    (htmx) and answers with the saved status; without script, the button."""
    report = _writable(request, pk)
    body = request.POST.get("body", "")
    error = ""
    try:
        services.report_section_save(actor=request.user, report=report, key=key, body=body)
    except ValidationError as refused:
        error = " ".join(refused.messages)
    if request.headers.get("HX-Request"):
        return render(
            request,
            "reports/_saved.html",
            {"error": error, "saved_at": timezone.localtime()},
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Texten är sparad."))
    return redirect(f"{report.get_absolute_url()}#s-{key}")


@use_reports
@require_POST
def outcome_save(request, pk, goal_pk):
    report = _writable(request, pk)
    goal = get_object_or_404(Goal.objects.select_related("application"), pk=goal_pk)
    existing = GoalOutcome.objects.filter(report=report, goal=goal).first()
    form = GoalOutcomeForm(
        request.POST, instance=existing or GoalOutcome(goal=goal), prefix=f"mal-{goal.pk}"
    )
    if not form.is_valid():
        return detail(request, pk, refused=form)
    outcome = form.save(commit=False)
    outcome.goal = goal
    attempt(
        request,
        lambda: services.goal_outcome_save(actor=request.user, report=report, outcome=outcome),
        _("Utfallet är sparat."),
    )
    return redirect(f"{report.get_absolute_url()}#s-mal")


def _workflow(request, pk, write, success, *, back_to_list: bool = False):
    """Run ``write`` on the report; ``success`` is the message, or makes it
    from what ``write`` returned."""
    report = _report(request, pk)
    try:
        result = write(report)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(report)
    messages.success(request, success(result) if callable(success) else success)
    if back_to_list:
        return redirect("reports:index")
    return redirect(result if isinstance(result, Report) else report)


@use_reports
@require_POST
def submit(request, pk):
    return _workflow(
        request,
        pk,
        lambda r: services.report_submit(actor=request.user, report=r),
        _("Rapporten är inlämnad. Siffrorna är frysta och kansliet granskar den."),
    )


@use_reports
@require_POST
def send_back(request, pk):
    form = ReturnForm(request.POST)
    comment = form.data.get("comment", "")
    return _workflow(
        request,
        pk,
        lambda r: services.report_return(actor=request.user, report=r, comment=comment),
        _("Rapporten är skickad tillbaka till insatsen."),
    )


@use_reports
@require_POST
def approve(request, pk):
    return _workflow(
        request,
        pk,
        lambda r: services.report_approve(actor=request.user, report=r),
        _approved,
    )


def _approved(report) -> str:
    """Where the approved report went: the dagordning of the next meeting not
    yet called, or the next meeting to be created."""
    meeting = getattr(report, "agenda_meeting", None)
    if meeting is None:
        return _(
            "Rapporten är godkänd. Inget sammanträde är planerat: den kommer med på "
            "dagordningen när nästa sammanträde skapas."
        )
    return _("Rapporten är godkänd och står på dagordningen för sammanträdet %(date)s.") % {
        "date": meeting.date.isoformat()
    }


@use_reports
@require_POST
def new_version(request, pk):
    return _workflow(
        request,
        pk,
        lambda r: services.report_new_version(actor=request.user, report=r),
        _("En ny version är skapad som utkast, med texten från den förra."),
    )


@use_reports
@require_POST
def delete(request, pk):
    return _workflow(
        request,
        pk,
        lambda r: services.report_delete(actor=request.user, report=r),
        _("Utkastet är borttaget."),
        back_to_list=True,
    )


@login_required
def preview(request, pk):
    """The report as it reads in the PDF, as a web page."""
    report = _report(request, pk)
    return render(request, "reports/preview.html", presentation.report_context(report))


@login_required
@require_POST
def pdf(request, pk):
    """Order the report as a PDF; a worker makes it (a few seconds)."""
    ordered = services.report_pdf_order(actor=request.user, report=_report(request, pk))
    return redirect(ordered)


# --- Files made off the request -------------------------------------------------


def _rendering(request, pk) -> Rendering:
    """The file ordered by this user, while it is kept (a day)."""
    return rendering.status_of(
        get_object_or_404(
            Rendering.objects.defer("content"),
            pk=pk,
            requested_by=request.user,
            created_at__gt=timezone.now() - rendering.KEPT_FOR,
        )
    )


@login_required
def rendering_status(request, pk):
    """The ordered file's progress; htmx asks again every second until it is done."""
    ordered = _rendering(request, pk)
    template = (
        "reports/_rendering.html"
        if request.headers.get("HX-Request")
        else ("reports/rendering.html")
    )
    return render(request, template, {"rendering": ordered})


@login_required
def rendering_download(request, pk):
    ordered = _rendering(request, pk)
    if ordered.status != RenderingStatus.DONE:
        raise Http404
    if ordered.recheck and not second_factor_is_recent(request):
        return recheck_redirect(request)
    content = Rendering.objects.values_list("content", flat=True).get(pk=pk)
    return attachment(bytes(content), ordered.filename)
