"""Demo insatser: a living förbund with applications in every state.

Everything goes through the same services as the screens (the monthly costs
through the cost import), so the demo also shows the audit history. Each
application is written, handed in and prepared on its own days; one that
the board decides in a protocol the demo holds is left redo för beslut for
that meeting (``demo.board``), an older one is decided with the reference
to its §.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from demo.insatser_data import TEXTS, specs
from demo.timeline import at, meeting_dates
from finsam.models import Member, User
from participants.models import StatusKind
from projects import cost_import, selectors, services
from projects.models import (
    ApplicationBudgetLine,
    ApplicationKind,
    Cofinancing,
    CofinancingKind,
    CostCategory,
    Decision,
    Goal,
    Phase,
    Project,
    personnel_amount,
)


def _years(start: dt.date, end: dt.date):
    for year in range(start.year, end.year + 1):
        first = max(start, dt.date(year, 1, 1))
        last = min(end, dt.date(year, 12, 31))
        months = (last.year - first.year) * 12 + last.month - first.month + 1
        yield year, months


def _budget(application, spec, categories):
    start, end = spec["period"]
    for year, months in _years(start, end):
        if spec["personnel"]:
            monthly, uplift, overhead = spec["personnel"]
            services.application_item_save(
                actor=application.created_by,
                item=ApplicationBudgetLine(
                    application=application,
                    year=year,
                    category=categories["Personal"],
                    description="Processledare 100 %",
                    amount=0,
                    monthly_cost=monthly,
                    months=Decimal(months),
                    uplift_percent=uplift,
                    overhead_percent=overhead,
                ),
            )
        for name, yearly in spec["other"].items():
            amount = (Decimal(yearly) * months / 12).quantize(Decimal(1))
            services.application_item_save(
                actor=application.created_by,
                item=ApplicationBudgetLine(
                    application=application, year=year, category=categories[name], amount=amount
                ),
            )


def seed(today: dt.date) -> dict[dt.date, list]:
    """The insatser and their applications. Returns, per day of a board
    meeting the demo holds, the applications left for that meeting to decide:
    (application, decision, granted, note)."""
    if Project.objects.exists():
        return {}
    y = today.year
    board_days = set(meeting_dates(today))
    kansli = User.objects.get(username="samordnare")
    economist = User.objects.get(username="ekonomi")
    members = {m.name: m for m in Member.objects.all()}
    categories = {c.name: c for c in CostCategory.objects.all()}
    users = {u.username: u for u in User.objects.all()}
    costs: list[list] = []
    rng = random.Random(2026)  # noqa: S311 - repeatable demo figures, not secrets
    for_the_board: dict[dt.date, list] = defaultdict(list)

    for spec in specs(y):
        start, end = spec["period"]
        decided = spec.get("decided", today)
        registered = decided - dt.timedelta(days=60)
        with at(registered):
            application = _written(spec, kansli, members, users, categories, y)
        if spec["stage"] == "draft":
            continue
        with at(registered + dt.timedelta(days=10)):
            application = services.application_submit(actor=kansli, application=application)
        if spec["stage"] == "submitted":
            continue
        with at(registered + dt.timedelta(days=20)):
            application = services.application_begin_preparation(
                actor=kansli, application=application
            )
        if spec["stage"] == "preparing":
            continue
        rejected = spec["stage"] == "rejected"
        with at(registered + dt.timedelta(days=40)):
            application = services.application_mark_ready(
                actor=kansli,
                application=application,
                statement=(
                    "Beredningsgruppen bedömer att insatsen överlappar befintlig verksamhet."
                    if rejected
                    else "Beredningsgruppen bedömer att insatsen svarar mot förbundets "
                    "verksamhetsplan och tillstyrker ansökan."
                ),
                recommendation=Decision.REJECT if rejected else Decision.GRANT,
            )
        if spec["stage"] == "ready":
            continue
        granted = None
        decision = Decision.REJECT if rejected else Decision.GRANT
        if spec.get("partly"):
            granted = selectors.requested_per_year(application)
            first = min(granted)
            granted[first] = (granted[first] * spec["partly"]).quantize(Decimal(1))
            decision = Decision.GRANT_PARTLY
        note = "Insatsen överlappar befintlig verksamhet." if rejected else ""
        if decided in board_days:
            # Nothing may follow a decision the board takes later in the seed.
            assert spec["stage"] in ("granted", "rejected"), spec["name"]
            for_the_board[decided].append((application, decision, granted, note))
            continue
        with at(decided):
            services.application_decide(
                actor=kansli,
                application=application,
                decision=decision,
                granted=granted,
                decided_on=decided,
                reference=spec["paragraph"],
                note=note,
            )
        project = application.project
        if spec["stage"] in ("running", "finished", "cancelled"):
            services.project_change_status(actor=kansli, project=project, transition="start")
        # A finished insats is closed when its slutrapport and economy are
        # (demo.closing, after the board has laid the report to handlingarna).
        if spec["stage"] == "cancelled":
            services.project_change_status(
                actor=kansli,
                project=project,
                transition="cancel",
                note="Vårdcentralerna kunde inte delta; styrelsen avslutade insatsen i förtid.",
            )
        project.refresh_from_db()
        if spec.get("supplement"):
            supplement = _supplement(kansli, project, spec, categories, y, board_days)
            if supplement is not None:
                for_the_board[supplement[0]].append(supplement[1:])
        if spec.get("change"):
            change = services.application_create(
                actor=users[spec["staff"][0][0]],
                project=project,
                kind=ApplicationKind.CHANGE,
                title=f"Ändrad inriktning för {project.name}",
                change_summary=spec["change"],
            )
            change.background = TEXTS["background"]
            services.application_update(actor=change.created_by, application=change)
            services.application_submit(actor=change.created_by, application=change)
        if spec["stage"] in ("running", "finished", "cancelled"):
            last = today if spec["stage"] != "cancelled" else dt.date(y, 3, 1)
            costs += _monthly_costs(project, spec, categories, rng, last)
            if spec["stage"] == "running" and start.year <= y <= end.year:
                _forecast(economist, project, y, categories)

    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=";")
    writer.writerow(["Diarienummer", "Period", "Kostnadsslag", "Belopp"])
    writer.writerows(costs)
    cost_import.costs_import_apply(
        actor=economist, content=stream.getvalue().encode(), filename="demo-utfall.csv"
    )
    return dict(for_the_board)


def _written(spec, kansli, members, users, categories, y):
    """The insats and its application, written out as far as its stage needs."""
    start, end = spec["period"]
    application = services.project_create_with_application(
        actor=kansli,
        project=Project(
            name=spec["name"],
            orientation=spec["orientation"],
            form=spec["form"],
            owner=members[spec["owner"]],
            contact_name=spec["contact"][0],
            contact_email=spec["contact"][1],
            target_group=spec["target_group"],
            planned_participants=spec["participants"],
            start_date=start,
            end_date=end,
        ),
        partners=[members[p] for p in spec["partners"]],
        year=min(timezone.localdate().year, y),
    )
    project = application.project
    for username, role in spec["staff"]:
        services.project_staff_add(actor=kansli, project=project, user=users[username], role=role)
    if spec["stage"] == "draft":
        application.background = TEXTS["background"]
        return services.application_update(actor=kansli, application=application)
    for field, text in TEXTS.items():
        setattr(application, field, text)
    application.target_group = spec["target_group"]
    application = services.application_update(actor=kansli, application=application)
    for order, (text, indicator, target, unit, *measure) in enumerate(spec["goals"]):
        how, what = measure[0] if measure else ("", "")
        services.application_item_save(
            actor=kansli,
            item=Goal(
                application=application,
                text=text,
                indicator=indicator,
                target_value=target,
                target_unit=unit,
                order=order,
                measure=how,
                measure_status=StatusKind.objects.get(code=what) if how == "status" else None,
                measure_group=what if how == "sysselsattning" else "",
            ),
        )
    for name, phase_start, phase_end in spec["phases"]:
        services.application_item_save(
            actor=kansli,
            item=Phase(
                application=application, name=name, start_date=phase_start, end_date=phase_end
            ),
        )
    services.application_item_save(
        actor=kansli,
        item=Cofinancing(
            application=application,
            member=members[spec["owner"]],
            kind=CofinancingKind.STAFF_TIME,
            year=start.year,
            amount=Decimal(120_000),
            description="Handläggare 20 % i styrgrupp och rehabgrupp",
        ),
    )
    _budget(application, spec, categories)
    return application


def _supplement(kansli, project, spec, categories, y, board_days):
    """A tilläggsansökan, decided on 13 February: by the board's § when the
    demo holds that meeting (returned for it), else with the reference."""
    amount, category, text = spec["supplement"]
    decided = dt.date(y, 2, 13)
    with at(decided - dt.timedelta(days=40)):
        supplement = services.application_create(
            actor=kansli,
            project=project,
            kind=ApplicationKind.SUPPLEMENT,
            title=f"Tilläggsansökan {y} för {project.name}",
            change_summary=text,
        )
        services.application_item_save(
            actor=kansli,
            item=ApplicationBudgetLine(
                application=supplement,
                year=y,
                category=categories[category],
                description="Externa föreläsare",
                amount=Decimal(amount),
            ),
        )
    with at(decided - dt.timedelta(days=30)):
        services.application_submit(actor=kansli, application=supplement)
    with at(decided - dt.timedelta(days=20)):
        services.application_begin_preparation(actor=kansli, application=supplement)
    with at(decided - dt.timedelta(days=10)):
        supplement = services.application_mark_ready(
            actor=kansli,
            application=supplement,
            statement="Beredningsgruppen tillstyrker tillägget.",
            recommendation=Decision.GRANT,
        )
    if decided in board_days:
        return decided, supplement, Decision.GRANT, None, ""
    with at(decided):
        services.application_decide(
            actor=kansli,
            application=supplement,
            decision=Decision.GRANT,
            decided_on=decided,
            reference=f"Styrelsen {y}-02-13 § 7",
        )
    return None


def _monthly_costs(project, spec, categories, rng, until):
    """Costs for every month of the period that ended before ``until``."""
    start, end = spec["period"]
    last = min(end, until.replace(day=1) - dt.timedelta(days=1))
    rows = []
    month = start.replace(day=1)
    monthly_personnel = _monthly_personnel(spec["personnel"]) if spec["personnel"] else Decimal(0)
    while month <= last:
        if monthly_personnel:
            amount = monthly_personnel * Decimal(rng.uniform(0.9, 1.05))
            rows.append([project.reference, f"{month:%Y-%m}", "Personal", int(amount)])
        for name, yearly in spec["other"].items():
            if rng.random() < 0.5:
                amount = Decimal(yearly) / 6 * Decimal(rng.uniform(0.4, 1.2))
                rows.append([project.reference, f"{month:%Y-%m}", name, int(amount)])
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return rows


def _monthly_personnel(personnel) -> Decimal:
    monthly, uplift, overhead = personnel
    return personnel_amount(monthly, Decimal(1), uplift, overhead)


def _forecast(economist, project, year, categories):
    lines = project.budget_lines.filter(year=year).select_related("category")
    amounts = {}
    for line in lines:
        amounts[line.category] = amounts.get(line.category, Decimal(0)) + line.amount
    services.forecasts_set(
        actor=economist,
        project=project,
        year=year,
        amounts={c: (a * Decimal("0.96")).quantize(Decimal(1)) for c, a in amounts.items()},
    )
