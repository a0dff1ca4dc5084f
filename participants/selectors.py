"""Reads of participant data, scoped to who asks."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import (
    F,
    OuterRef,
    Q,
    Subquery,
)
from django.utils import timezone

from finsam.models import Federation
from participants import access, identity
from participants.models import (
    Participation,
    StatusEntry,
)
from projects.models import Orientation, Project
from projects.selectors import projects_visible_to


def participations_visible_to(user):
    """The kansli's view is every insats (pseudonymous); staff see their own."""
    participations = Participation.objects.all()
    if not access.uses_participants(user):
        return participations.none()
    if access.sees_all_participations(user):
        return participations
    return participations.followed_by(user)


def participation_projects_visible_to(user):
    """The scope of ``participations_visible_to`` as whole insatser (for the
    statistics kept per insats): every insats for the kansli, one's own for
    staff (``ProjectStaff.objects.of``, as ``followed_by``)."""
    if not access.uses_participants(user):
        return Project.objects.none()
    if access.sees_all_participations(user):
        return Project.objects.all()
    return Project.objects.staffed_by(user)


def projects_with_participants_for(user):
    """Individinriktade insatser whose participants the user may see."""
    projects = projects_visible_to(user).filter(orientation=Orientation.INDIVIDUAL)
    if not access.sees_all_participations(user):
        projects = projects.staffed_by(user)
    return projects.order_by("-start_date", "reference")


def projects_enrollable_by(user):
    return access.enrollable(projects_with_participants_for(user), user)


def staffed_project_ids(user) -> set[int]:
    """The insatser the user works in: where they log status and close."""
    return set(Project.objects.staffed_by(user).values_list("pk", flat=True))


def participation_for(user, pk) -> Participation:
    """The participation, if the user may see it; ``DoesNotExist`` otherwise."""
    return (
        participations_visible_to(user)
        .select_related(
            "project",
            "participant",
            "kommun",
            "referrer",
            "occupation_before",
            "occupation_after",
            "education",
            "jobless",
            "exit_reason",
            "consent__taken_by",
        )
        .get(pk=pk)
    )


def participation_list(user, *, project=None, state: str = "pagaende", search: str = ""):
    """The list a processledare works from: newest first, with the latest status."""
    latest = StatusEntry.objects.filter(participation=OuterRef("pk")).order_by("-date", "-id")
    participations = (
        participations_visible_to(user)
        .select_related("project", "participant")
        .only(
            "project_id",
            "participant_id",
            "anonymous",
            "reduced_on",
            "start_year",
            "start_date",
            "end_year",
            "project__reference",
            "project__name",
            "participant__code",
        )
        .annotate(
            latest_status=Subquery(latest.values("kind__label")[:1]),
            latest_status_date=Subquery(latest.values("date")[:1]),
        )
    )
    if project is not None:
        participations = participations.filter(project=project)
    if state == "pagaende":
        participations = participations.filter(end_year__isnull=True)
    elif state == "avslutade":
        participations = participations.filter(end_year__isnull=False)
    search = search.strip()
    if search:
        participations = participations.filter(_search_filter(search))
    return participations.order_by("-start_year", F("start_date").desc(nulls_last=True), "-id")


def _search_filter(search: str) -> Q:
    """A code, or in identified mode a personnummer (found by its keyed hash)."""
    condition = Q(participant__code__iexact=search) | Q(participant__code__iexact=f"D-{search}")
    if identity.enabled() and sum(ch.isdigit() for ch in search) >= 10:
        try:
            digest = identity.number_hash(identity.normalise_number(search))
        except ValidationError:  # not a valid number: search by code only
            return condition
        condition |= Q(participant__number_hash=digest)
    return condition


def person_has_other_open_participation(participation) -> bool:
    return (
        participation.participant_id is not None
        and Participation.objects.filter(
            participant_id=participation.participant_id, end_year__isnull=True
        )
        .exclude(pk=participation.pk)
        .exists()
    )


def due_for_gallring(today: dt.date | None = None):
    """Full participations that ended longer ago than the retention period."""
    today = today or timezone.localdate()
    months = Federation.objects.current().participant_retention_months
    cutoff = _months_before(today, months)
    return Participation.objects.filter(
        anonymous=False, reduced_on__isnull=True, end_date__lt=cutoff
    ), cutoff


def _months_before(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")
