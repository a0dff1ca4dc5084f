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
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Q,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber

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
from participants.figures_sql import FIGURES_CTES, FIGURES_SQL, STATISTICS_SQL  # noqa: F401
from participants.models import (
    ExitReason,
    IncomePhase,
    IncomeSource,
    Occupation,
    Sex,
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
    # For the chart: {age band: {kön: participations}}, bands in settings order.
    sex_by_age: dict = field(default_factory=dict)


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


def _labels(kind: str, queryset, label: str) -> tuple[str, list]:
    """A UNION ALL branch: the list's (pk, label) rows numbered in its own order."""
    ordering = [*(queryset.model._meta.ordering or []), "pk"]
    order = [F(o[1:]).desc() if o.startswith("-") else F(o).asc() for o in ordering]
    rows = (
        queryset.annotate(n=Window(RowNumber(), order_by=order))
        .order_by()
        .values_list("pk", label, "n")
    )
    sql, params = rows.query.sql_with_params()
    branch = "UNION ALL SELECT %s, x.pk::text, x.l::text, x.n, 0, 0, 0 FROM ({}) x(pk, l, n)"
    return branch.format(sql), [f"label:{kind}", *params]


def _label_lists():
    """The lists the figures are named from, as (kind, queryset, label column)."""
    return [
        ("kommun", Member.objects.all(), "name"),
        ("exit", ExitReason.objects.exclude(code=ExitReason.MISTAKE), "label"),
        ("occupation", Occupation.objects.all(), "sus_group"),
        ("source", IncomeSource.objects.all(), "label"),
        ("status", StatusKind.objects.all(), "label"),
        ("active_status", StatusKind.objects.filter(active=True), "label"),
    ]


def _active(participations, *, start: dt.date, end: dt.date, grp) -> tuple[str, list]:
    """The active participations of the period with the figures' derived
    columns (the ``a`` CTE), grouped by ``grp``."""
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
            grp=grp,
            age_band=_age_band(),
            band=_duration_band(),
            days=F("days_in"),
            is_started=ExpressionWrapper(started_q, output_field=BooleanField()),
            is_ended=ExpressionWrapper(ended_between(start, end), output_field=BooleanField()),
        )
        .values(
            "grp",
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
    return active.query.sql_with_params()


def _all_labels() -> tuple[str, list]:
    labels = [_labels(*lists) for lists in _label_lists()]
    return "\n".join(sql for sql, _p in labels), [p for _sql, params in labels for p in params]


def statistics(participations, *, start: dt.date, end: dt.date) -> Statistics:
    """Counts for the participations active in the period, and outcomes for
    those that ended in it (ended in the period implies active in it).

    One SQL statement (``FIGURES_SQL``); Python only turns the few dozen
    result rows into tables. The breakdowns count participations; the totals
    also count people, so that one person in two insatser is one person but
    two participations. For a calendar year of whole insatser,
    ``year_statistics`` gives the same from the kept figures.
    """
    sql, params = _active(participations, start=start, end=end, grp=Value(0))
    labels, label_params = _all_labels()
    with connection.cursor() as cursor:
        cursor.execute(
            STATISTICS_SQL.format(active=sql, figures=FIGURES_SQL, labels=labels),
            [*params, end, *label_params],
        )
        rows = cursor.fetchall()
    return _statistics_from_rows(rows, start=start, end=end)


NO_STATUS = "Ingen status loggad"


def _statistics_from_rows(rows, *, start, end) -> Statistics:
    """The result rows (kind, key, key2, n1, n2, n3, n4) as the Statistics tables."""
    by_kind: dict[str, list] = {}
    for kind, key, key2, *numbers in rows:
        by_kind.setdefault(kind, []).append((key, key2, *numbers))
    stats = Statistics(start=start, end=end)
    total = sum(row[2] for row in by_kind.get("total", []))
    started = sum(row[4] for row in by_kind.get("total", []))
    ended = sum(row[5] for row in by_kind.get("total", []))
    # People: those with a code, counted once (kept figures count them across
    # insatser in "people"), and each anonymous participation one of its own.
    if "people" in by_kind:
        persons = by_kind["people"][0][2]
    else:
        persons = sum(row[3] for row in by_kind.get("total", []))
    persons += sum(row[2] for row in by_kind.get("anonymous", []))
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

    def named(kind) -> dict[int, str]:
        """A list's labels by pk, in the list's own order."""
        rows = sorted(by_kind.get(f"label:{kind}", []), key=lambda row: row[2])
        return {int(pk): label for pk, label, *_n in rows}

    sexes = counts("sex")
    stats.by_sex = [Figure(str(sex.label), sexes.get(sex.value, 0)) for sex in Sex]
    age_labels = [label for label, _ in settings.FINSAM_AGE_BANDS]
    stats.by_age = _ordered(counts("age", dict(enumerate(age_labels))), [*age_labels, MISSING])
    stats.by_kommun = _ordered(counts("kommun", named("kommun")), [], keep_zero=False)
    reasons = named("exit")
    stats.exit_reasons = _ordered(counts("exit", reasons), list(reasons.values()))
    group_labels = dict(SusGroup.choices)
    occupation_groups = {pk: str(group_labels[group]) for pk, group in named("occupation").items()}
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

    sexes_named = dict(Sex.choices)
    table = {band: {str(name): 0 for name in sexes_named.values()} for band in age_labels}
    table[MISSING] = {str(name): 0 for name in sexes_named.values()}
    for band, sex, n, *_rest in by_kind.get("agesex", []):
        table[MISSING if band is None else age_labels[int(band)]][str(sexes_named[sex])] += n
    if not any(table[MISSING].values()):
        del table[MISSING]
    stats.sex_by_age = table

    kinds = named("status")
    active_kinds = list(named("active_status").values())
    reached = {}
    for kind, _k2, n, *_rest in by_kind.get("reached", []):
        reached[kinds[int(kind)]] = reached.get(kinds[int(kind)], 0) + n
    standing = {}
    for kind, _k2, n, *_rest in by_kind.get("latest", []):
        standing[kinds[int(kind)]] = standing.get(kinds[int(kind)], 0) + n
    standing[NO_STATUS] = total - sum(standing.values())
    stats.statuses_reached = _ordered(reached, active_kinds)
    stats.latest_status = _ordered(standing, [*active_kinds, NO_STATUS], keep_zero=False)

    sources = named("source")
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


def statistics_years(participations) -> list[int]:
    years = participations.filter(COUNTED).order_by().values_list("start_year", flat=True)
    years = years.distinct()
    return sorted(set(years), reverse=True)


def sex_by_age(participations, *, start: dt.date, end: dt.date) -> dict[str, dict[str, int]]:
    """Participations active in the period by age band and kön, for the chart:
    {age band label: {kön label: count}}, bands in settings order."""
    return statistics(participations, start=start, end=end).sex_by_age


# The kept figures of a calendar year live beside these (participants.kept_figures).
from participants.kept_figures import period_statistics, year_statistics  # noqa: E402, F401
