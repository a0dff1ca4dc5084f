"""Applications: reading, writing section by section, and the workflow."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from finsam.models import AuditAction
from finsam.selectors import history_for
from finsam.services import log_event
from finsam.views.outcome import attempt
from finsam.views.scoped import in_scope
from projects import access, sections, selectors, services
from projects.forms import (
    ApplicationBudgetLineForm,
    AttachmentForm,
    CarryOverForm,
    CofinancingForm,
    DecisionForm,
    GoalForm,
    PhaseForm,
    PrepareForm,
    section_form_class,
)
from projects.models import (
    GRANTED_STATUSES,
    Application,
    ApplicationBudgetLine,
    ApplicationStatus,
    Attachment,
    Cofinancing,
    Decision,
    PaymentSchedule,
    years_between,
)
from projects.views.projects import use_projects

# The form that adds one item to each list a section holds.
ITEM_FORMS = {
    "goals": GoalForm,
    "phases": PhaseForm,
    "budget_lines": ApplicationBudgetLineForm,
    "cofinancing": CofinancingForm,
    "attachments": AttachmentForm,
}


def application_or_404(request, pk) -> Application:
    return in_scope(selectors.application_for, request, pk)


def _years(application):
    if application.period_start and application.period_end:
        return years_between(application.period_start, application.period_end)
    return application.project.years


def _sections(application):
    """The section menu: title, whether required, what is missing."""
    missing = selectors.application_missing(application)
    return [
        {
            "slug": section.slug,
            "title": section.title,
            "required": bool(section.needed_for(application.kind)),
            "missing": missing.get(section.slug, []),
        }
        for section in sections.SECTIONS
    ]


@use_projects
def application_detail(request, pk):
    application = application_or_404(request, pk)
    # The page lists every part of the application; read each once, and the
    # section menu and the sums per year count from the same lists.
    prefetch_related_objects(
        [application],
        Prefetch("budget_lines", queryset=ApplicationBudgetLine.objects.select_related("category")),
        "goals",
        "phases",
        Prefetch("cofinancing", queryset=Cofinancing.objects.select_related("member")),
        Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by")),
        "granted",
    )
    user = request.user
    manages = access.manages_applications(user)
    requested = selectors.requested_per_year(application)
    context = {
        "application": application,
        "project": application.project,
        "sections": _sections(application),
        "may_write": application.is_editable and access.can_write_application(user, application),
        "may_manage": manages,
        "requested": requested,
        "requested_total": sum(requested.values()),
        "budget_lines": application.budget_lines.all(),
        "goals": application.goals.all(),
        "phases": application.phases.all(),
        "cofinancing": application.cofinancing.all(),
        "attachments": application.attachments.all(),
        "granted": application.granted.all(),
        "history": history_for(application),
    }
    if manages and application.status == ApplicationStatus.IN_PREPARATION:
        context["prepare_form"] = PrepareForm(
            initial={
                "statement": application.preparation_statement,
                "recommendation": application.recommendation,
            }
        )
    if manages and application.status == ApplicationStatus.READY:
        # On a dagordning, the protocol decides; otherwise the form records one.
        context["pending_meeting"] = selectors.pending_meeting_of(application)
        if not context["pending_meeting"]:
            context["decision_form"] = DecisionForm(
                years=context["requested"].keys(),
                initial={"decided_on": timezone.localdate()},
            )
    if manages and _carries(application):
        context["carry_form"] = CarryOverForm(years=application.project.years[:-1])
        context["carried"] = application.grant_adjustments.filter(kind="overfort_till")
    return render(request, "projects/application_detail.html", context)


def _carries(application) -> bool:
    return (
        application.kind in services.CARRYING_KINDS
        and application.status in GRANTED_STATUSES
        and len(application.project.years) > 1
    )


@require_POST
@use_projects
def carry_over(request, pk):
    application = application_or_404(request, pk)
    access.require(access.manages_applications(request.user))
    form = CarryOverForm(request.POST, years=application.project.years[:-1])
    if form.is_valid():
        attempt(
            request,
            lambda: services.grant_carry_over(
                actor=request.user, application=application, **form.cleaned_data
            ),
            _("Medlen är överförda till nästa år."),
        )
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(application)


@use_projects
def application_section(request, pk, section):
    application = application_or_404(request, pk)
    section = sections.section(section)
    if section is None:
        raise Http404
    access.require(access.can_write_application(request.user, application))
    if not application.is_editable:
        messages.info(request, _("Ansökan är inlämnad och kan inte ändras."))
        return redirect(application)
    context = {
        "application": application,
        "project": application.project,
        "section": section.slug,
        "section_title": section.title,
        "sections": _sections(application),
    }
    if section.items:
        return _item_section(request, application, section, context)

    form_class = section_form_class(list(section.fields))
    form = form_class(request.POST or None, instance=application)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_update(actor=request.user, application=form.save(commit=False))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Avsnittet %(section)s är sparat som utkast.") % {"section": section.title},
            )
            return redirect(_next_section(application, section, request))
    context["form"] = form
    return render(request, "projects/application_section.html", context)


def _next_section(application, section, request):
    if "spara_och_fortsatt" in request.POST:
        following = sections.following(section)
        if following is None:
            return application.get_absolute_url()
        return reverse("projects:application_section", args=[application.pk, following.slug])
    return reverse("projects:application_section", args=[application.pk, section.slug])


def _item_section(request, application, section, context):
    related = section.items
    form_class = ITEM_FORMS[related]
    kwargs = {"years": _years(application)} if related == "budget_lines" else {}
    if related == "attachments":
        form = form_class(request.POST or None, request.FILES or None)
    else:
        form = form_class(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        if related == "attachments":
            item = form.instance(application, request.user)
        else:
            item = form.save(commit=False)
            item.application = application
        try:
            services.application_item_save(actor=request.user, item=item)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Sparat."))
            return redirect("projects:application_section", application.pk, section.slug)
    items = getattr(application, related).all()
    if related == "budget_lines":
        items = items.select_related("category")
    elif related == "cofinancing":
        items = items.select_related("member")
    context |= {"form": form, "items": items}
    if related == "budget_lines":
        context["requested"] = selectors.requested_per_year(application)
        context["requested_total"] = sum(context["requested"].values())
    return render(request, "projects/application_section.html", context)


@require_POST
@use_projects
def application_item_delete(request, pk, section, item):
    application = application_or_404(request, pk)
    found = sections.section(section)
    if found is None or not found.items:
        raise Http404
    model = Application._meta.get_field(found.items).related_model
    try:
        obj = model.objects.get(pk=item, application=application)
    except model.DoesNotExist as missing:
        raise Http404 from missing
    attempt(
        request,
        lambda: services.application_item_delete(actor=request.user, item=obj),
        _("Borttaget."),
    )
    return redirect("projects:application_section", application.pk, section)


@use_projects
def attachment_download(request, pk):
    try:
        attachment = Attachment.objects.select_related("application").get(
            pk=pk,
            application__in=selectors.applications_visible_to(request.user),
        )
    except Attachment.DoesNotExist as missing:
        raise Http404 from missing
    log_event(actor=request.user, action=AuditAction.VIEW, obj=attachment, message=attachment.name)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


def _workflow(request, pk, action, success):
    application = application_or_404(request, pk)
    attempt(request, lambda: action(application), success)
    return redirect(application)


@require_POST
@use_projects
def application_submit(request, pk):
    return _workflow(
        request,
        pk,
        lambda a: services.application_submit(actor=request.user, application=a),
        _("Ansökan är inlämnad till förbundets kansli."),
    )


@require_POST
@use_projects
def application_begin_preparation(request, pk):
    application_or_404(request, pk)  # out of scope: 404, before the role's 403
    access.require(access.manages_applications(request.user))
    return _workflow(
        request,
        pk,
        lambda a: services.application_begin_preparation(actor=request.user, application=a),
        _("Ansökan är under beredning."),
    )


@require_POST
@use_projects
def application_mark_ready(request, pk):
    application_or_404(request, pk)  # out of scope: 404, before the role's 403
    access.require(access.manages_applications(request.user))
    form = PrepareForm(request.POST)
    form.is_valid()
    return _workflow(
        request,
        pk,
        lambda a: services.application_mark_ready(
            actor=request.user,
            application=a,
            statement=form.cleaned_data.get("statement", ""),
            recommendation=form.cleaned_data.get("recommendation", ""),
        ),
        _("Ansökan är redo för beslut."),
    )


@require_POST
@use_projects
def application_decide(request, pk):
    application_or_404(request, pk)  # out of scope: 404, before the role's 403
    access.require(access.manages_applications(request.user))
    application = application_or_404(request, pk)
    form = DecisionForm(request.POST, years=selectors.requested_per_year(application).keys())
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(application)
    decision = form.cleaned_data["decision"]
    return _workflow(
        request,
        pk,
        lambda a: services.application_decide(
            actor=request.user,
            application=a,
            decision=decision,
            decided_on=form.cleaned_data["decided_on"],
            granted=form.granted(),
            note=form.cleaned_data["note"],
            reference=form.cleaned_data["reference"],
            conditions=form.cleaned_data["conditions"],
            payment_schedule=form.cleaned_data["payment_schedule"] or PaymentSchedule.QUARTER,
        ),
        _("Beslutet ”%(decision)s” är registrerat.") % {"decision": Decision(decision).label},
    )
