"""Writes for insatser, applications, budgets and costs.

Every function here is atomic, names its actor for the audit log and checks
the actor's right to act through ``projects.access``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.lib import counters
from finsam.lib.services import service
from finsam.models import AuditAction, Member
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
    CostEntry,
    Decision,
    Forecast,
    Goal,
    GrantedAmount,
    Phase,
    Project,
    ProjectStaff,
    ProjectStatus,
    ReferenceCounter,
)
from projects.selectors import application_missing, requested_per_year

# --- Diarienummer ------------------------------------------------------------


def reference_allocate(year: int) -> tuple[int, int]:
    """The next diarienummer of ``year``: ``(year, number)``, gapless (see
    ``finsam.lib.counters``)."""
    return year, counters.next_number(ReferenceCounter, year)


# --- Insatser ----------------------------------------------------------------


def _check_partners(owner: Member, partners) -> None:
    parties = {owner.pk} | {m.pk for m in partners}
    if len(parties) < 2:
        raise ValidationError(
            {
                "partners": _(
                    "Minst två av förbundets medlemmar ska delta: välj minst en "
                    "samverkanspart utöver huvudmannen."
                )
            }
        )


@service(access.manages_applications)
def project_create(*, actor, project: Project, partners, year: int | None = None) -> Project:
    """Register a new insats and give it the next diarienummer.

    ``year`` is the registration year (default this year); an older one is for
    insatser moved in from earlier records.
    """
    project.reference_year = year or timezone.localdate().year
    project.reference_number = 0  # placeholder for full_clean; set below
    project.reference = "-"
    project.full_clean(exclude=["reference", "reference_number", "reference_year"])
    _check_partners(project.owner, partners)
    project.reference_year, project.reference_number = reference_allocate(project.reference_year)
    project.reference = f"{project.reference_year}/{project.reference_number}"
    project.save()
    project.partners.set(partners)
    return project


@service(access.manages_applications)
def project_update(*, actor, project: Project, partners) -> Project:
    project.full_clean()
    _check_partners(project.owner, partners)
    project.save()
    project.partners.set(partners)
    return project


@service(access.manages_applications)
def project_staff_add(*, actor, project: Project, user, role: str) -> ProjectStaff:
    if not user.has_perm("finsam.use_projects"):
        raise ValidationError(
            _("%(name)s har ingen roll som ger tillgång till insatser.") % {"name": user}
        )
    staff = ProjectStaff(project=project, user=user, role=role)
    staff.full_clean()
    staff.save()
    return staff


@service(access.manages_applications)
def project_staff_remove(*, actor, staff: ProjectStaff) -> None:
    staff.delete()


PROJECT_TRANSITIONS = {
    "start": ({ProjectStatus.GRANTED}, ProjectStatus.RUNNING),
    "finish": ({ProjectStatus.RUNNING}, ProjectStatus.FINISHED),
    "cancel": ({ProjectStatus.GRANTED, ProjectStatus.RUNNING}, ProjectStatus.CANCELLED),
}


def project_transitions_allowed(project: Project) -> list[str]:
    """The status changes this insats can make now, in PROJECT_TRANSITIONS order."""
    return [
        name for name, (allowed, _t) in PROJECT_TRANSITIONS.items() if project.status in allowed
    ]


@service(access.manages_applications)
def project_change_status(*, actor, project: Project, transition: str, note: str = "") -> Project:
    """Start (beviljad → pågående), finish (→ avslutad) or cancel (→ avbruten)."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    allowed_from, target = PROJECT_TRANSITIONS[transition]
    if project.status not in allowed_from:
        raise ValidationError(
            _("En insats med status %(status)s kan inte bli %(target)s.")
            % {"status": project.get_status_display().lower(), "target": target.label.lower()}
        )
    if transition == "cancel" and not note.strip():
        raise ValidationError({"note": _("Skriv varför insatsen avbryts.")})
    project.status = target
    project.status_note = note.strip()
    project.save(update_fields=["status", "status_note"])
    return project


# --- Applications: writing ---------------------------------------------------

# The sections of the form, each with the fields it edits.
SECTIONS = {
    "grunduppgifter": ["title", "change_summary", "period_start", "period_end"],
    "bakgrund": ["background"],
    "malgrupp": ["target_group", "planned_participants"],
    "syfte": ["purpose"],
    "mal": [],
    "metod": ["method"],
    "organisation": ["steering_group", "working_group"],
    "tidsplan": [],
    "budget": [],
    "medfinansiering": [],
    "uppfoljning": ["follow_up"],
    "implementering": ["implementation"],
    "bilagor": [],
}


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
) -> Application:
    """redo för beslut → beviljad, delvis beviljad, avslag, or back to utkast
    (återremiss).

    ``granted`` (year → kronor) is needed for a partial grant; a full grant
    gives what was asked. ``reference`` names the board paragraph; the board
    app passes its ``paragraph`` too when a § of a protocol decides.
    """
    target = (
        ApplicationStatus.DRAFT
        if decision == Decision.REFERRED_BACK
        else ApplicationStatus(decision)
    )
    locked = _transition(application, {ApplicationStatus.READY}, target)
    if decided_on is None:
        raise ValidationError({"decided_on": _("Ange beslutsdatum.")})
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": _("Beslutsdatum kan inte ligga i framtiden.")})
    project = locked.project

    if decision == Decision.REFERRED_BACK:
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
    if decision == Decision.GRANTED:
        amounts = requested
    elif decision == Decision.PARTLY_GRANTED:
        amounts = _check_partial(requested, granted or {})
    else:
        amounts = {}

    locked.decided_on = decided_on
    locked.decision_note = note.strip()
    locked.decision_reference = reference.strip()
    locked.decision_paragraph = paragraph
    locked.save(
        update_fields=[
            "status",
            "decided_on",
            "decision_note",
            "decision_reference",
            "decision_paragraph",
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
    return locked


def _check_partial(requested: dict[int, Decimal], granted: dict[int, Decimal]) -> dict:
    errors = []
    unknown = sorted(set(granted) - set(requested))
    if unknown:
        errors.append(
            _("Det finns ingen sökt budget för %(years)s.")
            % {"years": ", ".join(str(y) for y in unknown)}
        )
    amounts = {}
    for year, asked in requested.items():
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
        elif value > asked:
            errors.append(
                _("För %(year)s kan högst det sökta beloppet, %(asked)s kr, beviljas.")
                % {"year": year, "asked": asked}
            )
        amounts[year] = value
    if not errors and amounts == requested:
        errors.append(_("Beviljat belopp är lika med det sökta. Välj beslutet Beviljad i stället."))
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


# --- Budget, costs and forecasts ---------------------------------------------


@service(access.manages_budgets)
def budget_line_save(*, actor, line: BudgetLine) -> BudgetLine:
    line.apply_formula()
    line.full_clean()
    line.save()
    return line


@service(access.manages_budgets)
def budget_line_delete(*, actor, line: BudgetLine) -> None:
    line.delete()


def cost_month_problem(project: Project, month: dt.date) -> str | None:
    first = project.start_date.replace(day=1)
    if month < first or month > project.end_date:
        return _("Perioden %(month)s ligger utanför insatsens tid (%(start)s – %(end)s).") % {
            "month": month.strftime("%Y-%m"),
            "start": project.start_date.isoformat(),
            "end": project.end_date.isoformat(),
        }
    return None


@service(access.manages_budgets)
def cost_entry_save(*, actor, entry: CostEntry) -> CostEntry:
    """Record (or correct) the utfall of one month and category."""
    entry.month = entry.month.replace(day=1)
    problem = cost_month_problem(entry.project, entry.month)
    if problem:
        raise ValidationError({"month": problem})
    existing = CostEntry.objects.filter(
        project=entry.project, month=entry.month, category=entry.category
    ).first()
    if existing and existing.pk != entry.pk:
        existing.amount = entry.amount
        existing.note = entry.note
        entry = existing
    entry.full_clean()
    entry.save()
    return entry


@service(access.manages_budgets)
def cost_entry_delete(*, actor, entry: CostEntry) -> None:
    entry.delete()


@service(access.manages_budgets)
def forecasts_set(*, actor, project: Project, year: int, amounts: dict) -> None:
    """Set the year's prognos per category (category → kronor, None clears)."""
    for category, amount in amounts.items():
        if amount is None:
            Forecast.objects.filter(project=project, year=year, category=category).delete()
            continue
        forecast = Forecast.objects.filter(project=project, year=year, category=category).first()
        forecast = forecast or Forecast(project=project, year=year, category=category)
        forecast.amount = amount
        forecast.full_clean()
        forecast.save()
