"""Översikt: each role's to-do list, computed from the data.

Every card is a read of what waits for the user: the coming meetings, the
protocols that wait for their signature, what the kansli has to handle,
the insats staff's participations and reports, the ekonom's missing utfall
and budgets over the grant. A card a user's roles do not give is None and
is not shown; a card that is shown says what it found, also when that is
nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, Sum, Window

from board import access as board_access
from board.models import Signer
from board.selectors import (
    awaiting_my_signature,
    coming_meetings,
    out_for_justering,
    postings_on_board,
)
from finsam.roles import INSATSPERSONAL, STYRELSE, roles_of
from participants.models import Participation, StatusEntry
from projects import access as project_access
from projects import selectors as project_selectors
from projects.models import (
    BudgetLine,
    CostEntry,
    Project,
    ProjectStatus,
    YearGrant,
)
from reports import access as report_access
from reports.models import Report, ReportStatus
from reports.selectors import awaiting_approval

COMING_MEETINGS = 5
LISTED = 10  # rows a card lists before it says "and N more"


@dataclass
class Missing:
    project: Project
    months: list[dt.date] = field(default_factory=list)


@dataclass
class OverGrant:
    project: Project
    year: int
    budget: Decimal
    granted: Decimal

    @property
    def over(self) -> Decimal:
        return self.budget - self.granted


def my_projects_with_open(user):
    """The user's insatser, with how many participations are open in each."""
    return project_selectors.my_projects(user).annotate(
        open_participations=Count("participations", filter=Q(participations__end_year__isnull=True))
    )


def without_recent_status(user, today: dt.date):
    """Open participations in the user's insatser that have had no status
    logged in the last ``FINSAM_STATUS_STALE_DAYS`` days (and began before)."""
    since = today - dt.timedelta(days=settings.FINSAM_STATUS_STALE_DAYS)
    recent = StatusEntry.objects.filter(participation=OuterRef("pk"), date__gt=since)
    return (
        Participation.objects.followed_by(user)
        .filter(end_year__isnull=True, anonymous=False, start_date__lte=since)
        .exclude(Exists(recent))
        .select_related("participant", "project")
        .order_by("start_date", "id")
    )


def my_draft_reports(user):
    return (
        Report.objects.filter(
            status=ReportStatus.DRAFT, project__in=Project.objects.staffed_by(user)
        )
        .select_related("project")
        .order_by("-updated_at")
    )


def months_without_costs(today: dt.date) -> list[Missing]:
    """For each running insats, the months of the last year (up to the month
    before this one, inside its period) with no utfall recorded."""
    last = today.replace(day=1) - dt.timedelta(days=1)  # end of last month
    first = (last.replace(day=1) - dt.timedelta(days=334)).replace(day=1)
    running = list(Project.objects.filter(status=ProjectStatus.RUNNING).order_by("name"))
    recorded = defaultdict(set)
    for project_id, month, period_end in (
        CostEntry.objects.filter(project__in=running, period_end__gte=first, month__lte=last)
        .values_list("project_id", "month", "period_end")
        .distinct()
    ):
        while month <= period_end:  # a period's utfall covers each of its months
            recorded[project_id].add(month)
            month = (month + dt.timedelta(days=32)).replace(day=1)
    result = []
    for project in running:
        start = max(first, (project.start_date or first).replace(day=1))
        end = min(last, project.end_date or last)
        months, month = [], start
        while month <= end:
            if month not in recorded[project.pk]:
                months.append(month)
            month = (month + dt.timedelta(days=32)).replace(day=1)
        if months:
            result.append(Missing(project=project, months=months))
    return result


def budgets_over_grant(year: int) -> list[OverGrant]:
    """Insatser whose budget for ``year`` is more than was granted for it."""
    granted = dict(YearGrant.objects.filter(year=year).values_list("project", "amount"))
    budgets = (
        BudgetLine.objects.filter(year=year)
        .values("project")
        .annotate(t=Sum("amount"))
        .values_list("project", "t")
    )
    over = {
        pk: (budget, granted.get(pk, Decimal(0)))
        for pk, budget in budgets
        if budget > granted.get(pk, Decimal(0))
    }
    projects = Project.objects.in_bulk(over)
    return sorted(
        (
            OverGrant(project=projects[pk], year=year, budget=b, granted=g)
            for pk, (b, g) in over.items()
        ),
        key=lambda o: o.project.name,
    )


def cards_for(user, today: dt.date) -> dict:
    """What Översikt shows this user; a key is missing when the card is not theirs."""
    cards: dict = {}
    if board_access.uses_board(user):
        cards["meetings"] = coming_meetings(user, today)[:COMING_MEETINGS]
    if STYRELSE in roles_of(user) or Signer.objects.filter(user=user).exists():
        cards["to_sign"] = awaiting_my_signature(user)
    if board_access.manages_meetings(user):
        cards["out_for_justering"] = out_for_justering()
        cards["postings"] = list(postings_on_board(today))
    if user.has_perm("finsam.manage_applications"):
        cards["inbox_counts"] = project_selectors.inbox_counts(user)
    if user.has_perm("finsam.use_projects"):
        # The first few, each carrying how many there are in all: one query.
        due = list(
            project_selectors.obligations_due_for(user, today).annotate(of_all=Window(Count("id")))[
                :LISTED
            ]
        )
        cards["obligations"] = [
            {"o": o, "due": o.due_text(today), "late": o.is_late(today)} for o in due
        ]
        cards["obligations_count"] = due[0].of_all if due else 0
        cards["obligations_all"] = project_access.sees_all_projects(user)
        cards["watch_days"] = settings.FINSAM_WATCH_DAYS
    waiting = project_selectors.waiting_for(user)
    if waiting:
        cards["payments_waiting"] = waiting
    if report_access.approves(user):
        cards["to_approve"] = list(awaiting_approval(user).select_related("project"))
    if INSATSPERSONAL in roles_of(user) or Project.objects.staffed_by(user).exists():
        cards["my_projects"] = my_projects_with_open(user)
        stale = without_recent_status(user, today)
        cards["stale"] = list(stale[:LISTED])
        cards["stale_count"] = stale.count()
        cards["stale_days"] = settings.FINSAM_STATUS_STALE_DAYS
        cards["drafts"] = list(my_draft_reports(user))
    if user.has_perm("finsam.manage_budgets") and project_access.sees_all_projects(user):
        cards["missing_costs"] = months_without_costs(today)
        cards["over_grant"] = budgets_over_grant(today.year)
    return cards
