"""Who may do what with participant data. Services, selectors and views ask these."""

from __future__ import annotations

from finsam.lib.services import require
from participants import identity
from projects.access import is_staff_of, manages_applications, sees_all_projects
from projects.models import FOLLOW_UP_STATUSES, Orientation, Project, ProjectStatus, StaffRole

__all__ = ["require"]

# The roles in an insats that work with the participants themselves and so may
# see who they are in identified mode. A projektledare sees codes only.
IDENTITY_ROLES = (StaffRole.PROCESS_LEADER, StaffRole.PARTICIPANT_LEAD)
# Participations may be registered while an insats runs; old ones may be
# imported into a finished insats too.
ENROL_STATUSES = FOLLOW_UP_STATUSES
IMPORT_STATUSES = (*FOLLOW_UP_STATUSES, ProjectStatus.FINISHED)


def uses_participants(user) -> bool:
    return user.has_perm("finsam.use_participants")


def sees_all_participations(user) -> bool:
    """The kansli follows every insats's participations, pseudonymously."""
    return uses_participants(user) and sees_all_projects(user)


def takes_participants(project: Project, *, imported: bool = False) -> bool:
    statuses = IMPORT_STATUSES if imported else ENROL_STATUSES
    return project.orientation == Orientation.INDIVIDUAL and project.status in statuses


def can_enrol(user, project: Project, *, imported: bool = False) -> bool:
    return (
        uses_participants(user)
        and is_staff_of(user, project)
        and takes_participants(project, imported=imported)
    )


def enrollable(projects, user):
    """``can_enrol`` as a queryset filter, for lists of insatser."""
    if not uses_participants(user):
        return projects.none()
    return projects.staffed_by(user).filter(
        orientation=Orientation.INDIVIDUAL, status__in=ENROL_STATUSES
    )


def can_follow(user, participation) -> bool:
    """Log status, close, withdraw consent: the insats's own staff."""
    return uses_participants(user) and is_staff_of(user, participation.project)


def can_enrol_again(user, participation) -> bool:
    """Someone the user followed comes back: same person, a new participation."""
    return (
        participation.closed
        and participation.participant_id is not None
        and can_follow(user, participation)
        and can_enrol(user, participation.project)
    )


def can_reopen(user) -> bool:
    return uses_participants(user) and manages_applications(user)


def sees_identity(user, participation) -> bool:
    if not identity.enabled():
        return False
    staffed = Project.objects.staffed_by(user, roles=IDENTITY_ROLES)
    return staffed.filter(pk=participation.project_id).exists()
