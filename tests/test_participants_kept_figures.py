"""A calendar year's statistics are summed from figures kept per insats and
year (issue 20): the same figures as computed from the participations, in two
queries however many participations, and never stale, whatever changed them."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from participants import services, statistics
from participants.models import ExitReason, Participation, StatusKind
from participants.selectors import participation_projects_visible_to
from projects.models import Project, ProjectStatus, StaffRole
from tests import factories

YEAR = 2026
START, END = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)


@pytest.fixture
def leader(persona_users):
    return persona_users["processledare_a"]


@pytest.fixture
def insatser(leader, persona_users):
    mine = factories.project(
        status=ProjectStatus.RUNNING, staff=[(leader, StaffRole.PROCESS_LEADER)]
    )
    other = factories.project(
        status=ProjectStatus.RUNNING,
        staff=[(persona_users["processledare_b"], StaffRole.PROCESS_LEADER)],
    )
    kommun = factories.member(kind="kommun", name="Testkommun")
    for project, actor in ((mine, leader), (other, persona_users["processledare_b"])):
        for born, sex, income in ((1990, "man", "forsorjningsstod"), (2004, "kvinna", "a-kassa")):
            factories.participation(
                project, actor, sex=sex, birth_year=born, incomes_before=[income], kommun=kommun
            )
        ended = factories.participation(project, actor, incomes_before=["sjukpenning"])
        factories.close(
            ended, actor, end=dt.date(YEAR, 6, 30), after="arbete", incomes_after=["lon"]
        )
    return mine, other


def computed(projects):
    return asdict(
        statistics.statistics(
            Participation.objects.filter(project__in=projects), start=START, end=END
        )
    )


def kept(projects):
    return asdict(statistics.year_statistics(projects, YEAR))


def test_the_kept_figures_of_a_year_are_the_computed_ones(insatser):
    everything = Project.objects.all()
    assert kept(everything) == computed(everything)
    assert kept(everything)["participations"] == 6
    # Read again, from what was kept: the same.
    assert kept(everything) == computed(everything)


def test_a_processledare_sees_the_figures_of_her_own_insats_only(insatser, leader):
    mine, _other = insatser
    scope = participation_projects_visible_to(leader)

    assert list(scope) == [mine]
    assert kept(scope) == computed(Project.objects.filter(pk=mine.pk))
    assert kept(scope)["participations"] == 3


def test_kept_figures_are_read_in_two_queries_however_many_participations(insatser, leader):
    mine, _other = insatser

    def queries():
        statistics.year_statistics(Project.objects.all(), YEAR)  # computes what is missing
        with CaptureQueriesContext(connection) as read:
            statistics.year_statistics(Project.objects.all(), YEAR)
        return len(read)

    few = queries()
    for _ in range(10):
        factories.participation(mine, leader, incomes_before=["a-kassa"])
    assert queries() == few == 2


def test_a_stale_insats_is_computed_in_one_more_query(insatser, leader):
    mine, _other = insatser
    statistics.year_statistics(Project.objects.all(), YEAR)
    factories.participation(mine, leader)

    with CaptureQueriesContext(connection) as read:
        stats = statistics.year_statistics(Project.objects.all(), YEAR)

    assert len(read) == 3
    assert stats.participations == 7


def test_every_change_to_the_participations_reaches_the_kept_figures(insatser, leader):
    mine, other = insatser
    everything = Project.objects.all()
    kept(everything)
    participation = mine.participations.filter(end_date__isnull=True).first()

    # A status logged by the service.
    services.status_add(
        actor=leader,
        participation=participation,
        kind=StatusKind.objects.get(code="kartlaggning-paborjad"),
        date=dt.date(YEAR, 3, 1),
    )
    assert kept(everything) == computed(everything)
    # A participation closed, with its försörjning after.
    factories.close(participation, leader, end=dt.date(YEAR, 8, 31), incomes_after=["lon"])
    assert kept(everything) == computed(everything)
    assert kept(everything)["ended"] == 3
    # A change made past every service (the admin, a migration): a bulk update.
    Participation.objects.filter(project=other).update(sex="kvinna")
    assert kept(everything) == computed(everything)
    # A felregistrering stops counting.
    mistake = ExitReason.objects.get(code=ExitReason.MISTAKE)
    Participation.objects.filter(pk=participation.pk).update(exit_reason=mistake)
    assert kept(everything) == computed(everything)
    assert kept(everything)["participations"] == 5
    # A participation moved to the other insats counts there.
    moved = mine.participations.exclude(exit_reason=mistake).first()
    Participation.objects.filter(pk=moved.pk).update(project=other)
    assert kept(Project.objects.filter(pk=other.pk))["participations"] == 4
    assert kept(Project.objects.filter(pk=mine.pk))["participations"] == 1


def test_one_person_in_two_insatser_is_one_person_in_the_kept_figures(insatser, leader):
    mine, other = insatser
    twice = mine.participations.exclude(participant=None).first().participant
    Participation.objects.filter(pk=other.participations.first().pk).update(participant=twice)

    stats = kept(Project.objects.all())

    assert (stats["participations"], stats["persons"]) == (6, 5)
    assert stats == computed(Project.objects.all())


def test_the_statistics_page_of_a_year_reads_the_kept_figures(insatser, personas):
    response = personas["kansli"].get("/deltagare/statistik/", {"fran": START, "till": END})

    assert response.status_code == 200
    assert response.context["stats"].participations == 6
    # Another period is computed from the participations.
    spring = personas["kansli"].get(
        "/deltagare/statistik/", {"fran": START, "till": dt.date(YEAR, 5, 31)}
    )
    assert spring.context["stats"].participations == 6
    assert spring.context["stats"].ended == 0
