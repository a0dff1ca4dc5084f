"""Reads of report obligations (Bevakning), scoped to who asks."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _

from projects.models import ObligationStatus, Project, ProjectStaff, ReportObligation

# The filters of Bevakning: what is late or due soon, by default.
WATCH_STATES = {
    "aktuella": _("Försenade och inom 30 dagar"),
    "forsenade": _("Försenade"),
    "kommande": _("Inom 30 dagar"),
    "vantar": _("Alla som väntar"),
    "inlamnade": _("Inlämnade, inte lagda till handlingarna"),
    "stangda": _("Lagda till handlingarna"),
    "undantagna": _("Undantagna"),
}


def obligations_visible_to(user):
    """Every insats's obligations for those who see all insatser; the user's
    own insatser's otherwise (the same rule as the insatser)."""
    from projects.selectors import projects_visible_to

    return ReportObligation.objects.filter(project__in=projects_visible_to(user))


def obligation_for(user, pk: int) -> ReportObligation:
    return obligations_visible_to(user).select_related("project", "rule", "application").get(pk=pk)


def _with_project(obligations):
    return obligations.select_related("project", "project__owner").prefetch_related(
        Prefetch("project__staff", queryset=ProjectStaff.objects.select_related("user"))
    )


def _state_filter(state: str, today: dt.date) -> Q:
    soon = today + dt.timedelta(days=settings.FINSAM_WATCH_DAYS)
    waiting = Q(status=ObligationStatus.OPEN)
    return {
        "forsenade": waiting & Q(due_date__lt=today),
        "kommande": waiting & Q(due_date__gte=today, due_date__lte=soon),
        "vantar": waiting,
        "inlamnade": Q(status=ObligationStatus.HANDED_IN),
        "stangda": Q(status=ObligationStatus.CLOSED),
        "undantagna": Q(status=ObligationStatus.WAIVED),
    }.get(state, waiting & Q(due_date__lte=soon))


def obligation_watch(
    user, *, today: dt.date, state: str = "", kind: str = "", member=None, project=None
):
    """Bevakning: the obligations ``user`` watches, late and due soon first."""
    obligations = obligations_visible_to(user).filter(_state_filter(state, today))
    if kind:
        obligations = obligations.filter(kind=kind)
    if member is not None:
        obligations = obligations.filter(project__owner=member)
    if project is not None:
        obligations = obligations.filter(project=project)
    return _with_project(obligations).order_by("due_date", "project__name", "id")


def obligations_due_for(user, today: dt.date):
    """The dashboard's card: what is late or due within 30 days, of the
    obligations the user sees (their own insatser, or all)."""
    return obligation_watch(user, today=today)


def obligations_of_project(project: Project):
    """The insats's own obligations, in date order, with their reminders."""
    return project.obligations.select_related("rule", "application").prefetch_related(
        "reminders__recipients", "reports"
    )
