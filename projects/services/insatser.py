"""Writes for insatser, their diarienummer, staff and status."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.lib import counters
from finsam.lib.services import service
from finsam.models import Member
from projects import access
from projects.models import (
    Project,
    ProjectStaff,
    ProjectStatus,
    ReferenceCounter,
)
from projects.services.closing import closing_missing, grants_release_unspent
from projects.services.obligations import obligations_after_cancel

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
    """Start (beviljad → pågående), finish (→ avslutad) or cancel (→ avbruten).
    An insats is finished only when its slutrapport is laid to handlingarna
    and its economy settled (``closing_missing``). A cancelled insats owes no
    report for the tertials it will not run, and what it has not requested
    of its grant is released."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    allowed_from, target = PROJECT_TRANSITIONS[transition]
    if project.status not in allowed_from:
        raise ValidationError(
            _("En insats med status %(status)s kan inte bli %(target)s.")
            % {"status": project.get_status_display().lower(), "target": target.label.lower()}
        )
    if transition == "cancel" and not note.strip():
        raise ValidationError({"note": _("Skriv varför insatsen avbryts.")})
    if transition == "finish":
        missing = closing_missing(project)
        if missing:
            raise ValidationError([_("Insatsen kan inte avslutas än:"), *missing])
    project.status = target
    project.status_note = note.strip()
    project.save(update_fields=["status", "status_note"])
    if transition == "cancel":
        obligations_after_cancel(actor=actor, project=project, reason=project.status_note)
        grants_release_unspent(
            actor=actor,
            project=project,
            reason=_("Insatsen avbröts: %(reason)s") % {"reason": project.status_note},
        )
    return project
