"""Diarienummer, the personnel formula, budget pages' figures and the förbund's year."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from finsam.models import Contribution
from finsam.roles import EKONOMI, KANSLI
from projects import selectors, services
from projects.models import (
    BudgetLine,
    CostEntry,
    Decision,
    Orientation,
    Project,
    ProjectForm,
    ProjectStatus,
    personnel_amount,
)
from tests import factories


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_registrations_get_twenty_consecutive_diarienummer():
    factories.roles_exist()
    actor = factories.user(roles=(KANSLI,))
    owner, partner = factories.member(), factories.member()
    year = dt.date.today().year
    barrier = threading.Barrier(20)
    errors = []

    def register(n):
        try:
            barrier.wait()
            services.project_create(
                actor=actor,
                project=Project(
                    name=f"Samtidig {n}",
                    orientation=Orientation.INDIVIDUAL,
                    form=ProjectForm.PROJECT,
                    owner=owner,
                    contact_name="K",
                    start_date=dt.date(2027, 1, 1),
                    end_date=dt.date(2027, 12, 31),
                ),
                partners=[partner],
            )
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    numbers = sorted(
        Project.objects.filter(reference_year=year).values_list("reference_number", flat=True)
    )
    assert numbers == list(range(1, 21))
    assert set(Project.objects.values_list("reference", flat=True)) == {
        f"{year}/{n}" for n in range(1, 21)
    }


@pytest.mark.django_db
def test_a_rolled_back_registration_leaves_no_gap(federation):
    actor = factories.user(roles=(KANSLI,))
    owner = factories.member()
    lonely = Project(
        name="Ensam",
        orientation=Orientation.INDIVIDUAL,
        form=ProjectForm.PROJECT,
        owner=owner,
        contact_name="K",
        start_date=dt.date(2027, 1, 1),
        end_date=dt.date(2027, 12, 31),
    )
    with pytest.raises(ValidationError):
        services.project_create(actor=actor, project=lonely, partners=[])
    first = factories.project()

    assert first.reference_number == 1


class TestPersonnelFormula:
    def test_seed_002s_footnote_comes_out_to_the_krona(self):
        # (((22 000 × 9 månader) + 1,2 %) + 42,8 %) = 286 137
        assert (
            personnel_amount(Decimal(22000), Decimal(9), Decimal("1.2"), Decimal("42.8")) == 286_137
        )

    def test_the_amount_is_exact_decimal_and_rounds_half_up(self):
        assert personnel_amount(Decimal("100.50"), Decimal(1)) == 101
        assert personnel_amount(Decimal("33333.33"), Decimal(3)) == 100_000
        assert isinstance(personnel_amount(Decimal(1), Decimal(1)), Decimal)

    @pytest.mark.django_db
    def test_a_budget_line_shows_its_formula(self, federation):
        project = factories.project()
        line = BudgetLine(
            project=project,
            year=2026,
            category=factories.category("Personal"),
            amount=0,
            monthly_cost=Decimal(22000),
            months=Decimal(9),
            uplift_percent=Decimal("1.2"),
            overhead_percent=Decimal("42.8"),
        )
        line = services.budget_line_save(actor=factories.user(roles=(EKONOMI,)), line=line)

        line.refresh_from_db()
        assert line.amount == 286_137
        assert line.formula_display == "22\xa0000\xa0kr × 9 mån × 1,012 × 1,428 = 286\xa0137\xa0kr"


@pytest.mark.django_db
class TestBudgetOverview:
    def test_budget_spent_forecast_and_remaining_per_year_and_category(self, federation):
        economist = factories.user(roles=(EKONOMI,))
        project = factories.project(status=ProjectStatus.RUNNING)
        personal, resor = factories.category("Personal"), factories.category("Resor")
        for category, amount in ((personal, 400_000), (resor, 20_000)):
            BudgetLine.objects.create(project=project, year=2026, category=category, amount=amount)
        for month in (1, 2, 3):
            services.cost_entry_save(
                actor=economist,
                entry=CostEntry(
                    project=project, month=dt.date(2026, month, 1), category=personal, amount=30_000
                ),
            )
        services.cost_entry_save(
            actor=economist,
            entry=CostEntry(
                project=project, month=dt.date(2026, 2, 1), category=resor, amount=1_250
            ),
        )
        services.forecasts_set(
            actor=economist, project=project, year=2026, amounts={personal: Decimal(380_000)}
        )

        year = selectors.budget_overview(project)[0]

        assert year.year == 2026
        rows = {category.name: cell for category, cell in year.rows}
        assert rows["Personal"].budget == 400_000
        assert rows["Personal"].spent == 90_000
        assert rows["Personal"].remaining == 310_000
        assert rows["Personal"].forecast == 380_000
        assert rows["Resor"].spent == 1_250
        assert rows["Resor"].forecast is None
        assert year.total.budget == 420_000
        assert year.total.spent == 91_250

    def test_a_second_entry_for_the_same_month_corrects_the_first(self, federation):
        economist = factories.user(roles=(EKONOMI,))
        project = factories.project()
        personal = factories.category("Personal")
        for amount in (10_000, 12_500):
            services.cost_entry_save(
                actor=economist,
                entry=CostEntry(
                    project=project, month=dt.date(2026, 5, 17), category=personal, amount=amount
                ),
            )

        assert list(CostEntry.objects.values_list("month", "amount")) == [
            (dt.date(2026, 5, 1), 12_500)
        ]

    def test_a_cost_outside_the_insats_period_is_refused(self, federation):
        project = factories.project(start_date=dt.date(2026, 3, 1), end_date=dt.date(2026, 12, 31))
        with pytest.raises(ValidationError, match="utanför insatsens tid"):
            services.cost_entry_save(
                actor=factories.user(roles=(EKONOMI,)),
                entry=CostEntry(
                    project=project,
                    month=dt.date(2026, 2, 1),
                    category=factories.category("Resor"),
                    amount=5,
                ),
            )


@pytest.mark.django_db
def test_the_federation_year_sets_grants_against_contributions(federation):
    kansli = factories.user(roles=(KANSLI,))
    fk = factories.member(kind="forsakringskassan", name="Försäkringskassan")
    Contribution.objects.create(member=fk, year=2026, amount=1_000_000)
    granted = []
    for amount in (300_000, 150_000):
        project = factories.project()
        application = factories.application(
            project, status="redo_for_beslut", budget={2026: amount}
        )
        services.application_decide(
            actor=kansli,
            application=application,
            decision=Decision.GRANT,
            decided_on=dt.date.today(),
        )
        granted.append(project)
    factories.application(factories.project(), budget={2026: 999_999})  # a draft: not granted

    year = selectors.federation_year(2026)

    assert [row.granted_year for row in year.rows] == [300_000, 150_000]
    assert year.granted_total == 450_000
    assert year.contributions == 1_000_000
    assert year.left_to_allocate == 550_000
