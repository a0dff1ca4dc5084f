"""A goal's outcome measured in the participant data: those who reached a
status, or those whose sysselsättning after the insats is in the goal's SUS
groups, among the participations of the period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from participants.models import StatusEntry, SusGroup
from participants.statistics import COUNTED, active_between, ended_between
from projects.models import GoalGroup

# SUS groups that a goal on "sysselsättning efter" counts.
GOAL_GROUPS = {
    GoalGroup.WORK: [SusGroup.WORK],
    GoalGroup.STUDIES: [SusGroup.STUDIES],
    GoalGroup.WORK_OR_STUDIES: [SusGroup.WORK, SusGroup.STUDIES],
}


@dataclass
class Measured:
    count: int  # participations that reached it
    base: int  # participations it is counted among


def measured_with_status(participations, *, kind, start: dt.date, end: dt.date) -> Measured:
    """Of the participations active in the period, those that reached the
    status (logged on or before the period's end)."""
    active = participations.filter(active_between(start, end))
    reached = StatusEntry.objects.filter(participation=OuterRef("pk"), kind=kind, date__lte=end)
    counts = active.aggregate(
        base=Count("id"),
        count=Count("id", filter=Q(Exists(reached))),
    )
    return Measured(count=counts["count"], base=counts["base"])


def measured_with_occupation(participations, *, group: str, start: dt.date, end: dt.date):
    """Of the participations that ended in the period, those whose
    sysselsättning after the insats is in the goal's SUS groups."""
    ended = participations.filter(ended_between(start, end), COUNTED)
    counts = ended.aggregate(
        base=Count("id"),
        count=Count("id", filter=Q(occupation_after__sus_group__in=GOAL_GROUPS[group])),
    )
    return Measured(count=counts["count"], base=counts["base"])
