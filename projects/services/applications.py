"""Writes for applications, from the first draft to the decision."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.lib.formatting import format_kronor
from finsam.lib.services import service
from finsam.models import AuditAction
from finsam.services import log_event
from projects import access
from projects.models import (
    FOLLOW_UP_STATUSES,
    Application,
    ApplicationBudgetLine,
    ApplicationKind,
    ApplicationStatus,
    Attachment,
    BudgetLine,
    Cofinancing,
    Decision,
    Goal,
    GrantedAmount,
    PaymentSchedule,
    Phase,
    Project,
    ProjectStatus,
)
from projects.selectors import application_missing, pending_meeting_of, requested_per_year
from projects.services.insatser import project_create
from projects.services.obligations import obligations_from_rules

# --- Applications: writing ---------------------------------------------------


@service(None)
def application_create(
    *, actor, project: Project, kind: str, title: str = "", change_summary: str = ""
) -> Application:
    application = Application(
        project=project,
        kind=kind,
        title=title or project.name,
        change_summary=change_summary,
        created_by=actor,
    )
    access.require(access.can_write_application(actor, application))
    if kind == ApplicationKind.NEW:
        if project.applications.filter(kind=ApplicationKind.NEW).exists():
            raise ValidationError(_("Insatsen har redan en ny ansökan."))
    elif project.status not in FOLLOW_UP_STATUSES:
        raise ValidationError(
            _("%(kind)s kan bara göras för en beviljad eller pågående insats.")
            % {"kind": application.get_kind_display()}
        )
    if kind == ApplicationKind.NEW:
        application.period_start = project.start_date
        application.period_end = project.end_date
        application.target_group = project.target_group
        application.planned_participants = project.planned_participants
    application.full_clean()
    application.save()
    return application


@service(access.manages_applications)
def project_create_with_application(
    *, actor, project: Project, partners, year: int | None = None
) -> Application:
    """A new insats and its first (new) application, as one registration."""
    project = project_create(actor=actor, project=project, partners=partners, year=year)
    return application_create(actor=actor, project=project, kind=ApplicationKind.NEW)


def _require_editable(actor, application: Application) -> None:
    access.require(access.can_write_application(actor, application))
    if not application.is_editable:
        raise ValidationError(
            _("Ansökan är %(status)s och kan inte ändras.")
            % {"status": application.get_status_display().lower()}
        )


def _editable_application(actor, pk) -> Application:
    """The application, row-locked, if ``actor`` may write in it now. The
    permission is checked on a plain read before the lock is taken, so that
    someone refused never waits behind another's transaction."""
    access.require(
        access.can_write_application(
            actor, Application.objects.select_related("project").get(pk=pk)
        )
    )
    locked = Application.objects.select_for_update().get(pk=pk)
    _require_editable(actor, locked)
    return locked


@service(None)
def application_update(*, actor, application: Application) -> Application:
    """Save a section of a draft. Sections may be saved incomplete."""
    _editable_application(actor, application.pk)
    application.full_clean()
    application.save()
    return application


ITEM_MODELS = (Goal, Phase, ApplicationBudgetLine, Cofinancing, Attachment)


@service(None)
def application_item_save(*, actor, item):
    """Save a goal, phase, budget line, co-financing row or attachment of a draft."""
    assert isinstance(item, ITEM_MODELS)
    _editable_application(actor, item.application_id)
    if isinstance(item, ApplicationBudgetLine):
        item.apply_formula()
    item.full_clean()
    item.save()
    return item


@service(None)
def application_item_delete(*, actor, item) -> None:
    assert isinstance(item, ITEM_MODELS)
    _editable_application(actor, item.application_id)
    if isinstance(item, Attachment):
        transaction.on_commit(lambda name=item.file.name: item.file.storage.delete(name))
    item.delete()


# --- Applications: workflow --------------------------------------------------


def _transition(application: Application, allowed_from, target) -> Application:
    locked = (
        Application.objects.select_for_update().select_related("project").get(pk=application.pk)
    )
    if locked.status not in allowed_from:
        raise ValidationError(
            _("Ansökan är %(status)s och kan inte bli %(target)s.")
            % {
                "status": locked.get_status_display().lower(),
                "target": ApplicationStatus(target).label.lower(),
            }
        )
    locked.status = target
    return locked


@service(access.can_write_application)
def application_submit(*, actor, application: Application) -> Application:
    """utkast → inlämnad, when every required section is complete."""
    locked = _transition(application, {ApplicationStatus.DRAFT}, ApplicationStatus.SUBMITTED)
    missing = application_missing(locked)
    if missing:
        raise ValidationError([message for messages in missing.values() for message in messages])
    locked.submitted_at = timezone.now()
    locked.submitted_by = actor
    locked.save(update_fields=["status", "submitted_at", "submitted_by"])
    return locked


@service(access.manages_applications)
def application_begin_preparation(*, actor, application: Application) -> Application:
    """inlämnad → under beredning."""
    locked = _transition(
        application, {ApplicationStatus.SUBMITTED}, ApplicationStatus.IN_PREPARATION
    )
    locked.save(update_fields=["status"])
    return locked


@service(access.manages_applications)
def application_mark_ready(
    *, actor, application: Application, statement: str, recommendation: str
) -> Application:
    """under beredning → redo för beslut, with the beredningsgrupp's yttrande."""
    locked = _transition(application, {ApplicationStatus.IN_PREPARATION}, ApplicationStatus.READY)
    errors = {}
    if not statement.strip():
        errors["preparation_statement"] = _("Skriv beredningsgruppens yttrande.")
    if not recommendation:
        errors["recommendation"] = _("Välj beredningsgruppens förslag till beslut.")
    if errors:
        raise ValidationError(errors)
    locked.preparation_statement = statement.strip()
    locked.recommendation = recommendation
    locked.prepared_at = timezone.now()
    locked.full_clean()
    locked.save(update_fields=["status", "preparation_statement", "recommendation", "prepared_at"])
    return locked


@service(access.manages_applications)
def application_decide(
    *,
    actor,
    application: Application,
    decision: str,
    decided_on: dt.date,
    granted: dict[int, Decimal] | None = None,
    note: str = "",
    reference: str = "",
    paragraph=None,
    conditions: str = "",
    payment_schedule: str = PaymentSchedule.QUARTER,
) -> Application:
    """redo för beslut → beviljad, delvis beviljad, avslag, or back to utkast
    (återremiss).

    ``granted`` (year → kronor) is needed for a partial grant; a full grant
    gives what was asked. ``reference`` names the board paragraph; the board
    app passes its ``paragraph`` too when a § of a protocol decides. A grant
    records its ``conditions`` (villkor) and sets the report obligations the
    förbund's rules ask for.
    """
    if decision not in Decision.values:
        raise ValidationError({"decision": _("Välj ett beslut.")})
    meeting = None if paragraph is not None else pending_meeting_of(application)
    if meeting is not None:
        raise ValidationError(
            _(
                "Ansökan står på dagordningen för sammanträdet %(date)s. Beslutet fattas i "
                "protokollet, inte här."
            )
            % {"date": meeting.date.isoformat()}
        )
    decision = Decision(decision)
    locked = _transition(application, {ApplicationStatus.READY}, decision.resulting_status)
    if decided_on is None:
        raise ValidationError({"decided_on": _("Ange beslutsdatum.")})
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": _("Beslutsdatum kan inte ligga i framtiden.")})
    project = locked.project

    if decision == Decision.REFER_BACK:
        if not note.strip():
            raise ValidationError({"note": _("Skriv skälet till återremissen.")})
        locked.return_reason = note.strip()
        locked.save(update_fields=["status", "return_reason"])
        log_event(
            actor=actor,
            action=AuditAction.EVENT,
            obj=locked,
            message=_("Återremitterad %(date)s: %(reason)s")
            % {"date": decided_on.isoformat(), "reason": locked.return_reason},
        )
        return locked

    requested = requested_per_year(locked)
    if decision == Decision.GRANT:
        amounts = requested
    elif decision == Decision.GRANT_PARTLY:
        amounts = _check_partial(requested, granted or {})
    else:
        amounts = {}

    locked.decided_on = decided_on
    locked.decision_note = note.strip()
    locked.decision_reference = reference.strip()
    locked.decision_paragraph = paragraph
    locked.conditions = conditions.strip() if amounts else ""
    locked.payment_schedule = payment_schedule
    locked.save(
        update_fields=[
            "status",
            "decided_on",
            "decision_note",
            "decision_reference",
            "decision_paragraph",
            "conditions",
            "payment_schedule",
        ]
    )
    GrantedAmount.objects.bulk_create(
        GrantedAmount(application=locked, year=year, amount=amount)
        for year, amount in amounts.items()
    )
    if amounts:
        BudgetLine.objects.bulk_create(
            BudgetLine(
                project=project,
                source=locked,
                year=line.year,
                category_id=line.category_id,
                description=line.description,
                amount=line.amount,
                monthly_cost=line.monthly_cost,
                months=line.months,
                uplift_percent=line.uplift_percent,
                overhead_percent=line.overhead_percent,
            )
            for line in locked.budget_lines.all()
        )
    _apply_to_project(project, locked, granted=bool(amounts))
    if amounts:
        obligations_from_rules(actor=actor, application=locked)
    return locked


def _check_partial(requested: dict[int, Decimal], granted: dict[int, Decimal]) -> dict:
    """A partial grant gives each year of the application an amount: in whole
    kronor, together at most what was asked (a year may get more than it
    asked if another gets less). The budget is then distributed to it."""
    errors = []
    unknown = sorted(set(granted) - set(requested))
    if unknown:
        errors.append(
            _("Det finns ingen sökt budget för %(years)s.")
            % {"years": ", ".join(str(y) for y in unknown)}
        )
    amounts = {}
    for year in requested:
        value = granted.get(year)
        if value is None:
            errors.append(_("Ange beviljat belopp för %(year)s.") % {"year": year})
            continue
        value = Decimal(value)
        if value < 0 or value != value.to_integral_value():
            errors.append(
                _("Beviljat belopp för %(year)s ska vara hela kronor, inte negativt.")
                % {"year": year}
            )
        amounts[year] = value
    asked = sum(requested.values(), Decimal(0))
    if not errors and sum(amounts.values(), Decimal(0)) > asked:
        errors.append(
            _("Sammanlagt kan högst det sökta beloppet, %(asked)s, beviljas.")
            % {"asked": format_kronor(asked)}
        )
    if not errors and amounts == requested:
        errors.append(
            _("Beviljat belopp är lika med det sökta. Välj ”%(grant)s” i stället.")
            % {"grant": Decision.GRANT.label}
        )
    if errors:
        raise ValidationError({"granted": errors})
    return amounts


def _apply_to_project(project: Project, application: Application, *, granted: bool) -> None:
    fields = []
    if application.kind == ApplicationKind.NEW:
        project.status = ProjectStatus.GRANTED if granted else ProjectStatus.REJECTED
        fields.append("status")
        if granted:
            project.start_date = application.period_start or project.start_date
            project.end_date = application.period_end or project.end_date
            if application.planned_participants:
                project.planned_participants = application.planned_participants
            fields += ["start_date", "end_date", "planned_participants"]
    elif granted and application.kind == ApplicationKind.CONTINUATION and application.period_end:
        if application.period_end > project.end_date:
            project.end_date = application.period_end
            fields.append("end_date")
    if fields:
        project.full_clean()
        project.save(update_fields=fields)
