"""Reads of reports, scoped to who asks."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from projects import access as project_access
from projects.models import Project
from reports import access
from reports.models import FINAL_STATUSES, GoalOutcome, Report, ReportSection, ReportStatus
from reports.sections import sections_for


def reports_visible_to(user):
    reports = Report.objects.select_related("project")
    if project_access.sees_all_projects(user):
        return reports
    rule = Q(project__in=Project.objects.staffed_by(user))
    if user.has_perm("finsam.use_board"):
        rule |= Q(status__in=FINAL_STATUSES)
    return reports.filter(rule)


def report_for(user, pk: int) -> Report:
    """The report, if the user may see it; ``DoesNotExist`` otherwise, also when it exists."""
    return reports_visible_to(user).select_related("filed_paragraph__minutes__meeting").get(pk=pk)


def report_list(user, *, status: str = "", project=None):
    reports = reports_visible_to(user).select_related("project__owner", "next_version")
    if status:
        reports = reports.filter(status=status)
    if project is not None:
        reports = reports.filter(project=project)
    return reports.order_by("-updated_at", "-id")


def awaiting_approval(user):
    if not access.approves(user):
        return Report.objects.none()
    return reports_visible_to(user).filter(status=ReportStatus.SUBMITTED).order_by("submitted_at")


def section_texts(report) -> dict[str, str]:
    return dict(ReportSection.objects.filter(report=report).values_list("key", "body"))


def hand_outcomes(report) -> dict[int, GoalOutcome]:
    """The outcomes entered by hand, by goal (from the report's prefetched
    ``outcomes`` when the page has read them)."""
    return {o.goal_id: o for o in report.outcomes.all()} if report.pk else {}


def approved_awaiting_board():
    """Approved reports that no § has laid to handlingarna yet: the dagordning's."""
    return (
        Report.objects.filter(status=ReportStatus.APPROVED)
        .select_related("project")
        .order_by("approved_at", "id")
    )


def agenda_meeting_of(report):
    """The meeting to come whose dagordning has the approved report, if any.
    (The board's punkter point at reports; reports only reads them.)"""
    from board.models.meetings import OPEN_STATUSES  # board reads reports; not at import

    item = (
        report.agenda_items.filter(meeting__status__in=OPEN_STATUSES)
        .select_related("meeting")
        .order_by("meeting__date")
        .first()
    )
    return item.meeting if item else None


def versions_of(report):
    """Every version of the report, oldest first (they share kind and period)."""
    return Report.objects.filter(
        project=report.project_id, kind=report.kind, period_start=report.period_start
    ).order_by("version")


def has_newer_version(report) -> bool:
    return Report.objects.filter(previous=report).exists()


def missing_for_submission(report: Report, texts: dict[str, str], goals: list[dict]) -> list[str]:
    """What must be in place before the report is handed in, in Swedish."""
    problems = []
    empty = [
        str(s.heading)
        for s in sections_for(report)
        if not s.computed and not texts.get(s.key, "").strip()
    ]
    if empty:
        problems.append(_("Skriv något under: %(headings)s.") % {"headings": ", ".join(empty)})
    unanswered = [
        g["text"]
        for g in goals
        if not g["computed"] and g["value"] is None and not g["comment"].strip()
    ]
    if unanswered:
        problems.append(
            _("Ange utfall eller en kommentar för målen: %(goals)s.")
            % {"goals": "; ".join(unanswered)}
        )
    return problems
