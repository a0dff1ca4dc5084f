"""Writes to reports: start, write (autosave), hand in, send back, approve,
lay to handlingarna (from the board's §), and a new version."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.lib.services import service
from finsam.lib.validators import no_personnummer_in_public_text
from projects.models import GRANTED_STATUSES, ObligationStatus, Project, ProjectStatus
from projects.services.obligations import obligation_follow_report, obligation_for_report
from reports import access, figures, selectors
from reports.models import GoalOutcome, Report, ReportSection, ReportStatus
from reports.sections import GOALS, section

REPORTABLE = (ProjectStatus.GRANTED, ProjectStatus.RUNNING, ProjectStatus.FINISHED)


def _locked(report: Report, permitted) -> Report:
    """The report, row-locked for this transaction, once ``permitted(report)``
    holds. The permission is checked on a plain read first, so that someone
    refused is refused at once instead of waiting behind another's lock."""
    current = Report.objects.select_related("project").get(pk=report.pk)
    access.require(permitted(current))
    return Report.objects.select_for_update().select_related("project").get(pk=report.pk)


def _follow(report: Report, status: str) -> None:
    obligation_follow_report(report.obligation_id, status=status, on=timezone.localdate())


def _require_draft(report: Report) -> None:
    if report.status != ReportStatus.DRAFT:
        raise ValidationError(
            _("Rapporten är %(status)s och kan inte ändras. Gör en ny version.")
            % {"status": report.get_status_display().lower()}
        )


@service(access.can_start_for)
def report_create(
    *, actor, project: Project, kind: str, period_start, period_end, title: str = ""
) -> Report:
    if project.status not in REPORTABLE:
        raise ValidationError(_("Rapporter skrivs för beviljade, pågående och avslutade insatser."))
    report = Report(
        project=project,
        kind=kind,
        title=title,
        period_start=period_start,
        period_end=period_end,
        created_by=actor,
        obligation=obligation_for_report(project, kind, period_end),
    )
    report.full_clean()
    report.save()
    return report


@service(None)
def report_update(*, actor, report: Report) -> Report:
    """Save the heading: title and period (kind and insats stay)."""
    current = _locked(report, lambda r: access.can_start_for(actor, r.project))
    _require_draft(current)
    report.full_clean()
    report.save(update_fields=["title", "period_start", "period_end", "updated_at"])
    return report


@service(None)
def report_delete(*, actor, report: Report) -> None:
    current = _locked(report, lambda r: access.can_start_for(actor, r.project))
    _require_draft(current)
    current.delete()


@service(None)
def report_section_save(*, actor, report: Report, key: str, body: str) -> ReportSection:
    """The text under one heading; the editor saves it as the user writes."""
    report = _locked(report, lambda r: access.can_start_for(actor, r.project))
    _require_draft(report)
    if section(report, key) is None:
        raise ValidationError(_("Rapporten har inget sådant avsnitt."))
    try:
        no_personnummer_in_public_text(body)
    except ValidationError as error:
        raise ValidationError({"body": error.messages}) from None
    row, _created = ReportSection.objects.update_or_create(
        report=report, key=key, defaults={"body": body}
    )
    Report.objects.filter(pk=report.pk).update(updated_at=timezone.now())
    return row


@service(None)
def goal_outcome_save(*, actor, report: Report, outcome: GoalOutcome) -> GoalOutcome:
    """The hand-entered outcome and comment for one of the insats's goals."""
    report = _locked(report, lambda r: access.can_start_for(actor, r.project))
    _require_draft(report)
    if section(report, GOALS) is None or not outcome.goal.application.project_id == (
        report.project_id
    ):
        raise ValidationError(_("Målet hör inte till rapportens insats."))
    if outcome.goal.application.status not in GRANTED_STATUSES:
        raise ValidationError(_("Målet hör till en ansökan som inte är beviljad."))
    if outcome.goal.measure and outcome.value is not None:
        raise ValidationError(
            {"value": _("Utfallet för det här målet räknas från deltagarregistreringen.")}
        )
    outcome.report = report
    existing = GoalOutcome.objects.filter(report=report, goal=outcome.goal).first()
    if existing is not None:
        outcome.pk = existing.pk
    outcome.full_clean(validate_unique=False)
    outcome.save()
    return outcome


@service(None)
def report_submit(*, actor, report: Report) -> Report:
    """Hand the report in: its figures are computed once more and frozen."""
    report = _locked(report, lambda r: access.can_start_for(actor, r.project))
    _require_draft(report)
    frozen = figures.compute(report)
    texts = dict(report.sections.values_list("key", "body"))
    problems = selectors.missing_for_submission(report, texts, frozen["goals"])
    if problems:
        raise ValidationError(problems)
    report.figures = frozen
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = actor
    report.return_comment = ""
    report.full_clean()
    report.save()
    _follow(report, ObligationStatus.HANDED_IN)
    return report


@service(None)
def report_return(*, actor, report: Report, comment: str) -> Report:
    """The kansli sends a handed-in report back to its writers, saying why."""
    report = _locked(report, lambda r: access.approves(actor))
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("Bara en inlämnad rapport kan skickas tillbaka."))
    if not comment.strip():
        raise ValidationError({"comment": _("Skriv vad som behöver ändras.")})
    report.status = ReportStatus.DRAFT
    report.figures = None
    report.return_comment = comment.strip()
    report.submitted_at = None
    report.submitted_by = None
    report.save()
    _follow(report, ObligationStatus.OPEN)
    return report


@service(None)
def report_approve(*, actor, report: Report) -> Report:
    report = _locked(report, lambda r: access.approves(actor))
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("Bara en inlämnad rapport kan godkännas."))
    report.status = ReportStatus.APPROVED
    report.approved_at = timezone.now()
    report.approved_by = actor
    report.save()
    from board.services.meetings import report_to_next_agenda  # board reads reports, not back

    # On the next meeting's dagordning now, if one is planned (the page says which).
    report.agenda_meeting = report_to_next_agenda(report)
    return report


@service(None)
def report_file(*, actor, report: Report, paragraph) -> Report:
    """The board lays the approved report to handlingarna on ``paragraph``
    (called by the board's service when the § is saved with that decision)."""
    report = _locked(report, lambda r: actor.has_perm("finsam.manage_meetings"))
    if report.status == ReportStatus.FILED and report.filed_paragraph_id == paragraph.pk:
        return report
    if report.status != ReportStatus.APPROVED:
        raise ValidationError(
            _("Rapporten är %(status)s. Bara en godkänd rapport kan läggas till handlingarna.")
            % {"status": report.get_status_display().lower()}
        )
    report.status = ReportStatus.FILED
    report.filed_paragraph = paragraph
    report.save()
    _follow(report, ObligationStatus.CLOSED)
    return report


@service(None)
def report_new_version(*, actor, report: Report) -> Report:
    """A new utkast from a handed-in report: its text and hand-entered outcomes
    copied, its figures computed afresh. The old version stays as it was."""
    report = _locked(report, lambda r: access.can_start_for(actor, r.project))
    if report.status == ReportStatus.DRAFT:
        raise ValidationError(_("Rapporten är ett utkast: skriv vidare i den."))
    if selectors.has_newer_version(report):
        raise ValidationError(_("Det finns redan en nyare version av rapporten."))
    new = Report.objects.create(
        project=report.project,
        kind=report.kind,
        title=report.title,
        period_start=report.period_start,
        period_end=report.period_end,
        version=report.version + 1,
        previous=report,
        created_by=actor,
        obligation=report.obligation,
    )
    ReportSection.objects.bulk_create(
        ReportSection(report=new, key=s.key, body=s.body) for s in report.sections.all()
    )
    GoalOutcome.objects.bulk_create(
        GoalOutcome(report=new, goal_id=o.goal_id, value=o.value, comment=o.comment)
        for o in report.outcomes.all()
    )
    return new


@service(access.can_see)
def report_pdf_order(*, actor, report: Report):
    """Order the report as a PDF, for one who may read it (a worker makes it)."""
    from django.utils.text import slugify

    from reports.rendering import rendering_order

    return rendering_order(
        actor=actor,
        what=_("%(title)s (PDF)") % {"title": report.display_title},
        filename=slugify(f"{report.get_kind_display()} {report.project.name} v{report.version}")
        + ".pdf",
        html="reports.presentation.report_pdf_html",
        params={"report": report.pk},
        origin=(report.get_absolute_url(), report.display_title),
        obj=report,
    )
