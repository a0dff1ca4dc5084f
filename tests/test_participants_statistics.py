"""Statistics on a hand-made set shaped like a real insats's participant report:
"7 deltagare: 6 män, 1 kvinna; 16–20: 1, 21–30: 4, 31–50: 2;
4 försörjningsstöd, 1 sjukersättning, 2 sjukpenning"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from participants import exchange, followup, services, statistics
from participants.models import Participation
from projects.models import ProjectStatus, StaffRole
from tests import factories

YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


@pytest.fixture
def leader(persona_users):
    return persona_users["processledare_a"]


@pytest.fixture
def insats(leader):
    return factories.project(
        status=ProjectStatus.RUNNING, staff=[(leader, StaffRole.PROCESS_LEADER)]
    )


@pytest.fixture
def seven(insats, leader):
    kommun = factories.member(kind="kommun", name="Testkommun")
    rows = [
        # sex, born, income before, kommun, exit (end, reason, occupation, income after)
        (
            "man",
            2008,
            "forsorjningsstod",
            kommun,
            (dt.date(2026, 4, 15), "enligt-plan", "arbete", "lon"),
        ),
        (
            "man",
            2000,
            "forsorjningsstod",
            kommun,
            (dt.date(2026, 9, 30), "enligt-plan", "studier", "forsorjningsstod"),
        ),
        ("man", 1998, "forsorjningsstod", kommun, None),
        ("man", 1996, "forsorjningsstod", None, None),
        (
            "man",
            1995,
            "sjukersattning",
            None,
            (dt.date(2026, 6, 30), "avbrott-eget", "ovrigt", "sjukersattning"),
        ),
        ("man", 1980, "sjukpenning", None, None),
        ("kvinna", 2001, "sjukpenning", None, None),
    ]
    made = []
    for sex, born, income, member, exit in rows:
        p = factories.participation(
            insats, leader, sex=sex, birth_year=born, incomes_before=[income], kommun=member
        )
        if exit:
            end, reason, after, income_after = exit
            factories.close(
                p, leader, end=end, reason=reason, after=after, incomes_after=[income_after]
            )
        made.append(p)
    return made


def figures(items):
    return {f.label: f.count for f in items}


def test_the_seven_participants_of_seed_002_are_counted_exactly(seven):
    stats = statistics.statistics(Participation.objects.all(), start=YEAR[0], end=YEAR[1])

    assert (stats.persons, stats.participations, stats.started, stats.ended) == (7, 7, 7, 3)
    assert figures(stats.by_sex) == {"Kvinna": 1, "Man": 6, "Annat eller vill inte uppge": 0}
    assert figures(stats.by_age) == {
        "16–20": 1,
        "21–30": 4,
        "31–50": 2,
        "51–64": 0,
        "65–": 0,
        "Uppgift saknas": 0,
    }
    assert figures(stats.by_kommun) == {"Testkommun": 3, "Uppgift saknas": 4}
    assert figures(stats.income_before) == {
        "Försörjningsstöd": 4,
        "Sjukersättning": 1,
        "Sjukpenning inkl. rehabiliteringspenning": 2,
    }


def test_outcomes_count_the_participations_that_ended_in_the_period(seven):
    stats = statistics.statistics(Participation.objects.all(), start=YEAR[0], end=YEAR[1])

    assert figures(stats.occupation_after) == {
        "Förvärvsarbete": 1,
        "Studier": 1,
        "Aktivt arbetssökande": 0,
        "Övriga avslutade": 1,
        "Uppgift saknas": 0,
    }
    assert figures(stats.exit_reasons)["Enligt plan"] == 2
    assert figures(stats.exit_reasons)["Avbrott på eget initiativ"] == 1
    assert figures(stats.income_after) == {
        "Försörjningsstöd": 1,
        "Sjukersättning": 1,
        "Lön/egen försörjning": 1,
    }
    assert figures(stats.duration) == {
        "0–3 månader": 1,
        "3–6 månader": 1,
        "6–12 månader": 1,
        "Mer än 12 månader": 0,
        "Uppgift saknas": 0,
    }
    assert stats.average_days == round((73 + 241 + 149) / 3)


def test_forsorjning_after_is_shown_for_each_forsorjning_before(seven):
    stats = statistics.statistics(Participation.objects.all(), start=YEAR[0], end=YEAR[1])

    table = {row.label: (figures(row.cells), row.total) for row in stats.after_given_before}
    assert table["Försörjningsstöd"] == (
        {"Försörjningsstöd": 1, "Sjukersättning": 0, "Lön/egen försörjning": 1},
        2,
    )
    assert table["Sjukersättning"] == (
        {"Försörjningsstöd": 0, "Sjukersättning": 1, "Lön/egen försörjning": 0},
        1,
    )


def test_a_period_counts_only_participations_active_in_it(seven, leader):
    spring = statistics.statistics(
        Participation.objects.all(), start=dt.date(2026, 5, 1), end=dt.date(2026, 5, 31)
    )
    # The one who ended on 15 April is not in May; nobody started in May.
    assert (spring.persons, spring.started, spring.ended) == (6, 0, 0)


def test_anonymous_participations_count_in_their_years_with_the_rest_unknown(insats, leader):
    services.participation_enrol(
        actor=leader, project=insats, sex="kvinna", start_date=dt.date(2026, 3, 1)
    )

    stats = statistics.statistics(Participation.objects.all(), start=YEAR[0], end=YEAR[1])
    next_year = statistics.statistics(
        Participation.objects.all(), start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31)
    )

    assert stats.persons == 1 and figures(stats.by_sex)["Kvinna"] == 1
    assert figures(stats.by_age)["Uppgift saknas"] == 1
    assert next_year.persons == 0


def test_the_statistics_are_a_fixed_number_of_queries_however_many_rows(seven, insats, leader):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            statistics.statistics(Participation.objects.all(), start=YEAR[0], end=YEAR[1])
        return len(queries)

    before = count_queries()
    for _ in range(10):
        factories.participation(insats, leader, incomes_before=["a-kassa"])

    assert count_queries() == before <= 3


def test_figures_that_leave_the_system_hide_counts_below_the_threshold(seven, insats):
    dataset = exchange.followup_dataset(Participation.objects.all(), year=2026, threshold=5)

    (row,) = list(dataset)
    assert row[:3] == (insats.reference, insats.name, 2026)
    assert row[3:7] == ("<5", "..", 0, 7)  # kön and total; the money follows


def test_the_statistics_workbook_suppresses_small_counts(seven):
    import io

    stats = statistics.statistics(Participation.objects.all(), start=YEAR[0], end=YEAR[1])
    workbook = load_workbook(io.BytesIO(exchange.statistics_workbook(stats, threshold=5)))

    sexes = {row[0]: row[1] for row in workbook["Kön"].iter_rows(min_row=2, values_only=True)}
    # "Kvinna <5, Man 6, Totalt 7" would give the one woman away: Man is hidden too.
    assert sexes == {"Kvinna": "<5", "Man": "..", "Annat eller vill inte uppge": 0}
    overview = {r[0]: r[1] for r in workbook["Översikt"].iter_rows(min_row=2, values_only=True)}
    assert overview["Deltagare (personer)"] == 7


def test_a_felregistrering_counts_in_no_statistic_figure_or_export(seven, insats, leader):
    everything = Participation.objects.all()
    before = statistics.statistics(everything, start=YEAR[0], end=YEAR[1])
    followup_before = followup.followup_rows(everything, year=2026)
    by_age_before = statistics.sex_by_age(everything, start=YEAR[0], end=YEAR[1])

    mistake = factories.participation(
        insats, leader, sex="kvinna", birth_year=1970, incomes_before=["sjukpenning"]
    )
    factories.close(mistake, leader, end=dt.date(2026, 3, 1), reason="felregistrering")
    after = statistics.statistics(everything, start=YEAR[0], end=YEAR[1])

    assert (after.persons, after.participations, after.started, after.ended) == (7, 7, 7, 3)
    assert figures(after.by_sex) == figures(before.by_sex)
    assert figures(after.by_age) == figures(before.by_age)
    assert figures(after.income_before) == figures(before.income_before)
    assert "Felregistrering" not in figures(after.exit_reasons)
    assert followup.followup_rows(everything, year=2026) == followup_before
    assert statistics.sex_by_age(everything, start=YEAR[0], end=YEAR[1]) == by_age_before

    # Alone in a year, it adds no year to choose.
    earlier = factories.project(
        status=ProjectStatus.RUNNING,
        staff=[(leader, StaffRole.PROCESS_LEADER)],
        start_date=dt.date(2024, 1, 1),
    )
    lone = factories.participation(earlier, leader, start=dt.date(2024, 5, 1), birth_year=1990)
    factories.close(lone, leader, end=dt.date(2024, 5, 2), reason="felregistrering")
    assert 2024 not in statistics.statistics_years(everything)


@pytest.mark.parametrize(
    "counts, shown",
    [
        ([1, 0, 0], ["<5", 0, 0]),  # one person: the total (1) is small too
        ([1, 1, 0], ["<5", "<5", 0]),  # two: both small, neither can be worked out
        ([1, 5, 0], ["<5", "..", 0]),  # six: 6 − 5 would give the one away
        ([6, 0, 0], [6, 0, 0]),  # six of one kön: nothing small to protect
        ([1, 6, 0], ["<5", "..", 0]),  # seven: the "Kvinna <5, Man 6, Totalt 7"
        ([2, 5, 7], ["<5", "..", 7]),  # the smallest other count is the one hidden
    ],
)
def test_no_hidden_count_can_be_worked_out_from_the_total(counts, shown):
    assert statistics.protected(counts, 5) == shown


def test_in_a_table_no_line_of_parts_and_total_hides_a_single_count():
    # Two insatser by kön with their totals and the total row, as the year's table.
    table = [[5, 7, 0, 12], [1, 0, 0, 1], [6, 7, 0, 13]]

    hidden = statistics.hidden_cells(table, 5)

    for line in [*hidden, *zip(*hidden, strict=True)]:
        assert sum(line) != 1
    assert hidden[1][0] and hidden[0][0]  # the one woman, and what would give her away


def test_statistics_count_where_the_participants_stand(insats, leader):
    """'4 har kartlagts; 2 av dessa är på arbetsträning; 3 har påbörjat kartläggning'."""
    from participants.models import StatusKind

    kinds = {k.code: k for k in StatusKind.objects.all()}
    paths = [
        ["kartlaggning-paborjad", "kartlaggning-klar", "arbetstraning"],
        ["kartlaggning-paborjad", "kartlaggning-klar", "arbetstraning"],
        ["kartlaggning-paborjad", "kartlaggning-klar"],
        ["kartlaggning-paborjad", "kartlaggning-klar"],
        ["kartlaggning-paborjad"],
        ["kartlaggning-paborjad"],
        ["kartlaggning-paborjad"],
        [],
    ]
    for path in paths:
        participation = factories.participation(insats, leader)
        for day, code in enumerate(path, start=1):
            services.status_add(
                actor=leader,
                participation=participation,
                kind=kinds[code],
                date=dt.date(2026, 3, day),
            )

    stats = statistics.statistics(Participation.objects.all(), start=YEAR[0], end=YEAR[1])
    reached = figures(stats.statuses_reached)
    latest = figures(stats.latest_status)

    assert reached[kinds["kartlaggning-paborjad"].label] == 7
    assert reached[kinds["kartlaggning-klar"].label] == 4
    assert reached[kinds["arbetstraning"].label] == 2
    assert reached[kinds["praktik"].label] == 0
    assert latest[kinds["arbetstraning"].label] == 2
    assert latest[kinds["kartlaggning-klar"].label] == 2
    assert latest[kinds["kartlaggning-paborjad"].label] == 3
    assert latest["Ingen status loggad"] == 1
    # A status logged after the period's end does not count in it.
    early = statistics.statistics(
        Participation.objects.all(), start=YEAR[0], end=dt.date(2026, 3, 1)
    )
    assert figures(early.statuses_reached)[kinds["kartlaggning-klar"].label] == 0
    assert figures(early.latest_status)[kinds["kartlaggning-paborjad"].label] == 7

    import io

    workbook = load_workbook(io.BytesIO(exchange.statistics_workbook(stats, threshold=5)))
    sheet = {
        r[0]: r[1] for r in workbook["Status som nåtts"].iter_rows(min_row=2, values_only=True)
    }
    assert sheet[kinds["kartlaggning-paborjad"].label] == 7
    assert sheet[kinds["arbetstraning"].label] == "<5"
    assert "Senaste status" in workbook.sheetnames
