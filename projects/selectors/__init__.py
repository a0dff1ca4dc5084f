"""Reads of insatser and applications, scoped to who asks."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import (
    Case,
    Count,
    DecimalField,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from finsam.lib.per_request import prefetched
from projects import access
from projects.models import (
    GRANTED_STATUSES,
    Application,
    ApplicationStatus,
    Goal,
    Phase,
    Project,
    ProjectStatus,
    YearGrant,
)
from projects.sections import SECTIONS

ZERO = Decimal(0)
MONEY = DecimalField(max_digits=16, decimal_places=0)


def projects_visible_to(user):
    """Every insats for those who see all; otherwise the user's own."""
    projects = Project.objects.all()
    if access.sees_all_projects(user):
        return projects
    return projects.staffed_by(user)


def project_sum(rows):
    """The sum of ``rows``' amounts for the insats of the outer query
    (``OuterRef("pk")``), 0 when there are none: one subquery per column."""
    return Coalesce(
        Subquery(
            rows.filter(project=OuterRef("pk"))
            .order_by()
            .values("project")
            .annotate(t=Sum("amount"))
            .values("t"),
            output_field=MONEY,
        ),
        Value(ZERO),
        output_field=MONEY,
    )


def _granted_total(year: int | None = None):
    """What the insats has been granted, in all or in ``year``: the grants and
    the decisions that changed them (YearGrant)."""
    granted = YearGrant.objects.all()
    return project_sum(granted.filter(year=year) if year else granted)


def granted_per_year(project: Project, *, until: int | None = None) -> dict[int, Decimal]:
    grants = YearGrant.objects.filter(project=project)
    if until:
        grants = grants.filter(year__lte=until)
    return dict(grants.order_by("year").values_list("year", "amount"))


def project_list(user, *, status="", year=None, member=None, orientation="", form="", q=""):
    """The insatser list: filters, search and the granted total, in one query."""
    projects = (
        projects_visible_to(user).select_related("owner").annotate(granted_total=_granted_total())
    )
    if status:
        projects = projects.filter(status=status)
    if year:
        projects = projects.filter(start_date__year__lte=year, end_date__year__gte=year)
    if member:
        projects = projects.filter(Q(owner=member) | Q(partners=member)).distinct()
    if orientation:
        projects = projects.filter(orientation=orientation)
    if form:
        projects = projects.filter(form=form)
    if q:
        projects = projects.filter(
            Q(reference__icontains=q)
            | Q(name__icontains=q)
            | Q(contact_name__icontains=q)
            | Q(pk__in=_text_matches(q))
        )
    return projects


def _text_matches(q: str):
    vector = SearchVector("name", "target_group", config="swedish")
    return (
        Project.objects.annotate(search=vector)
        .filter(search=SearchQuery(q, config="swedish"))
        .values("pk")
    )


def my_projects(user):
    """The insatser the user works in, with their role there."""
    return (
        Project.objects.staffed_by(user)
        .exclude(status__in=[ProjectStatus.FINISHED, ProjectStatus.CANCELLED])
        .order_by("name")
    )


def project_years() -> list[int]:
    """Years some insats runs in, newest first (for the year filter)."""
    span = Project.objects.aggregate(first=Min("start_date"), last=Max("end_date"))
    if not span["first"]:
        return []
    return list(range(span["last"].year, span["first"].year - 1, -1))


def project_for(user, pk: int) -> Project:
    """One insats the user may see, or Project.DoesNotExist (→ 404)."""
    return projects_visible_to(user).select_related("owner").get(pk=pk)


def applications_visible_to(user):
    return Application.objects.filter(project__in=projects_visible_to(user).values("pk"))


def application_for(user, pk: int) -> Application:
    return applications_visible_to(user).select_related("project", "project__owner").get(pk=pk)


# What needs the kansli's action first.
INBOX_ORDER = Case(
    When(status=ApplicationStatus.SUBMITTED, then=Value(1)),
    When(status=ApplicationStatus.READY, then=Value(2)),
    When(status=ApplicationStatus.IN_PREPARATION, then=Value(3)),
    When(status=ApplicationStatus.DRAFT, then=Value(4)),
    default=Value(9),
    output_field=IntegerField(),
)


def inbox(user):
    """Applications not yet decided, the ones waiting for the kansli first."""
    requested = (
        Application.objects.filter(pk=OuterRef("pk"))
        .values("pk")
        .annotate(t=Sum("budget_lines__amount"))
        .values("t")
    )
    return (
        applications_visible_to(user)
        .exclude(status__in=[s.value for s in (*GRANTED_STATUSES, ApplicationStatus.REJECTED)])
        .select_related("project", "project__owner", "submitted_by")
        .annotate(priority=INBOX_ORDER, requested_total=Subquery(requested, output_field=MONEY))
        .order_by("priority", "submitted_at", "created_at")
    )


INBOX_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.IN_PREPARATION,
    ApplicationStatus.READY,
)


def application_counts(user, year: int) -> tuple[dict[str, int], dict[str, int]]:
    """The kansli's inbox (applications to prepare, by status) and the year's
    decisions (by status), in one query."""
    inbox, decided = Q(status__in=INBOX_STATUSES), Q(decided_on__year=year)
    rows = (
        applications_visible_to(user)
        .filter(inbox | decided)
        .order_by()
        .values("status")
        .annotate(waiting=Count("pk", filter=inbox), decisions=Count("pk", filter=decided))
    )
    counts = list(rows)
    return (
        {row["status"]: row["waiting"] for row in counts if row["waiting"]},
        {row["status"]: row["decisions"] for row in counts if row["decisions"]},
    )


def goals_for_project(project: Project):
    """The goals of the insats's granted applications (carried into reports)."""
    return Goal.objects.filter(
        application__project=project, application__status__in=GRANTED_STATUSES
    ).select_related("application")


def phases_for_project(project: Project):
    """Phases of the newest granted application that has any."""
    latest = (
        Phase.objects.filter(application__project=project, application__status__in=GRANTED_STATUSES)
        .order_by("-application__decided_on", "-application_id")
        .values("application_id")[:1]
    )
    return Phase.objects.filter(application_id__in=Subquery(latest))


def granted_total_for(project: Project) -> Decimal:
    return sum(granted_per_year(project).values(), ZERO)


def application_missing(application: Application) -> dict[str, list[str]]:
    """Per section, what is still missing for submission (Swedish messages)."""
    missing: dict[str, list[str]] = defaultdict(list)
    for section in SECTIONS:
        for need in section.needed_for(application.kind):
            if need == section.items:  # .exists() reads a prefetched list, if there is one
                if not getattr(application, need).exists():
                    missing[section.slug].append(section.empty)
            elif getattr(application, need) in (None, ""):
                label = Application._meta.get_field(need).verbose_name
                missing[section.slug].append(_("Fyll i %(field)s.") % {"field": label})
    if application.period_start and application.period_end:
        years = range(application.period_start.year, application.period_end.year + 1)
        if prefetched(application, "budget_lines"):
            outside = [
                line.year for line in application.budget_lines.all() if line.year not in years
            ]
        else:
            outside = application.budget_lines.exclude(year__in=years).values_list(
                "year", flat=True
            )
        for year in sorted(set(outside)):
            missing["budget"].append(
                _("Budgetåret %(year)s ligger utanför den sökta perioden.") % {"year": year}
            )
    return dict(missing)


def requested_per_year(application: Application) -> dict[int, Decimal]:
    """The sum applied for, per year (from the budget lines the page has read, if it has)."""
    if prefetched(application, "budget_lines"):
        totals: dict[int, Decimal] = {}
        for line in application.budget_lines.all():
            totals[line.year] = totals.get(line.year, ZERO) + line.amount
        return dict(sorted(totals.items()))
    rows = application.budget_lines.values("year").annotate(total=Sum("amount")).order_by("year")
    return {row["year"]: row["total"] for row in rows}


def pending_meeting_of(application: Application):
    """The coming (or not yet justerat) board meeting that has the application
    on its dagordning, if any: then the decision is taken in its protocol.
    (The board's agenda items point at applications; projects only reads
    them by their related name.)"""
    item = (
        application.agenda_items.exclude(meeting__status="installt")
        .exclude(meeting__minutes__status="justerat")
        .select_related("meeting")
        .order_by("meeting__date")
        .first()
    )
    return item.meeting if item else None


from projects.selectors.budgets import (  # noqa: E402, F401
    BudgetCell,
    BudgetYear,
    FederationYear,
    budget_lines_for_project,
    budget_overview,
    costs_for_project,
    federation_year,
)
from projects.selectors.obligations import (  # noqa: E402, F401 - they read the insatser above
    WATCH_STATES,
    obligation_for,
    obligation_watch,
    obligations_due_for,
    obligations_of_project,
    obligations_visible_to,
)
from projects.selectors.payments import (  # noqa: E402, F401
    WAITING_FOR,
    YearMoney,
    federation_economy,
    money_for_year,
    money_per_year,
    payment_list,
    payment_request_for,
    payment_requests,
    period_costs_by_category,
    refund_for,
    requests_visible_to,
    waiting_for,
    year_money_by_project,
)
