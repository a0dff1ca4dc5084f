"""Demo reports in every state: a slutrapport for a finished insats, a
förstudierapport and a tertialrapport laid to handlingarna by the board
(its demo runs after this one), a tertialrapport approved and waiting for
the coming meeting, a delrapport handed in for the kansli to review and a
lägesrapport still being written. Each is written, handed in and approved
on its own days. Made-up text; no real names."""

from __future__ import annotations

import datetime as dt

from demo.obligations import status_report_period
from demo.timeline import at
from finsam.models import User
from projects.models import Project
from projects.selectors import goals_for_project
from reports import services
from reports.models import GoalOutcome, Report, ReportKind
from reports.sections import GOALS, section, sections_for

TEXTS = {
    "aktiviteter": (
        "Insatsen skulle erbjuda samordnat stöd till personer som behöver insatser från "
        "flera myndigheter samtidigt: kartläggning, en gemensam handlingsplan, arbetsträning "
        "och praktik hos arbetsgivare i kommunen.\n\nUnder perioden har gruppträffar hållits "
        "varannan vecka, och varje deltagare har haft en personlig kontakt hos insatsen."
    ),
    "malgrupp": (
        "Målgruppen är personer i arbetsför ålder med svag förankring på arbetsmarknaden "
        "och behov av stöd från minst två av förbundets medlemmar. Deltagarna har anvisats "
        "av socialtjänsten, Arbetsförmedlingen, Försäkringskassan och vården."
    ),
    "genomforande": (
        "Arbetet började med en gemensam kartläggningsmodell som alla parter har använt. "
        "Efter kartläggningen har deltagaren, handläggarna och processledaren gjort en "
        "handlingsplan tillsammans.\n\nPraktikplatserna har tagits fram i samarbete med "
        "näringslivsenheten. Trepartssamtal har hållits vid varje övergång."
    ),
    "samverkan": (
        "Samverkan mellan parterna har fungerat väl. En styrgrupp med chefer från varje "
        "part har träffats fyra gånger per år, och handläggarna har haft gemensamma "
        "ärendedragningar varje månad."
    ),
    "lardomar": (
        "Korta vägar mellan handläggarna är avgörande. Där deltagaren hade samma kontakt "
        "genom hela insatsen gick övergångarna fortare. Kartläggningen behöver ta mer tid "
        "än vi planerade för dem som stått längst från arbetsmarknaden."
    ),
    "implementering": (
        "Kommunens arbetsmarknadsenhet tar över arbetssättet i ordinarie verksamhet från "
        "nästa år. Kartläggningsmodellen och mallen för gemensam handlingsplan lämnas över "
        "till alla parter."
    ),
    "sammanfattning": (
        "Insatsen följer planen. Rekryteringen av deltagare gick långsammare än väntat "
        "under våren men har tagit fart efter sommaren."
    ),
    "bakgrund": (
        "Parterna såg att personer med sammansatta behov slussades mellan myndigheterna "
        "utan att komma vidare. Insatsen prövar ett gemensamt arbetssätt."
    ),
    "fortsattning": (
        "Under hösten prövar vi gruppverksamhet med externa föreläsare och följer upp "
        "deltagarna sex månader efter avslut."
    ),
    "framatblick": (
        "Nästa tertial ligger fokus på övergångar till arbete och studier och på att "
        "förankra arbetssättet hos medlemmarnas chefer."
    ),
    "lage": (
        "Insatsen har full beläggning. Två praktikplatser har tillkommit sedan förra rapporten."
    ),
    "avvikelser": "Inga avvikelser från plan och budget.",
    "nasta": "Uppföljningssamtal med alla deltagare som avslutat under året.",
    "omvarld": (
        "Under förstudien ändrade Försäkringskassan sina rutiner för samordning, vilket "
        "påverkade vilka aktörer som behövde delta."
    ),
    "resurser": (
        "Förstudien bemannades av en processledare på halvtid. Medlen räckte, med ett "
        "mindre överskott som återförs till förbundet."
    ),
    "forslag": (
        "Förstudien föreslår ett genomförandeprojekt på två år med en gemensam "
        "samordnarfunktion hos regionen och kommunerna."
    ),
    "deltagare": (
        "Fler män än kvinnor har deltagit. De flesta hade försörjningsstöd eller "
        "sjukpenning när de började."
    ),
    "ekonomi": "Kostnaderna har följt budgeten. Överskottet återförs till förbundet.",
    "mal": "Målen följs upp löpande i styrgruppen.",
}


def _write(report, writer, *, complete: bool = True) -> None:
    for heading in sections_for(report):
        text = TEXTS.get(heading.key, "")
        if text and (complete or heading.key in ("lage", "sammanfattning")):
            services.report_section_save(actor=writer, report=report, key=heading.key, body=text)
    if not complete:
        return
    if section(report, GOALS) is None:
        return
    for goal in goals_for_project(report.project).filter(measure=""):
        services.goal_outcome_save(
            actor=writer,
            report=report,
            outcome=GoalOutcome(
                goal=goal,
                value=goal.target_value * 4 // 5,
                comment="Följs upp i styrgruppen. Arbetet fortsätter i ordinarie verksamhet.",
            ),
        )


def seed(today: dt.date) -> None:
    if Report.objects.exists():
        return
    y = today.year
    users = {u.username: u for u in User.objects.all()}
    kansli, leader, leader2 = users["samordnare"], users["processledare"], users["processledare2"]
    projects = {p.name: p for p in Project.objects.all()}

    def report(project_name, kind, start, end, writer, *, complete=True, on=today):
        """Written in the week before ``on``."""
        with at(on - dt.timedelta(days=7)):
            r = services.report_create(
                actor=writer,
                project=projects[project_name],
                kind=kind,
                period_start=start,
                period_end=end,
            )
            _write(r, writer, complete=complete)
        return r

    def handed_in(r, writer, on: dt.date):
        with at(on):
            services.report_submit(actor=writer, report=r)

    def approved(r, on: dt.date):
        with at(on):
            services.report_approve(actor=kansli, report=r)

    # Slutrapport for the finished insats: laid to handlingarna in February.
    rehab = projects["Rehabkoordinator i primärvården"]
    final = report(
        rehab.name,
        ReportKind.FINAL,
        rehab.start_date,
        rehab.end_date,
        leader2,
        on=dt.date(y, 1, 20),
    )
    handed_in(final, leader2, dt.date(y, 1, 20))
    approved(final, dt.date(y, 1, 27))

    # Förstudierapport for the finished förstudie (kansli writes it: no staff).
    study = projects["Förstudie psykisk ohälsa bland unga vuxna"]
    prestudy = report(
        study.name,
        ReportKind.PRESTUDY,
        study.start_date,
        study.end_date,
        kansli,
        on=dt.date(y - 1, 11, 5),
    )
    handed_in(prestudy, kansli, dt.date(y - 1, 11, 5))
    approved(prestudy, dt.date(y - 1, 11, 12))

    # Tertialrapporter for Vägen vidare: the first laid to handlingarna in June,
    # the second approved last week and waiting for the coming meeting.
    first = report(
        "Vägen vidare",
        ReportKind.TERTIAL,
        dt.date(y, 1, 1),
        dt.date(y, 4, 30),
        leader,
        on=dt.date(y, 5, 12),
    )
    handed_in(first, leader, dt.date(y, 5, 12))
    approved(first, dt.date(y, 5, 19))
    second = report(
        "Vägen vidare",
        ReportKind.TERTIAL,
        dt.date(y, 5, 1),
        dt.date(y, 8, 31),
        leader,
        on=today - dt.timedelta(days=5),
    )
    handed_in(second, leader, today - dt.timedelta(days=5))
    approved(second, today - dt.timedelta(days=3))

    # A delrapport handed in, for the kansli to review.
    mentors = report(
        "Mentorsnätverket Sjöland",
        ReportKind.INTERIM,
        dt.date(y, 1, 1),
        min(today, projects["Mentorsnätverket Sjöland"].end_date),
        leader2,
        on=today - dt.timedelta(days=2),
    )
    handed_in(mentors, leader2, today - dt.timedelta(days=2))

    # A lägesrapport being written, that the kansli asked for.
    report(
        "Vägen vidare",
        ReportKind.STATUS,
        *status_report_period(today),
        leader,
        complete=False,
    )
