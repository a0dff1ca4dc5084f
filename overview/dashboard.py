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
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.aggregates import ArrayAgg
from django.contrib.postgres.fields import ArrayField
from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce

from board import access as board_access
from board.selectors import (
    awaiting_my_signature,
    coming_meetings,
    out_for_justering,
    postings_on_board,
)
from finsam.backends import SIGNER, STAFF
from finsam.roles import INSATSPERSONAL, STYRELSE, roles_of, ties_of
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


def _months(first: dt.date, last: dt.date):
    month = first
    while month <= last:
        yield month
        month = (month + dt.timedelta(days=32)).replace(day=1)


def economy_cards(today: dt.date) -> tuple[list[Missing], list[OverGrant]]:
    """The ekonom's two cards, in one query over the insatser:

    - for each running insats, the months of the last year (up to the month
      before this one, inside its period) with no utfall recorded (each
      insats carries its utfall's month and period end);
    - the insatser whose budget for this year is more than was granted for it.
    """
    last = today.replace(day=1) - dt.timedelta(days=1)  # end of last month
    first = (last.replace(day=1) - dt.timedelta(days=334)).replace(day=1)
    entries = CostEntry.objects.filter(
        project=OuterRef("pk"), period_end__gte=first, month__lte=last
    ).order_by()
    pair = Func(F("month"), F("period_end"), template="ARRAY[%(expressions)s]")
    budget = (
        BudgetLine.objects.filter(project=OuterRef("pk"), year=today.year)
        .order_by()
        .values("project")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    granted = YearGrant.objects.filter(project=OuterRef("pk"), year=today.year)
    projects = (
        Project.objects.annotate(
            budget=Subquery(budget),
            granted=Coalesce(Subquery(granted.values("amount")[:1]), Value(Decimal(0))),
            running=Q(status=ProjectStatus.RUNNING),
            recorded=Subquery(
                entries.values("project").annotate(pairs=ArrayAgg(pair)).values("pairs"),
                output_field=ArrayField(ArrayField(DateField())),
            ),
        )
        .filter(Q(running=True) | Q(budget__gt=F("granted")))
        .order_by("name")
    )
    missing, over = [], []
    for project in projects:
        if project.budget is not None and project.budget > project.granted:
            over.append(
                OverGrant(
                    project=project, year=today.year, budget=project.budget, granted=project.granted
                )
            )
        if not project.running:
            continue
        recorded = set()
        for month, period_end in project.recorded or []:
            recorded.update(_months(month, period_end))  # a period covers each of its months
        start = max(first, (project.start_date or first).replace(day=1))
        months = [
            m for m in _months(start, min(last, project.end_date or last)) if m not in recorded
        ]
        if months:
            missing.append(Missing(project=project, months=months))
    return missing, over


def _ties(user) -> tuple[bool, bool]:
    """Whether the user signs protocols and works in an insats: by role, or,
    without the role, as a signer or staff all the same."""
    roles, ties = roles_of(user), ties_of(user)
    return STYRELSE in roles or SIGNER in ties, INSATSPERSONAL in roles or STAFF in ties


def cards_for(user, today: dt.date) -> dict:
    """What Översikt shows this user; a key is missing when the card is not theirs."""
    cards: dict = {}
    signs, staffs = _ties(user)
    if board_access.uses_board(user):
        cards["meetings"] = coming_meetings(user, today)[:COMING_MEETINGS]
    if signs:
        cards["to_sign"] = awaiting_my_signature(user)
    if board_access.manages_meetings(user):
        cards["out_for_justering"] = out_for_justering()
        cards["postings"] = list(postings_on_board(today))
    if user.has_perm("finsam.manage_applications"):
        cards["inbox_counts"], cards["decisions"] = project_selectors.application_counts(
            user, today.year
        )
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
    if staffs:
        cards["my_projects"] = my_projects_with_open(user)
        stale = without_recent_status(user, today)
        cards["stale"] = list(stale[:LISTED])
        cards["stale_count"] = stale.count()
        cards["stale_days"] = settings.FINSAM_STATUS_STALE_DAYS
        cards["drafts"] = list(my_draft_reports(user))
    if user.has_perm("finsam.manage_budgets") and project_access.sees_all_projects(user):
        cards["missing_costs"], cards["over_grant"] = economy_cards(today)
    return cards
