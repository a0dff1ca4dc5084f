"""Reads of participant data, scoped to who asks, and statistics computed in SQL."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.http import Http404

from finsam.models import Federation
from participants import access, identity
from participants.models import (
    ExitReason,
    IncomePhase,
    IncomeSource,
    Participation,
    ParticipationIncome,
    Sex,
    StatusEntry,
    SusGroup,
)
from projects.selectors import projects_visible_to

MISSING = "Uppgift saknas"


def participations_visible_to(user):
    """The kansli's view is every insats (pseudonymous); staff see their own."""
    participations = Participation.objects.all()
    if not access.uses_participants(user):
        return participations.none()
    if access.sees_all_participations(user):
        return participations
    return participations.filter(project__staff__user=user).distinct()


def projects_with_participants_for(user):
    """Individinriktade insatser whose participants the user may see."""
    projects = projects_visible_to(user).filter(orientation="individinriktad")
    if not access.sees_all_participations(user):
        projects = projects.filter(staff__user=user)
    return projects.distinct().order_by("-start_date", "reference")


def projects_enrollable_by(user):
    return [p for p in projects_with_participants_for(user) if access.can_enrol(user, p)]


def participation_for(user, pk) -> Participation:
    try:
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
    except (Participation.DoesNotExist, ValueError) as error:
        raise Http404 from error


def participation_list(user, *, project=None, state: str = "pagaende", search: str = ""):
    """The list a processledare works from: newest first, with the latest status."""
    latest = StatusEntry.objects.filter(participation=OuterRef("pk")).order_by("-date", "-id")
    participations = (
        participations_visible_to(user)
        .select_related("project", "participant")
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
        except Exception:  # noqa: BLE001 - not a number: search by code only
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


# --- Statistics ---------------------------------------------------------------


def active_between(start: dt.date, end: dt.date) -> Q:
    """Participations that were in the insats some day of the period. One kept
    only as kön and years counts in the years it started and ended."""
    started = Q(start_date__lte=end) | Q(start_date__isnull=True, start_year__lte=end.year)
    not_ended = (
        Q(end_year__isnull=True)
        | Q(end_date__gte=start)
        | Q(end_date__isnull=True, end_year__gte=start.year)
    )
    return started & not_ended


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
    """Band of time in the insats; use on a queryset with the alias ``days``."""
    whens = []
    for label, months in settings.FINSAM_DURATION_BANDS:
        condition = Q(end_date__isnull=False)
        if months is not None:
            condition &= Q(days__lte=round(months * 30.4375))
        whens.append(When(condition, then=Value(label)))
    return Case(*whens, default=Value(MISSING), output_field=CharField())


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


def _ordered(counts: dict, labels: list[str], *, keep_zero: bool = True) -> list[Figure]:
    figures = [Figure(label, counts.get(label, 0)) for label in labels]
    extra = [Figure(k, v) for k, v in counts.items() if k not in labels]
    figures = figures + sorted(extra, key=lambda f: f.label)
    return [f for f in figures if keep_zero or f.count]


def _count_by(queryset, expression, *, persons: bool = True) -> dict:
    rows = queryset.annotate(group=expression).values("group").order_by()
    rows = rows.annotate(n=_persons() if persons else Count("id"))
    return {row["group"] if row["group"] is not None else MISSING: row["n"] for row in rows}


def statistics(participations, *, start: dt.date, end: dt.date) -> Statistics:
    """Counts for the participations active in the period, and outcomes for
    those that ended in it. Every figure is one aggregate query."""
    active = participations.filter(active_between(start, end))
    ended = participations.filter(ended_between(start, end))
    stats = Statistics(start=start, end=end)
    totals = active.aggregate(
        participations=Count("id"),
        persons=_persons(),
        started=Count(
            "id",
            filter=Q(start_date__range=(start, end))
            | Q(start_date__isnull=True, start_year__gte=start.year, start_year__lte=end.year),
        ),
    )
    stats.participations = totals["participations"]
    stats.persons = totals["persons"]
    stats.started = totals["started"]

    stats.by_sex = _ordered(_count_by(active, F("sex")), [c.value for c in Sex])
    for figure in stats.by_sex:
        figure.label = str(Sex(figure.label).label) if figure.label in Sex.values else figure.label
    band_labels = [label for label, _ in settings.FINSAM_AGE_BANDS] + [MISSING]
    stats.by_age = _ordered(
        _count_by(
            active.alias(age=F("start_year") - F("birth_year")),
            Case(*_age_whens(), default=Value(MISSING), output_field=CharField()),
        ),
        band_labels,
    )
    stats.by_kommun = _ordered(_count_by(active, F("kommun__name")), [], keep_zero=False)

    source_labels = list(IncomeSource.objects.values_list("label", flat=True))
    stats.income_before = _income_counts(active, IncomePhase.BEFORE, source_labels)

    stats.ended = ended.count()
    stats.income_after = _income_counts(ended, IncomePhase.AFTER, source_labels)
    stats.after_columns, stats.after_given_before = _after_given_before(ended, source_labels)
    group_labels = dict(SusGroup.choices)
    by_group = _count_by(ended, F("occupation_after__sus_group"), persons=False)
    stats.occupation_after = [
        Figure(str(group_labels.get(f.label, f.label)), f.count)
        for f in _ordered(by_group, [*SusGroup.values, MISSING])
    ]
    stats.exit_reasons = _ordered(
        _count_by(ended, F("exit_reason__label"), persons=False),
        list(_exit_labels()),
    )
    durations = ended.alias(days=DaysBetween(F("end_date"), F("start_date")))
    stats.duration = _ordered(
        _count_by(durations, _duration_band(), persons=False),
        [label for label, _ in settings.FINSAM_DURATION_BANDS] + [MISSING],
    )
    average = (
        ended.filter(end_date__isnull=False)
        .annotate(days=DaysBetween(F("end_date"), F("start_date")))
        .aggregate(avg=Avg("days"))["avg"]
    )
    stats.average_days = round(average) if average is not None else None
    return stats


def _age_whens():
    whens = []
    for label, highest in settings.FINSAM_AGE_BANDS:
        condition = Q(birth_year__isnull=False)
        if highest is not None:
            condition &= Q(age__lte=highest)
        whens.append(When(condition, then=Value(label)))
    return whens


def _exit_labels():
    return ExitReason.objects.values_list("label", flat=True)


def _income_counts(participations, phase: str, labels: list[str]) -> list[Figure]:
    """People per source of försörjning (one person may have several), and
    those with none recorded."""
    incomes = ParticipationIncome.objects.filter(phase=phase, participation__in=participations)
    counts = {
        row["source__label"]: row["n"]
        for row in incomes.values("source__label")
        .order_by()
        .annotate(n=Count("participation", distinct=True))
    }
    missing = participations.exclude(
        Exists(ParticipationIncome.objects.filter(participation=OuterRef("pk"), phase=phase))
    ).count()
    counts[MISSING] = missing
    return _ordered(counts, [*labels, MISSING], keep_zero=False)


def _after_given_before(ended, labels: list[str]):
    """Försörjning after, for those who had each försörjning before."""
    rows = (
        ParticipationIncome.objects.filter(phase=IncomePhase.BEFORE, participation__in=ended)
        .filter(participation__incomes__phase=IncomePhase.AFTER)
        .values("source__label", "participation__incomes__source__label")
        .order_by()
        .annotate(n=Count("participation", distinct=True))
    )
    table: dict[str, dict[str, int]] = {}
    for row in rows:
        table.setdefault(row["source__label"], {})[row["participation__incomes__source__label"]] = (
            row["n"]
        )
    before_totals = {
        row["source__label"]: row["n"]
        for row in ParticipationIncome.objects.filter(
            phase=IncomePhase.BEFORE, participation__in=ended
        )
        .values("source__label")
        .order_by()
        .annotate(n=Count("participation", distinct=True))
    }
    columns = [label for label in labels if any(label in cells for cells in table.values())]
    result = [
        CrossRow(
            label=label,
            cells=[Figure(column, table.get(label, {}).get(column, 0)) for column in columns],
            total=before_totals[label],
        )
        for label in labels
        if label in before_totals
    ]
    return columns, result


def federation_threshold() -> int:
    return Federation.objects.values_list("small_count_threshold", flat=True).get()


def suppress(count: int, threshold: int):
    """A count that leaves the system: below the threshold it is hidden."""
    if 0 < count < threshold:
        return f"<{threshold}"
    return count


def followup_rows(participations, *, year: int):
    """Uppföljning Finsam: people per insats in the year, by kön."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows = (
        participations.filter(active_between(start, end))
        .values("project__reference", "project__name")
        .order_by("project__reference")
        .annotate(
            **{
                sex.value: Count("participant", distinct=True, filter=Q(sex=sex.value))
                + Count("id", filter=Q(sex=sex.value, participant__isnull=True))
                for sex in Sex
            },
            total=_persons(),
        )
    )
    return list(rows)


def statistics_years(participations) -> list[int]:
    years = participations.order_by().values_list("start_year", flat=True).distinct()
    return sorted(set(years), reverse=True)
