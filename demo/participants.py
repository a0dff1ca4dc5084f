"""Demo participations: a few hundred, spread over the individinriktade insatser,
with consent, status logs and exits, anonymous ones among them. Made-up people
only: codes, kön and years; no names or personnummer."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from finsam.models import Member, MemberKind
from participants import services
from participants.models import (
    EducationLevel,
    ExitReason,
    IncomeSource,
    JoblessBand,
    Occupation,
    Participation,
    Referrer,
    StatusKind,
)
from projects.models import Orientation, Project, ProjectStatus

# Participations per insats under way, and per insats that has ended (its
# participations were brought in from the register it kept before Finsam).
PER_PROJECT = {ProjectStatus.RUNNING: 70, ProjectStatus.FINISHED: 45}
# Weighted like a real insats's report: mostly försörjningsstöd and sjukpenning.
INCOME_WEIGHTS = {
    "forsorjningsstod": 40,
    "sjukpenning": 20,
    "sjukersattning": 8,
    "aktivitetsersattning": 10,
    "a-kassa": 6,
    "aktivitetsstod": 8,
    "etableringsersattning": 4,
    "ingen": 4,
}
STATUS_PATH = [
    "kartlaggning-paborjad",
    "kartlaggning-klar",
    "handlingsplan",
    "arbetstraning",
    "praktik",
]
OUTCOMES = [  # exit reason, occupation after, income after, weight
    ("enligt-plan", "arbete", "lon", 22),
    ("enligt-plan", "studier", "aktivitetsstod", 14),
    ("enligt-plan", "arbetssokande", "a-kassa", 18),
    ("enligt-plan", "ovrigt", "forsorjningsstod", 16),
    ("avbrott-eget", "ovrigt", "forsorjningsstod", 12),
    ("avbrott-annan", "ovrigt", "sjukpenning", 10),
]


def _pick(rng, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def seed() -> None:
    if Participation.objects.exists():
        return
    rng = random.Random(4)  # noqa: S311 - repeatable demo data, not secrets
    today = timezone.localdate()
    by_code = {
        model: {c.code: c for c in model.objects.all()}
        for model in (
            IncomeSource,
            Occupation,
            EducationLevel,
            ExitReason,
            Referrer,
            JoblessBand,
            StatusKind,
        )
    }
    kommuner = list(Member.objects.filter(kind=MemberKind.KOMMUN))
    projects = Project.objects.filter(
        orientation=Orientation.INDIVIDUAL, status__in=list(PER_PROJECT)
    ).prefetch_related("staff__user")
    for project in projects:
        staff = [s.user for s in project.staff.all()]
        if not staff:
            continue
        leader = staff[0]
        last_day = min(today, project.end_date)
        span = (last_day - project.start_date).days
        if span < 30:
            continue
        ended = project.status == ProjectStatus.FINISHED or project.end_date < today
        for _ in range(PER_PROJECT[ProjectStatus.FINISHED if ended else project.status]):
            _one(rng, project, leader, by_code, kommuner, span, last_day, ended)


def _one(rng, project, leader, by_code, kommuner, span, last_day, imported):
    start = project.start_date + dt.timedelta(days=rng.randrange(0, span - 20))
    sex = rng.choices(["man", "kvinna", "annat"], weights=[52, 46, 2])[0]
    if rng.random() < 0.08:  # no consent, or skyddade personuppgifter
        participation = services.participation_enrol(
            actor=leader, project=project, sex=sex, start_date=start, imported=imported
        )
        if rng.random() < 0.5:
            services.participation_close(
                actor=leader,
                participation=participation,
                end_date=min(last_day, start + dt.timedelta(days=rng.randrange(60, 300))),
                exit_reason=by_code[ExitReason]["enligt-plan"],
            )
        return
    age = rng.choices([18, 24, 28, 35, 44, 55], weights=[10, 25, 20, 20, 15, 10])[0]
    sources = {_pick(rng, INCOME_WEIGHTS)}
    if rng.random() < 0.2:
        sources.add(_pick(rng, INCOME_WEIGHTS))
    extent = 100 if len(sources) == 1 else 50
    participation = services.participation_enrol(
        actor=leader,
        project=project,
        sex=sex,
        start_date=start,
        consent_given_on=start - dt.timedelta(days=rng.randrange(0, 10)),
        consent_written=rng.random() < 0.9,
        birth_year=start.year - age - rng.randrange(0, 3),
        kommun=rng.choice(kommuner) if kommuner else None,
        referrer=rng.choice(list(by_code[Referrer].values())),
        occupation_before=by_code[Occupation][rng.choice(["arbetssokande", "ovrigt"])],
        education=rng.choice(list(by_code[EducationLevel].values())),
        jobless=rng.choice(list(by_code[JoblessBand].values())),
        incomes_before=[
            services.Income(by_code[IncomeSource][code], extent) for code in sorted(sources)
        ],
        imported=imported,
    )
    end = start + dt.timedelta(days=rng.randrange(45, 420))
    day = start
    for code in STATUS_PATH[: rng.randrange(1, len(STATUS_PATH) + 1)]:
        day = day + dt.timedelta(days=rng.randrange(7, 40))
        if day >= min(end, last_day):
            break
        services.status_add(
            actor=leader,
            participation=participation,
            kind=by_code[StatusKind][code],
            date=day,
        )
    if end <= last_day and rng.random() < 0.97:
        reason, occupation, income, _weight = rng.choices(
            OUTCOMES, weights=[o[3] for o in OUTCOMES]
        )[0]
        services.participation_close(
            actor=leader,
            participation=participation,
            end_date=end,
            exit_reason=by_code[ExitReason][reason],
            occupation_after=by_code[Occupation][occupation],
            incomes_after=[services.Income(by_code[IncomeSource][income])],
        )
    elif end <= last_day:
        services.consent_withdraw(actor=leader, participation=participation, on=min(end, last_day))
