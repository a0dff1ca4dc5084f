# ruff: noqa: E501 - the demo table reads best with one goal per line
"""The demo insatser: what each is, how far it got, and the texts of its
application. Dates are relative to this year ``y``. All names are invented."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from projects.models import GoalUnit, Orientation, ProjectForm, StaffRole

FK, AF, REGION = "Försäkringskassan", "Arbetsförmedlingen", "Region Sjöland"
STRANDVIK, BJORKHAMN, SJOVALLA = "Strandviks kommun", "Björkhamns kommun", "Sjövalla kommun"


def specs(y: int) -> list[dict]:
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
