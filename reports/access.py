"""Who may do what with a report. Services, selectors and views ask these."""

from __future__ import annotations

from finsam.lib.services import require
from projects.access import is_staff_of, manages_applications
from reports.models import ReportStatus

__all__ = ["require", "can_see", "can_write", "approves", "can_start_for"]


def approves(user) -> bool:
    return user.has_perm("finsam.approve_reports")


def can_start_for(user, project) -> bool:
    """The insats's own staff write its reports; the kansli may too."""
    return is_staff_of(user, project) or manages_applications(user)


def can_see(user, report) -> bool:
    from reports.selectors import reports_visible_to

    return reports_visible_to(user).filter(pk=report.pk).exists()


def can_write(user, report) -> bool:
    return report.status == ReportStatus.DRAFT and can_start_for(user, report.project)


def can_approve(user, report) -> bool:
    return report.status == ReportStatus.SUBMITTED and approves(user)


def can_make_new_version(user, report) -> bool:
    from reports.selectors import has_newer_version

    return (
        report.status != ReportStatus.DRAFT
        and can_start_for(user, report.project)
        and not has_newer_version(report)
    )
