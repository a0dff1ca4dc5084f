# ruff: noqa: E501 - the demo table reads best with one goal per line
"""Demo insatser: a living förbund with applications in every state.

Everything goes through the same services as the screens (the monthly costs
through the cost import), so the demo also shows the audit history. All
names are invented.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from finsam.models import Member, User
from participants.models import StatusKind
from projects import exchange, selectors, services
from projects.models import (
    ApplicationBudgetLine,
    ApplicationKind,
    Cofinancing,
    CofinancingKind,
    CostCategory,
    Decision,
    Goal,
    GoalUnit,
    Orientation,
    Phase,
    Project,
    ProjectForm,
    StaffRole,
    personnel_amount,
)

FK, AF, REGION = "Försäkringskassan", "Arbetsförmedlingen", "Region Sjöland"
STRANDVIK, BJORKHAMN, SJOVALLA = "Strandviks kommun", "Björkhamns kommun", "Sjövalla kommun"


def _specs(y: int) -> list[dict]:
    """The insatser, relative to this year ``y``. ``stage`` is how far each got."""
    return [
        {
            "name": "Vägen vidare",
            "orientation": Orientation.INDIVIDUAL,
            "form": ProjectForm.PROJECT,
            "owner": STRANDVIK,
            "partners": [FK, AF, REGION],
            "contact": ("Sara Öhman", "processledare@sjoland-finsam.example"),
            "target_group": "Personer med svag förankring på arbetsmarknaden, särskilt unga "
            "under 29 år och ensamstående föräldrar, som behöver stöd från flera myndigheter.",
            "participants": 40,
            "period": (dt.date(y - 1, 4, 1), dt.date(y + 1, 3, 31)),
            "staff": [("processledare", StaffRole.PROCESS_LEADER)],
            "personnel": (Decimal(36_500), Decimal("1.2"), Decimal("42.8")),
            "other": {"Lokaler": 36_000, "Resor": 9_000, "Kompetensutveckling": 20_000},
            "goals": [
                (
                    "60 % av deltagarna får praktikplats minst 3 månader",
                    "Andel deltagare med praktik minst 3 månader",
                    60,
                    GoalUnit.PERCENT,
                    ("status", "praktik"),
                ),
                (
                    "30 % av deltagarna är i arbete eller studier vid avslut",
                    "Andel avslutade deltagare i arbete eller studier",
                    30,
                    GoalUnit.PERCENT,
                    ("sysselsattning", "arbete_eller_studier"),
                ),
            ],
            "phases": [
                (
                    "Fas 1: Uppbyggnad av rehabgrupp och modell",
                    dt.date(y - 1, 4, 1),
                    dt.date(y - 1, 9, 30),
                ),
                ("Fas 2: Genomförande med deltagare", dt.date(y - 1, 10, 1), dt.date(y + 1, 3, 31)),
            ],
            "stage": "running",
            "decided": dt.date(y - 1, 3, 12),
            "paragraph": f"Styrelsen {y - 1}-03-12 § 8",
            "supplement": (
                70_000,
                "Externa tjänster",
                "Gruppverksamhet med externa föreläsare två gånger i månaden: hälsa, presentationsteknik, privatekonomi och arbetsmarknaden.",
            ),
        },
        {
            "name": "Mentorsnätverket Sjöland",
            "orientation": Orientation.INDIVIDUAL,
            "form": ProjectForm.PROJECT,
            "owner": BJORKHAMN,
            "partners": [AF, FK],
            "contact": ("Ahmed Nilsby", "processledare2@sjoland-finsam.example"),
            "target_group": "Unga vuxna 18–29 år som varken arbetar eller studerar.",
            "participants": 30,
            "period": (dt.date(y - 2, 1, 1), dt.date(y, 12, 31)),
            "staff": [("processledare2", StaffRole.PROJECT_LEADER)],
            "personnel": (Decimal(34_000), None, Decimal("42.8")),
            "other": {"Information och möten": 15_000, "Utvärdering": 25_000, "Övrigt": 5_000},
            "goals": [
                (
                    "60 % av adepterna får praktikplats minst 3 månader",
                    "Andel adepter med praktik minst 3 månader",
                    60,
                    GoalUnit.PERCENT,
                    ("status", "praktik"),
                ),
                (
                    "20 mentorer från lokala arbetsgivare",
                    "Antal aktiva mentorer",
                    20,
                    GoalUnit.COUNT,
                ),
            ],
            "phases": [],
            "stage": "running",
            "decided": dt.date(y - 3, 11, 20),
            "paragraph": f"Styrelsen {y - 3}-11-20 § 41",
        },
        {
            "name": "Förstudie psykisk ohälsa bland unga vuxna",
            "orientation": Orientation.STRUCTURAL,
            "form": ProjectForm.PRESTUDY,
            "owner": REGION,
            "partners": [STRANDVIK, SJOVALLA, FK],
            "contact": ("Tobias Lindmark", "samordnare@sjoland-finsam.example"),
            "target_group": "Unga vuxna med psykisk ohälsa som står utanför arbetsmarknaden.",
            "participants": None,
            "period": (dt.date(y - 2, 2, 1), dt.date(y - 2, 11, 30)),
            "staff": [],
            "personnel": (Decimal(40_000), None, Decimal("42.8")),
            "other": {"Externa tjänster": 30_000, "Utvärdering": 10_000},
            "goals": [
                (
                    "Kartlägga behov och befintligt stöd i tre kommuner",
                    "Kartläggning redovisad för styrelsen",
                    1,
                    GoalUnit.COUNT,
                )
            ],
            "phases": [],
            "stage": "finished",
            "decided": dt.date(y - 3, 12, 10),
            "paragraph": f"Styrelsen {y - 3}-12-10 § 52",
        },
        {
            "name": "Samverkanskartan",
            "orientation": Orientation.STRUCTURAL,
            "form": ProjectForm.PROJECT,
            "owner": SJOVALLA,
            "partners": [FK, AF, REGION, STRANDVIK, BJORKHAMN],
            "contact": ("Tobias Lindmark", "samordnare@sjoland-finsam.example"),
            "target_group": "Handläggare och chefer hos förbundets medlemmar.",
            "participants": None,
            "period": (dt.date(y, 9, 1), dt.date(y + 1, 12, 31)),
            "staff": [],
            "personnel": (Decimal(21_000), None, Decimal("42.8")),
            "other": {"Information och möten": 40_000},
            "goals": [
                (
                    "Alla medlemmars handläggare känner till samverkanskartan",
                    "Andel svarande i enkät som använt kartan",
                    75,
                    GoalUnit.PERCENT,
                )
            ],
            "phases": [],
            "stage": "granted",
            "decided": dt.date(y, 6, 4),
            "paragraph": f"Styrelsen {y}-06-04 § 22",
        },
        {
            "name": "Språk och arbete",
            "orientation": Orientation.INDIVIDUAL,
            "form": ProjectForm.IMPLEMENTATION,
            "owner": STRANDVIK,
            "partners": [AF],
            "contact": ("Sara Öhman", "processledare@sjoland-finsam.example"),
            "target_group": "Nyanlända med försörjningsstöd som läser sfi utan progression.",
            "participants": 25,
            "period": (dt.date(y - 1, 1, 1), dt.date(y, 12, 31)),
            "staff": [("processledare", StaffRole.PARTICIPANT_LEAD)],
            "personnel": (Decimal(33_000), None, Decimal("42.8")),
            "other": {"Lokaler": 24_000},
            "goals": [
                (
                    "40 % av deltagarna går vidare till arbete eller studier",
                    "Andel avslutade i arbete eller studier",
                    40,
                    GoalUnit.PERCENT,
                )
            ],
            "phases": [],
            "stage": "running",
            "decided": dt.date(y - 2, 11, 15),
            "paragraph": f"Styrelsen {y - 2}-11-15 § 38",
            "partly": Decimal("0.9"),  # the board granted 90 % of the first year
        },
        {
            "name": "Aktivitetshuset",
            "orientation": Orientation.INDIVIDUAL,
            "form": ProjectForm.ORDINARY,
            "owner": BJORKHAMN,
            "partners": [REGION, FK],
            "contact": ("Ahmed Nilsby", "processledare2@sjoland-finsam.example"),
            "target_group": "Personer med aktivitetsersättning som behöver en meningsfull vardag.",
            "participants": 20,
            "period": (dt.date(y, 1, 1), dt.date(y + 2, 12, 31)),
            "staff": [("processledare2", StaffRole.PROCESS_LEADER)],
            "personnel": (Decimal(30_000), None, Decimal("42.8")),
            "other": {"Lokaler": 60_000, "Övrigt": 12_000},
            "goals": [
                (
                    "50 % av deltagarna har en planerad sysselsättning efter ett år",
                    "Andel med planerad sysselsättning",
                    50,
                    GoalUnit.PERCENT,
                )
            ],
            "phases": [],
            "stage": "running",
            "decided": dt.date(y - 1, 12, 3),
            "paragraph": f"Styrelsen {y - 1}-12-03 § 47",
            "change": "Insatsen utökas till att även omfatta Sjövalla kommun. Projektledarens "
            "tjänst ändras från 100 % till 50 % under resten av året.",
        },
        {
            "name": "Rehabkoordinator i primärvården",
            "orientation": Orientation.INDIVIDUAL,
            "form": ProjectForm.PROJECT,
            "owner": REGION,
            "partners": [FK],
            "contact": ("Tobias Lindmark", "samordnare@sjoland-finsam.example"),
            "target_group": "Sjukskrivna patienter med behov av samordnade insatser.",
            "participants": 60,
            "period": (dt.date(y - 3, 1, 1), dt.date(y - 1, 12, 31)),
            "staff": [("processledare2", StaffRole.PROJECT_LEADER)],
            "personnel": (Decimal(38_000), None, Decimal("42.8")),
            "other": {"Kompetensutveckling": 15_000},
            "goals": [
                (
                    "70 % återgår i arbete inom sex månader",
                    "Andel åter i arbete efter sex månader",
                    70,
                    GoalUnit.PERCENT,
                    ("sysselsattning", "forvarvsarbete"),
                )
            ],
            "phases": [],
            "stage": "finished",
            "decided": dt.date(y - 4, 11, 30),
            "paragraph": f"Styrelsen {y - 4}-11-30 § 45",
        },
        {
            "name": "Arbetsträning i naturen",
            "orientation": Orientation.INDIVIDUAL,
            "form": ProjectForm.PROJECT,
            "owner": SJOVALLA,
            "partners": [AF],
            "contact": ("Tobias Lindmark", "samordnare@sjoland-finsam.example"),
            "target_group": "Långtidsarbetslösa med behov av arbetsträning.",
            "participants": 12,
            "period": (dt.date(y, 3, 1), dt.date(y + 1, 2, 28)),
            "staff": [],
            "personnel": (Decimal(29_000), None, Decimal("42.8")),
            "other": {"Övrigt": 50_000},
            "goals": [
                ("50 % går vidare till arbete", "Andel i arbete vid avslut", 50, GoalUnit.PERCENT)
            ],
            "phases": [],
            "stage": "rejected",
            "decided": dt.date(y, 2, 13),
            "paragraph": f"Styrelsen {y}-02-13 § 6",
        },
        {
            "name": "Klientstöd Sjövalla",
            "orientation": Orientation.INDIVIDUAL,
            "form": ProjectForm.PROJECT,
            "owner": SJOVALLA,
            "partners": [REGION, FK],
            "contact": ("Tobias Lindmark", "samordnare@sjoland-finsam.example"),
            "target_group": "Personer i sfi utan progression som behöver stöd från vården.",
            "participants": 15,
            "period": (dt.date(y - 1, 8, 1), dt.date(y + 1, 7, 31)),
            "staff": [],
            "personnel": (Decimal(31_000), None, Decimal("42.8")),
            "other": {"Resor": 6_000},
            "goals": [
                (
                    "Hälften av deltagarna har en samordnad plan med vården",
                    "Andel med samordnad plan",
                    50,
                    GoalUnit.PERCENT,
                )
            ],
            "phases": [],
            "stage": "cancelled",
            "decided": dt.date(y - 1, 6, 10),
            "paragraph": f"Styrelsen {y - 1}-06-10 § 24",
        },
        {
            "name": "Unga till arbete",
            "orientation": Orientation.INDIVIDUAL,
            "form": ProjectForm.PROJECT,
            "owner": STRANDVIK,
            "partners": [AF, FK],
            "contact": ("Sara Öhman", "processledare@sjoland-finsam.example"),
            "target_group": "Unga 16–24 år som har avbrutit gymnasiet.",
            "participants": 35,
            "period": (dt.date(y + 1, 1, 1), dt.date(y + 2, 12, 31)),
            "staff": [],
            "personnel": (Decimal(35_000), None, Decimal("42.8")),
            "other": {"Resor": 8_000},
            "goals": [
                ("50 % återupptar studier", "Andel som återupptar studier", 50, GoalUnit.PERCENT)
            ],
            "phases": [],
            "stage": "submitted",
        },
        {
            "name": "Hälsoväxling",
            "orientation": Orientation.STRUCTURAL,
            "form": ProjectForm.PRESTUDY,
            "owner": REGION,
            "partners": [STRANDVIK, FK],
            "contact": ("Tobias Lindmark", "samordnare@sjoland-finsam.example"),
            "target_group": "Personal i primärvård och socialtjänst.",
            "participants": None,
            "period": (dt.date(y + 1, 1, 1), dt.date(y + 1, 8, 31)),
            "staff": [],
            "personnel": (Decimal(20_000), None, Decimal("42.8")),
            "other": {"Utvärdering": 20_000},
            "goals": [
                ("En modell för hälsoväxling är beskriven", "Modell redovisad", 1, GoalUnit.COUNT)
            ],
            "phases": [],
            "stage": "preparing",
        },
        {
            "name": "Familjecoach",
            "orientation": Orientation.INDIVIDUAL,
            "form": ProjectForm.PROJECT,
            "owner": BJORKHAMN,
            "partners": [FK, REGION],
            "contact": ("Ahmed Nilsby", "processledare2@sjoland-finsam.example"),
            "target_group": "Föräldrar med försörjningsstöd och barn under 18 år.",
            "participants": 30,
            "period": (dt.date(y + 1, 1, 1), dt.date(y + 2, 12, 31)),
            "staff": [],
            "personnel": (Decimal(34_000), None, Decimal("42.8")),
            "other": {"Resor": 12_000, "Information och möten": 6_000},
            "goals": [
                (
                    "40 % av föräldrarna får arbete eller börjar studera",
                    "Andel i arbete eller studier vid avslut",
                    40,
                    GoalUnit.PERCENT,
                )
            ],
            "phases": [],
            "stage": "ready",
        },
        {
            "name": "Digital vägledning",
            "orientation": Orientation.STRUCTURAL,
            "form": ProjectForm.PRESTUDY,
            "owner": SJOVALLA,
            "partners": [AF],
            "contact": ("Tobias Lindmark", "samordnare@sjoland-finsam.example"),
            "target_group": "Invånare som söker stöd digitalt.",
            "participants": None,
            "period": (dt.date(y + 1, 2, 1), dt.date(y + 1, 10, 31)),
            "staff": [],
            "personnel": None,
            "other": {},
            "goals": [],
            "phases": [],
            "stage": "draft",
        },
    ]


TEXTS = {
    "background": "Parterna ser en grupp invånare som har kontakt med flera myndigheter samtidigt "
    "utan att komma närmare arbete eller studier. Ingen part kan ensam ge det stöd som behövs.",
    "purpose": "Att genom samordnade insatser öka förmågan till arbete eller studier.",
    "method": "Kartläggning, individuell handlingsplan, arbetsträning och praktik med "
    "stöd av en processledare. Rehabgruppen träffas två gånger i månaden.",
    "steering_group": "Enhetschefer från huvudmannen och samverkansparterna.",
    "working_group": "Handläggare från parterna och processledaren.",
    "follow_up": "Tertialrapporter till förbundet, deltagaruppföljning och en extern utvärdering.",
    "implementation": "Arbetssättet förs in i parternas ordinarie samverkan efter projekttiden.",
}


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


@transaction.atomic
def seed() -> None:
    if Project.objects.exists():
        return
    y = timezone.localdate().year
    kansli = User.objects.get(username="samordnare")
    economist = User.objects.get(username="ekonomi")
    members = {m.name: m for m in Member.objects.all()}
    categories = {c.name: c for c in CostCategory.objects.all()}
    users = {u.username: u for u in User.objects.all()}
    costs: list[list] = []
    rng = random.Random(2026)  # noqa: S311 - repeatable demo figures, not secrets
    today = timezone.localdate()

    for spec in _specs(y):
        start, end = spec["period"]
        registered = spec.get("decided", today) - dt.timedelta(days=60)
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
            year=min(registered.year, y),
        )
        project = application.project
        for username, role in spec["staff"]:
            services.project_staff_add(
                actor=kansli, project=project, user=users[username], role=role
            )
        if spec["stage"] == "draft":
            application.background = TEXTS["background"]
            services.application_update(actor=kansli, application=application)
            continue
        for field, text in TEXTS.items():
            setattr(application, field, text)
        application.target_group = spec["target_group"]
        services.application_update(actor=kansli, application=application)
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
        application = services.application_submit(actor=kansli, application=application)
        if spec["stage"] == "submitted":
            continue
        application = services.application_begin_preparation(actor=kansli, application=application)
        if spec["stage"] == "preparing":
            continue
        rejected = spec["stage"] == "rejected"
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
        services.application_decide(
            actor=kansli,
            application=application,
            decision=decision,
            granted=granted,
            decided_on=spec["decided"],
            reference=spec["paragraph"],
            note="Insatsen överlappar befintlig verksamhet." if rejected else "",
        )
        if spec["stage"] in ("running", "finished", "cancelled"):
            services.project_change_status(actor=kansli, project=project, transition="start")
        if spec["stage"] == "finished":
            services.project_change_status(actor=kansli, project=project, transition="finish")
        if spec["stage"] == "cancelled":
            services.project_change_status(
                actor=kansli,
                project=project,
                transition="cancel",
                note="Vårdcentralerna kunde inte delta; styrelsen avslutade insatsen i förtid.",
            )
        project.refresh_from_db()
        if spec.get("supplement"):
            _supplement(kansli, project, spec, categories, y)
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
    exchange.costs_import_apply(
        actor=economist, content=stream.getvalue().encode(), filename="demo-utfall.csv"
    )


def _supplement(kansli, project, spec, categories, y):
    amount, category, text = spec["supplement"]
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
    services.application_submit(actor=kansli, application=supplement)
    services.application_begin_preparation(actor=kansli, application=supplement)
    services.application_mark_ready(
        actor=kansli,
        application=supplement,
        statement="Beredningsgruppen tillstyrker tillägget.",
        recommendation=Decision.GRANT,
    )
    services.application_decide(
        actor=kansli,
        application=supplement,
        decision=Decision.GRANT,
        decided_on=dt.date(y, 2, 13),
        reference=f"Styrelsen {y}-02-13 § 7",
    )


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
