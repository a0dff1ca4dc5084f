"""Participant statistics, computed in SQL, and the small-count rule for
figures that leave the system."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)

from finsam.models import Member
from participants.disclosure import (  # noqa: F401 - the figures' rules, asked for here too
    HIDDEN,
    federation_threshold,
    hidden_cells,
    is_small,
    protected,
    protected_row,
    shown_count,
    suppress,
)
from participants.models import (
    ExitReason,
    IncomePhase,
    IncomeSource,
    Occupation,
    Sex,
    StatusEntry,
    StatusKind,
    SusGroup,
)

# --- Statistics ---------------------------------------------------------------


MISSING = "Uppgift saknas"


# What no statistic counts: a participation closed as a felregistrering.
COUNTED = ~Q(exit_reason__in=ExitReason.objects.filter(code=ExitReason.MISTAKE).values("pk"))


def active_between(start: dt.date, end: dt.date) -> Q:
    """Participations that were in the insats some day of the period. One kept
    only as kön and years counts in the years it started and ended; a
    felregistrering never counts."""
    started = Q(start_date__lte=end) | Q(start_date__isnull=True, start_year__lte=end.year)
    not_ended = (
        Q(end_year__isnull=True)
        | Q(end_date__gte=start)
        | Q(end_date__isnull=True, end_year__gte=start.year)
    )
    return started & not_ended & COUNTED


def ended_between(start: dt.date, end: dt.date) -> Q:
    return Q(end_date__range=(start, end)) | Q(
        end_date__isnull=True, end_year__gte=start.year, end_year__lte=end.year
    )


def _persons():
    """Distinct people: the same person twice counts once; each anonymous
    participation is a person of its own (nothing can link them)."""
    return Count("participant", distinct=True) + Count("id", filter=Q(participant__isnull=True))


class DaysBetween(Func):
    """end - start for two dates: PostgreSQL gives whole days as an integer."""

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = IntegerField()


def _duration_band():
    """Position in FINSAM_DURATION_BANDS of the time in the insats (NULL: no
    dates); use on a queryset with the alias ``days_in``."""
    whens = []
    for index, (_label, months) in enumerate(settings.FINSAM_DURATION_BANDS):
        condition = Q(end_date__isnull=False)
        if months is not None:
            condition &= Q(days_in__lte=round(months * 30.4375))
        whens.append(When(condition, then=Value(index)))
    return Case(*whens, default=None, output_field=IntegerField())


@dataclass
class Figure:
    label: str
    count: int


@dataclass
class CrossRow:
    label: str
    cells: list[Figure]
    total: int


@dataclass
class Statistics:
    start: dt.date
    end: dt.date
    participations: int = 0
    persons: int = 0
    started: int = 0
    ended: int = 0
    by_sex: list[Figure] = field(default_factory=list)
    by_age: list[Figure] = field(default_factory=list)
    by_kommun: list[Figure] = field(default_factory=list)
    income_before: list[Figure] = field(default_factory=list)
    income_after: list[Figure] = field(default_factory=list)
    after_given_before: list[CrossRow] = field(default_factory=list)
    after_columns: list[str] = field(default_factory=list)
    occupation_after: list[Figure] = field(default_factory=list)
    exit_reasons: list[Figure] = field(default_factory=list)
    duration: list[Figure] = field(default_factory=list)
    average_days: int | None = None
    # Where the participants stand: those who reached each status (logged on
    # or before the period's end), and each one's latest status at its end.
    statuses_reached: list[Figure] = field(default_factory=list)
    latest_status: list[Figure] = field(default_factory=list)


def _ordered(counts: dict, labels: list[str], *, keep_zero: bool = True) -> list[Figure]:
    figures = [Figure(label, counts.get(label, 0)) for label in labels]
    extra = [Figure(k, v) for k, v in counts.items() if k not in labels]
    figures = figures + sorted(extra, key=lambda f: f.label)
    return [f for f in figures if keep_zero or f.count]


def _age_band():
    whens = []
    """The band's position in FINSAM_AGE_BANDS (NULL: no birth year). Small
    integers keep the statistics' working set narrow."""
    for index, (_label, highest) in enumerate(settings.FINSAM_AGE_BANDS):
        condition = Q(birth_year__isnull=False)
        if highest is not None:
            condition &= Q(age__lte=highest)
        whens.append(When(condition, then=Value(index)))
    return Case(*whens, default=None, output_field=IntegerField())


STATISTICS_SQL = """
WITH a AS MATERIALIZED ({active}),
inc AS MATERIALIZED (
    SELECT i.participation_id, i.phase, i.source_id, a.is_ended
      FROM participants_participationincome i JOIN a ON a.id = i.participation_id
)
SELECT 'total', NULL, NULL, COUNT(*),
       (SELECT COUNT(*) FROM (SELECT DISTINCT participant_id FROM a) people
         WHERE participant_id IS NOT NULL) + COUNT(*) FILTER (WHERE participant_id IS NULL),
       COUNT(*) FILTER (WHERE is_started), COUNT(*) FILTER (WHERE is_ended)
  FROM a
UNION ALL
SELECT CASE WHEN GROUPING(sex) = 0 THEN 'sex'
            WHEN GROUPING(age_band) = 0 THEN 'age'
            WHEN GROUPING(kommun_id) = 0 THEN 'kommun'
            WHEN GROUPING(exit_reason_id) = 0 THEN 'exit'
            WHEN GROUPING(occupation_after_id) = 0 THEN 'occupation'
            ELSE 'duration' END,
       CASE WHEN GROUPING(sex) = 0 THEN sex
            WHEN GROUPING(age_band) = 0 THEN age_band::text
            WHEN GROUPING(kommun_id) = 0 THEN kommun_id::text
            WHEN GROUPING(exit_reason_id) = 0 THEN exit_reason_id::text
            WHEN GROUPING(occupation_after_id) = 0 THEN occupation_after_id::text
            ELSE band::text END,
       is_ended::text, COUNT(*), COALESCE(SUM(days), 0), COUNT(days), 0
  FROM a
 GROUP BY GROUPING SETS ((sex), (age_band), (kommun_id), (is_ended, exit_reason_id),
                         (is_ended, occupation_after_id), (is_ended, band))
UNION ALL
SELECT 'income', phase, source_id::text, COUNT(*), COUNT(*) FILTER (WHERE is_ended), 0, 0
  FROM inc GROUP BY phase, source_id
UNION ALL
SELECT 'recorded', phase, NULL, COUNT(*), COUNT(*) FILTER (WHERE is_ended), 0, 0
  FROM (SELECT DISTINCT participation_id, phase, is_ended FROM inc) recorded GROUP BY phase
UNION ALL
SELECT 'cross', b.source_id::text, f.source_id::text, COUNT(*), 0, 0, 0
  FROM inc b JOIN inc f ON f.participation_id = b.participation_id
 WHERE b.phase = 'fore' AND f.phase = 'efter' AND b.is_ended
 GROUP BY b.source_id, f.source_id
"""


def statistics(participations, *, start: dt.date, end: dt.date) -> Statistics:
    """Counts for the participations active in the period, and outcomes for
    those that ended in it (ended in the period implies active in it).

    One SQL statement: the scoped, active participations are read once into
    a CTE with their derived columns (age band, time band, started, ended),
    their försörjning once into another, and every figure is a GROUP BY over
    those. Python only turns the few dozen result rows into tables. The
    breakdowns count participations; the totals also count people, so that
    one person in two insatser is one person but two participations.
    """
    started_q = Q(start_date__range=(start, end)) | Q(
        start_date__isnull=True, start_year__gte=start.year, start_year__lte=end.year
    )
    active = (
        participations.filter(active_between(start, end))
        .alias(
            age=F("start_year") - F("birth_year"),
            days_in=DaysBetween(F("end_date"), F("start_date")),
        )
        .annotate(
            age_band=_age_band(),
            band=_duration_band(),
            days=F("days_in"),
            is_started=ExpressionWrapper(started_q, output_field=BooleanField()),
            is_ended=ExpressionWrapper(ended_between(start, end), output_field=BooleanField()),
        )
        .values(
            "id",
            "participant_id",
            "sex",
            "kommun_id",
            "exit_reason_id",
            "occupation_after_id",
            "age_band",
            "band",
            "days",
            "is_started",
            "is_ended",
        )
        .order_by()
    )
    sql, params = active.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(STATISTICS_SQL.format(active=sql), params)
        rows = cursor.fetchall()
    stats = _statistics_from_rows(rows, start=start, end=end)
    stats.statuses_reached, stats.latest_status = status_figures(
        participations, start=start, end=end
    )
    return stats


NO_STATUS = "Ingen status loggad"


def status_figures(participations, *, start: dt.date, end: dt.date):
    """For the participations active in the period: how many reached each
    status kind by its end, and how many stand at each as their latest status
    then (those with none as "Ingen status loggad"). Two grouped queries; the
    status kinds are the förbund's own list, in its order."""
    active = participations.filter(active_between(start, end)).values("pk")
    entries = StatusEntry.objects.filter(participation__in=active, date__lte=end)
    reached = dict(
        entries.values("kind__label")
        .annotate(n=Count("participation", distinct=True))
        .values_list("kind__label", "n")
    )
    latest = (
        StatusEntry.objects.filter(participation=OuterRef("pk"), date__lte=end)
        .order_by("-date", "-id")
        .values("kind__label")[:1]
    )
    standing = dict(
        participations.filter(active_between(start, end))
        .annotate(latest=Subquery(latest))
        .values("latest")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("latest", "n")
    )
    kinds = list(StatusKind.objects.filter(active=True).values_list("label", flat=True))
    reached_figures = _ordered(reached, kinds)
    standing = {NO_STATUS if k is None else k: v for k, v in standing.items()}
    latest_figures = _ordered(standing, [*kinds, NO_STATUS], keep_zero=False)
    return reached_figures, latest_figures


def _statistics_from_rows(rows, *, start, end) -> Statistics:
    """The result rows (kind, key, key2, n1, n2, n3, n4) as the Statistics tables."""
    by_kind: dict[str, list] = {}
    for kind, key, key2, *numbers in rows:
        by_kind.setdefault(kind, []).append((key, key2, *numbers))
    stats = Statistics(start=start, end=end)
    ((_k, _k2, total, persons, started, ended),) = by_kind["total"]
    stats.participations, stats.persons, stats.started, stats.ended = (
        total,
        persons,
        started,
        ended,
    )

    ended_only = {"exit", "occupation", "duration"}
    for kind in ended_only:
        by_kind[kind] = [row for row in by_kind.get(kind, []) if row[1] == "true"]

    def counts(kind, names=None):
        found = {}
        for key, _key2, n, *_rest in by_kind.get(kind, []):
            label = names.get(int(key), key) if names and key is not None else key
            label = MISSING if label is None else str(label)
            found[label] = found.get(label, 0) + n
        return found

    sexes = counts("sex")
    stats.by_sex = [Figure(str(sex.label), sexes.get(sex.value, 0)) for sex in Sex]
    stats.by_age = _ordered(
        counts("age", dict(enumerate(label for label, _ in settings.FINSAM_AGE_BANDS))),
        [label for label, _ in settings.FINSAM_AGE_BANDS] + [MISSING],
    )
    kommuner = dict(Member.objects.values_list("pk", "name"))
    stats.by_kommun = _ordered(counts("kommun", kommuner), [], keep_zero=False)
    reasons = dict(ExitReason.objects.exclude(code=ExitReason.MISTAKE).values_list("pk", "label"))
    stats.exit_reasons = _ordered(counts("exit", reasons), list(reasons.values()))
    group_labels = dict(SusGroup.choices)
    occupation_groups = {
        pk: str(group_labels[group])
        for pk, group in Occupation.objects.values_list("pk", "sus_group")
    }
    stats.occupation_after = _ordered(
        counts("occupation", occupation_groups),
        [str(label) for label in group_labels.values()] + [MISSING],
    )
    stats.duration = _ordered(
        counts("duration", dict(enumerate(label for label, _ in settings.FINSAM_DURATION_BANDS))),
        [label for label, _ in settings.FINSAM_DURATION_BANDS] + [MISSING],
    )
    days = sum(row[3] for row in by_kind.get("duration", []))
    dated = sum(row[4] for row in by_kind.get("duration", []))
    stats.average_days = round(days / dated) if dated else None

    sources = dict(IncomeSource.objects.values_list("pk", "label"))
    labels = list(sources.values())
    before, after, before_ended = {}, {}, {}
    for phase, source, n_active, n_ended, *_rest in by_kind.get("income", []):
        label = sources[int(source)]
        if phase == IncomePhase.BEFORE:
            before[label], before_ended[label] = n_active, n_ended
        else:
            after[label] = n_ended
    recorded = {phase: (n, n_ended) for phase, _k2, n, n_ended, *_r in by_kind.get("recorded", [])}
    before[MISSING] = total - recorded.get(IncomePhase.BEFORE, (0, 0))[0]
    after[MISSING] = ended - recorded.get(IncomePhase.AFTER, (0, 0))[1]
    stats.income_before = _ordered(before, [*labels, MISSING], keep_zero=False)
    stats.income_after = _ordered(after, [*labels, MISSING], keep_zero=False)

    table: dict[str, dict[str, int]] = {}
    for source_before, source_after, n, *_rest in by_kind.get("cross", []):
        table.setdefault(sources[int(source_before)], {})[sources[int(source_after)]] = n
    stats.after_columns = [label for label in labels if any(label in c for c in table.values())]
    stats.after_given_before = [
        CrossRow(
            label=label,
            cells=[Figure(c, table.get(label, {}).get(c, 0)) for c in stats.after_columns],
            total=before_ended[label],
        )
        for label in labels
        if before_ended.get(label)
    ]
    return stats


FOLLOWUP_SQL = """
SELECT project_id, sex, GROUPING(sex) = 1,
       COUNT(DISTINCT participant_id) + COUNT(*) FILTER (WHERE participant_id IS NULL)
  FROM ({active}) a
 GROUP BY GROUPING SETS ((project_id, sex), (project_id))
"""


def followup_rows(participations, *, year: int):
    """Uppföljning Finsam: people per insats in the year, by kön.

    One pass over the year's participations grouped by insats and kön and by
    insats alone (a person counts once per kön and once in the total), then
    the insatser's names: the grouping runs over small integers, not over
    the names joined in, so it sorts in memory at bench scale."""
    from projects.models import Project

    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    active = (
        participations.filter(active_between(start, end))
        .values("id", "project_id", "participant_id", "sex")
        .order_by()
    )
    sql, params = active.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(FOLLOWUP_SQL.format(active=sql), params)
        counted = cursor.fetchall()
    by_project: dict[int, dict] = {}
    for project_id, sex, is_total, persons in counted:
        row = by_project.setdefault(project_id, {s.value: 0 for s in Sex})
        row["total" if is_total else sex] = persons
    projects = (
        Project.objects.filter(pk__in=by_project)
        .order_by("reference")
        .values_list("pk", "reference", "name")
    )
    return [
        {"project": pk, "project__reference": reference, "project__name": name} | by_project[pk]
        for pk, reference, name in projects
    ]


def statistics_years(participations) -> list[int]:
    years = participations.filter(COUNTED).order_by().values_list("start_year", flat=True)
    years = years.distinct()
    return sorted(set(years), reverse=True)


def sex_by_age(participations, *, start: dt.date, end: dt.date) -> dict[str, dict[str, int]]:
    """Participations active in the period by age band and kön, for the chart:
    {age band label: {kön label: count}}, bands in settings order."""
    bands = [label for label, _ in settings.FINSAM_AGE_BANDS]
    rows = (
        participations.filter(active_between(start, end))
        .alias(age=F("start_year") - F("birth_year"))
        .annotate(band=_age_band())
        .values("band", "sex")
        .annotate(n=Count("id"))
        .order_by()
    )
    sexes = dict(Sex.choices)
    table = {label: {str(sexes[s]): 0 for s in sexes} for label in [*bands, MISSING]}
    for row in rows:
        label = MISSING if row["band"] is None else bands[row["band"]]
        table[label][str(sexes[row["sex"]])] += row["n"]
    if not any(table[MISSING].values()):
        del table[MISSING]
    return table
