"""Who may do what with an insats. Services and views ask these, and nothing else."""

from __future__ import annotations

from finsam.lib.services import require  # noqa: F401 - one way to refuse, shared
from projects.models import FOLLOW_UP_STATUSES, Application, ApplicationKind, Project


def sees_all_projects(user) -> bool:
    return user.has_perm("finsam.view_all_projects")


def manages_applications(user) -> bool:
    return user.has_perm("finsam.manage_applications")


def manages_budgets(user) -> bool:
    return user.has_perm("finsam.manage_budgets")


def is_staff_of(user, project: Project) -> bool:
    return (
        project.pk is not None and Project.objects.staffed_by(user).filter(pk=project.pk).exists()
    )


def can_write_application(user, application: Application) -> bool:
    """The kansli registers applications; an insats's own staff may write the
    follow-up ones (continuation, supplement, change of direction)."""
    if manages_applications(user):
        return True
    return application.kind != ApplicationKind.NEW and is_staff_of(user, application.project)


def can_apply_for(user, project: Project) -> bool:
    """May the user start a follow-up application (continuation, supplement,
    change of direction) for this insats? Only a granted or running one."""
    return project.status in FOLLOW_UP_STATUSES and can_write_application(
        user, Application(project=project, kind=ApplicationKind.SUPPLEMENT)
    )


def can_request_money(user, project: Project) -> bool:
    """The insats's own staff (for its huvudman) ask for its money, or the
    kansli for them."""
    return manages_applications(user) or is_staff_of(user, project)


def attests_payments(user) -> bool:
    """Sakgranskning of a rekvisition: the kansli."""
    return user.has_perm("finsam.attest_payments")


def approves_payments(user) -> bool:
    """Attest of a rekvisition and registering its payment: the ekonom."""
    return user.has_perm("finsam.approve_payments")


def sees_payments(user) -> bool:
    """Utbetalningslistan: those who keep the förbund's accounts."""
    return manages_budgets(user) or approves_payments(user)
