"""Grants that differ from the application: a partial grant distributed
over the budget explicitly, and unused funds carried into the next year
only by a decision."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from finsam.lib.formatting import format_kronor
from projects import selectors, services
from projects.models import (
    ApplicationKind,
    BudgetLine,
    CostEntry,
    Decision,
    GrantAdjustment,
    StaffRole,
)
from tests import factories

TODAY = dt.date.today()
Y = TODAY.year


@pytest.fixture
def kansli(persona_users):
    return persona_users["kansli"]


@pytest.fixture
def ekonomi(persona_users):
    return persona_users["ekonomi"]


def _applied(project, budget):
    """A ready application with a personnel line and a travel line per year."""
    application = factories.ready_application(project)
    application.budget_lines.all().delete()  # the factory's own line
    for year, (personnel, travel) in budget.items():
        application.budget_lines.create(
            year=year,
            category=factories.category("Personal"),
            amount=personnel,
            monthly_cost=Decimal(personnel) / 12,
            months=12,
        )
        application.budget_lines.create(
            year=year, category=factories.category("Resor"), amount=travel
        )
    return application


def test_more_for_one_year_and_less_for_the_next_is_a_partial_grant_to_distribute(kansli, personas):
    project = factories.project(start_date=dt.date(Y, 1, 1), end_date=dt.date(Y + 1, 12, 31))
    application = _applied(project, {Y: (300_000, 20_000), Y + 1: (300_000, 20_000)})

    services.application_decide(
        actor=kansli,
        application=application,
        decision=Decision.GRANT_PARTLY,
        decided_on=TODAY,
        granted={Y: Decimal(340_000), Y + 1: Decimal(260_000)},
    )

    page = personas["kansli"].get(reverse("projects:budget", args=[project.pk])).content.decode()
    assert f"Fördela det beviljade för {Y}" in page and f"Fördela det beviljade för {Y + 1}" in page
    assert f"Budgeten är {format_kronor(20_000)} mindre än det beviljade." in page
    assert f"Budgeten överstiger det beviljade beloppet med {format_kronor(60_000)}." in page


def test_the_kansli_distributes_the_granted_total_over_the_lines(kansli, personas):
    project = factories.project(start_date=dt.date(Y, 1, 1), end_date=dt.date(Y, 12, 31))
    application = _applied(project, {Y: (300_000, 20_000)})
    services.application_decide(
        actor=kansli,
        application=application,
        decision=Decision.GRANT_PARTLY,
        decided_on=TODAY,
        granted={Y: Decimal(250_000)},
    )
    personnel = BudgetLine.objects.get(project=project, category__name="Personal")
    travel = BudgetLine.objects.get(project=project, category__name="Resor")
    url = reverse("projects:distribute", args=[project.pk, Y])

    page = personas["kansli"].get(url).content.decode()
    assert "Fördela det beviljade" in page and format_kronor(300_000) in page
    wrong = personas["kansli"].post(
        url, {f"line_{personnel.pk}": "240 000", f"line_{travel.pk}": "20 000"}
    )
    assert "blir 260" in wrong.content.decode().replace("\xa0", " ")
    personas["kansli"].post(url, {f"line_{personnel.pk}": "235 000", f"line_{travel.pk}": "15 000"})

    personnel.refresh_from_db()
    assert (personnel.amount, personnel.monthly_cost) == (235_000, None)
    assert selectors.budget_overview(project)[0].over_granted == 0


def test_a_distribution_must_add_up_to_the_grant(kansli):
    project = factories.project(start_date=dt.date(Y, 1, 1), end_date=dt.date(Y, 12, 31))
    application = _applied(project, {Y: (300_000, 20_000)})
    services.application_decide(
        actor=kansli,
        application=application,
        decision=Decision.GRANT_PARTLY,
        decided_on=TODAY,
        granted={Y: Decimal(250_000)},
    )
    lines = {line.category.name: line.pk for line in project.budget_lines.all()}

    with pytest.raises(ValidationError, match="Fördela så att summan blir det beviljade"):
        services.budget_distribute(
            actor=kansli,
            project=project,
            year=Y,
            amounts={lines["Personal"]: Decimal(100_000), lines["Resor"]: Decimal(0)},
        )
    assert project.budget_lines.get(pk=lines["Personal"]).amount == 300_000


@pytest.fixture
def two_years(kansli, persona_users):
    leader = persona_users["processledare_a"]
    project = factories.project(
        start_date=dt.date(Y - 1, 1, 1),
        end_date=dt.date(Y, 12, 31),
        staff=[(leader, StaffRole.PROCESS_LEADER)],
    )
    application = factories.ready_application(project, budget={Y - 1: 300_000, Y: 300_000})
    services.application_decide(
        actor=kansli, application=application, decision=Decision.GRANT, decided_on=TODAY
    )
    services.project_change_status(actor=kansli, project=project, transition="start")
    CostEntry.objects.create(
        project=project,
        month=dt.date(Y - 1, 5, 1),
        category=factories.category("Personal"),
        amount=220_000,
    )
    return project


def _supplement(project, kansli, kind=ApplicationKind.SUPPLEMENT):
    application = factories.application(
        project,
        kind=kind,
        status="redo_for_beslut",
        complete=False,
        preparation_statement="Tillstyrks.",
        recommendation=Decision.GRANT,
    )
    services.application_decide(
        actor=kansli,
        application=application,
        decision=Decision.GRANT,
        decided_on=TODAY,
        reference="Styrelsen § 44",
    )
    application.refresh_from_db()
    return application


def test_unused_funds_move_to_the_next_year_by_a_tillaggsansokans_decision(two_years, kansli):
    decision = _supplement(two_years, kansli)

    services.grant_carry_over(
        actor=kansli,
        application=decision,
        from_year=Y - 1,
        amount=Decimal(80_000),
        reason="Rekryteringen blev försenad.",
    )

    money = selectors.money_per_year(two_years)
    assert (money[Y - 1].granted, money[Y].granted) == (220_000, 380_000)
    moved = GrantAdjustment.objects.filter(project=two_years)
    assert {(a.year, a.amount, a.reference) for a in moved} == {
        (Y - 1, -80_000, "Styrelsen § 44"),
        (Y, 80_000, "Styrelsen § 44"),
    }


def test_only_what_was_not_spent_moves_and_only_by_such_a_decision(two_years, kansli):
    decision = _supplement(two_years, kansli)

    with pytest.raises(ValidationError) as refused:
        services.grant_carry_over(
            actor=kansli,
            application=decision,
            from_year=Y - 1,
            amount=Decimal(80_001),
            reason="För mycket.",
        )
    assert refused.value.messages == [f"Oanvänt för {Y - 1} är {format_kronor(80_000)}."]
    new = two_years.applications.get(kind=ApplicationKind.NEW)
    with pytest.raises(ValidationError, match="tilläggsansökan eller ändrad inriktning"):
        services.grant_carry_over(
            actor=kansli, application=new, from_year=Y - 1, amount=Decimal(1), reason="Nej."
        )
    assert not GrantAdjustment.objects.exists()


def test_the_carry_over_is_made_on_the_decided_applications_page(two_years, kansli, personas):
    decision = _supplement(two_years, kansli, kind=ApplicationKind.CHANGE)
    page = personas["kansli"].get(decision.get_absolute_url()).content.decode()
    assert "Överför oanvända medel till nästa år" in page

    personas["kansli"].post(
        reverse("projects:carry_over", args=[decision.pk]),
        {"from_year": Y - 1, "amount": "50 000", "reason": "Ny inriktning från hösten."},
    )

    page = personas["kansli"].get(decision.get_absolute_url()).content.decode()
    assert f"{Y - 1} → {Y}: {format_kronor(50_000)}" in page
