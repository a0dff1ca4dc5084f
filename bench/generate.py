"""Fill the database with a förbund at a chosen scale.

``--scale 1`` is roughly a large förbund over ten years. Each area adds its
own generator to GENERATORS; they run in order and are idempotent per scale.

    python bench/generate.py --scale 1
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finsam.settings")

YEARS = 10


def foundation(scale: float) -> dict:
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from finsam import services
    from finsam.models import Federation, Member, MemberKind, User
    from finsam.roles import EKONOMI, INSATSPERSONAL, KANSLI, STYRELSE

    if not Federation.objects.exists():
        Federation.objects.create(
            name="Samordningsförbundet Benchdal",
            organisation_number="222000-1230",
            seat="Benchdal",
            minutes_storage_place="Kansliet i Benchdal",
        )
    kommuner = max(2, round(12 * scale))
    wanted = [
        ("Försäkringskassan", MemberKind.FORSAKRINGSKASSAN, None),
        ("Arbetsförmedlingen", MemberKind.ARBETSFORMEDLINGEN, None),
        ("Region Benchland", MemberKind.REGION, None),
    ]
    wanted += [
        (f"Benchkommun {i:02d}", MemberKind.KOMMUN, 5_000 + 7_919 * i % 90_000)
        for i in range(1, kommuner + 1)
    ]
    existing = set(Member.objects.values_list("name", flat=True))
    Member.objects.bulk_create(
        [
            Member(
                name=name,
                kind=kind,
                population=pop,
                population_date=dt.date(2025, 12, 31) if pop else None,
            )
            for name, kind, pop in wanted
            if name not in existing
        ]
    )
    members = list(Member.objects.all())

    groups = {g.name: g for g in Group.objects.all()}
    staff = {
        KANSLI: round(6 * scale),
        INSATSPERSONAL: round(120 * scale),
        EKONOMI: round(3 * scale),
        STYRELSE: 2 * len(members) * YEARS // 4,
    }
    password = make_password("bench-losenord-123")
    for role, count in staff.items():
        have = User.objects.filter(username__startswith=f"bench-{role.lower()}-").count()
        users = User.objects.bulk_create(
            [
                User(
                    username=f"bench-{role.lower()}-{i}",
                    full_name=f"Bench {role} {i}",
                    email=f"bench-{role.lower()}-{i}@example.test",
                    password=password,
                    member=members[i % len(members)],
                )
                for i in range(have, count)
            ]
        )
        groups[role].user_set.add(*users)

    this_year = dt.date.today().year
    for year in range(this_year - YEARS + 1, this_year + 1):
        services.contributions_set_for_year(
            actor=None, year=year, total=round(3_000_000 * scale) + year
        )
    return {"members": len(members), "users": User.objects.count()}


def projects(scale: float) -> dict:
    """Insatser over ten years: applications, budgets and monthly costs."""
    from decimal import Decimal

    from finsam.models import Member
    from projects.models import (
        Application,
        BudgetLine,
        CostCategory,
        CostEntry,
        GrantedAmount,
        Project,
        month_end,
    )

    wanted = round(150 * scale)
    have = Project.objects.filter(reference_year__lt=2090).count()
    if have >= wanted:
        return {"projects": have}
    members = list(Member.objects.all())
    categories = list(CostCategory.objects.all())
    this_year = dt.date.today().year
    statuses = ["pagaende", "avslutad", "avslutad", "beviljad", "ansokan", "avbruten"]
    new = []
    for i in range(have, wanted):
        start_year = this_year - YEARS + 1 + i % YEARS
        new.append(
            Project(
                reference=f"{start_year - 1}/{1000 + i}",
                reference_year=start_year - 1,
                reference_number=1000 + i,
                name=f"Benchinsats {i}",
                orientation="individinriktad" if i % 3 else "strukturovergripande",
                form=["projekt", "forstudie", "implementering", "ordinarie"][i % 4],
                owner=members[i % len(members)],
                contact_name="Bench Kontakt",
                target_group="Personer långt från arbetsmarknaden",
                start_date=dt.date(start_year, 1, 1),
                end_date=dt.date(min(start_year + 2, this_year + 2), 12, 31),
                status=statuses[i % len(statuses)],
            )
        )
    created = Project.objects.bulk_create(new)
    Project.partners.through.objects.bulk_create(
        Project.partners.through(project=p, member=members[(i + 1) % len(members)])
        for i, p in enumerate(created)
    )
    applications = Application.objects.bulk_create(
        Application(
            project=p,
            kind="ny",
            title=p.name,
            status="beviljad" if p.status != "ansokan" else "inlamnad",
            decided_on=p.start_date if p.status != "ansokan" else None,
        )
        for p in created
    )
    lines, granted, costs = [], [], []
    for project, application in zip(created, applications, strict=True):
        for year in project.years:
            total = Decimal(0)
            for n, category in enumerate(categories):
                amount = Decimal(400_000 if category.is_personnel else 10_000 * (n + 1))
                total += amount
                lines.append(
                    BudgetLine(
                        project=project,
                        source=application,
                        year=year,
                        category=category,
                        amount=amount,
                    )
                )
                if year <= this_year and project.status != "ansokan":
                    months = 12 if year < this_year else dt.date.today().month - 1
                    costs += [
                        CostEntry(
                            project=project,
                            month=dt.date(year, m, 1),
                            period_end=month_end(dt.date(year, m, 1)),
                            category=category,
                            amount=amount // 12,
                        )
                        for m in range(1, months + 1)
                        if category.is_personnel or m % 3 == 0
                    ]
            if application.status == "beviljad":
                granted.append(GrantedAmount(application=application, year=year, amount=total))
    BudgetLine.objects.bulk_create(lines, batch_size=5000)
    GrantedAmount.objects.bulk_create(granted, batch_size=5000)
    CostEntry.objects.bulk_create(costs, batch_size=5000)
    return {"projects": wanted, "budget_lines": len(lines), "costs": len(costs)}


def participants(scale: float) -> dict:
    """100 000 participations (at scale 1) over the individinriktade insatser:
    consent, försörjning before and after, a status log and exits; some
    anonymous. Written with bulk inserts, the audit triggers held off (the
    bench measures reads, and a log of generated rows would only slow it)."""
    import random

    import pgtrigger
    from django.db import transaction

    from finsam.models import Member, User
    from participants.models import (
        Consent,
        EducationLevel,
        ExitReason,
        IncomeSource,
        Occupation,
        Participant,
        Participation,
        ParticipationIncome,
        StatusEntry,
        StatusKind,
    )
    from projects.models import Project

    wanted = round(100_000 * scale)
    have = Participation.objects.count()
    if have >= wanted:
        return {"participations": have}
    rng = random.Random(100)  # noqa: S311 - repeatable bench data
    today = dt.date.today()
    projects = [
        p
        for p in Project.objects.filter(
            orientation="individinriktad", status__in=["pagaende", "avslutad", "beviljad"]
        )
        if p.start_date < today - dt.timedelta(days=60)
    ]
    kommuner = list(Member.objects.filter(kind="kommun")) or [None]
    sources = list(IncomeSource.objects.all())
    occupations = list(Occupation.objects.all())
    educations = list(EducationLevel.objects.all())
    reasons = list(ExitReason.objects.exclude(code=ExitReason.WITHDRAWN))
    kinds = list(StatusKind.objects.all())
    actor = User.objects.filter(is_active=True).first()
    batch = 10_000
    with pgtrigger.ignore(), transaction.atomic():
        for offset in range(have, wanted, batch):
            size = min(batch, wanted - offset)
            people = Participant.objects.bulk_create(
                Participant(code=f"B-{offset + i:08d}") for i in range(size)
            )
            rows, incomes, consents, statuses = [], [], [], []
            for person in people:
                project = rng.choice(projects)
                last = min(today, project.end_date)
                start = project.start_date + dt.timedelta(
                    days=rng.randrange(0, max(1, (last - project.start_date).days - 30))
                )
                end = start + dt.timedelta(days=rng.randrange(30, 500))
                closed = end <= last
                sex = rng.choice(["kvinna", "man"])
                if rng.random() < 0.05:
                    rows.append(
                        Participation(
                            project=project,
                            anonymous=True,
                            sex=sex,
                            start_year=start.year,
                            end_year=end.year if closed else None,
                            created_by=actor,
                        )
                    )
                    continue
                rows.append(
                    Participation(
                        project=project,
                        participant=person,
                        sex=sex,
                        start_year=start.year,
                        start_date=start,
                        end_year=end.year if closed else None,
                        end_date=end if closed else None,
                        birth_year=start.year - rng.randrange(17, 63),
                        kommun=rng.choice(kommuner),
                        occupation_before=rng.choice(occupations),
                        education=rng.choice(educations),
                        exit_reason=rng.choice(reasons) if closed else None,
                        occupation_after=rng.choice(occupations) if closed else None,
                        created_by=actor,
                    )
                )
            created = Participation.objects.bulk_create(rows)
            for p in created:
                if p.anonymous:
                    continue
                consents.append(
                    Consent(participation=p, given_on=p.start_date, written=True, taken_by=actor)
                )
                incomes.append(
                    ParticipationIncome(participation=p, phase="fore", source=rng.choice(sources))
                )
                if p.end_date:
                    incomes.append(
                        ParticipationIncome(
                            participation=p, phase="efter", source=rng.choice(sources)
                        )
                    )
                day = p.start_date
                for _ in range(rng.randrange(0, 4)):
                    day += dt.timedelta(days=rng.randrange(5, 40))
                    if day > (p.end_date or today):
                        break
                    statuses.append(
                        StatusEntry(
                            participation=p, kind=rng.choice(kinds), date=day, created_by=actor
                        )
                    )
            Consent.objects.bulk_create(consents, batch_size=5000)
            ParticipationIncome.objects.bulk_create(incomes, batch_size=5000)
            StatusEntry.objects.bulk_create(statuses, batch_size=5000)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"participations": wanted}


LOREM = (
    "Förbundschefen föredrar ärendet. Styrelsen diskuterar hur insatsen ska följas upp "
    "och hur samverkan mellan parterna kan bestå när projekttiden är slut. "
)


def _attend(minutes, seats) -> None:
    """The whole board present: ledamöter deciding, ersättare beside them."""
    from board.models import Attendance

    Attendance.objects.bulk_create(
        Attendance(
            minutes=minutes,
            kind="beslutande" if seat.role != "ersattare" else "ersattare",
            user=seat.user,
            name=seat.user.full_name,
            organisation=seat.member.name,
            order=i,
        )
        for i, seat in enumerate(seats)
    )


def board(scale: float) -> dict:
    """Ten years of justerade protocols (ten meetings a year, twelve §§ each),
    four of them still on the anslagstavla, and one 40-§ draft for the PDF
    benchmark. Written in bulk, then locked, as the services would leave them."""
    import datetime as dt

    from django.utils import timezone

    from board import rules
    from board.models import (
        BoardMembership,
        Meeting,
        Minutes,
        Paragraph,
        ParagraphCounter,
        Posting,
    )
    from finsam.models import Member, User
    from finsam.roles import STYRELSE

    today = timezone.localdate()
    secretary = User.objects.filter(groups__name="Kansli").first()
    if not BoardMembership.objects.exists():
        people = list(User.objects.filter(groups__name=STYRELSE)[:12])
        members = list(Member.objects.all()[: len(people) // 2])
        BoardMembership.objects.bulk_create(
            BoardMembership(
                user=user,
                member=members[n // 2 % len(members)],
                role=("ordforande" if n == 0 else "ledamot") if n % 2 == 0 else "ersattare",
                deputy_order=None if n % 2 == 0 else 1,
                term_start=dt.date(today.year - 12, 1, 1),
            )
            for n, user in enumerate(people)
        )
    if Minutes.objects.exists():
        return {"minutes": Minutes.objects.count(), "paragraphs": Paragraph.objects.count()}
    seats = list(BoardMembership.objects.select_related("user", "member"))
    dates = sorted(today - dt.timedelta(days=30 + 36 * n) for n in range(round(100 * scale)))
    dates.append(today - dt.timedelta(days=3))  # the 40-§ draft, the year's last
    numbers: dict[int, int] = {}
    for n, date in enumerate(dates):
        meeting = Meeting.objects.create(
            date=date, starts_at=dt.time(9), place="Kansliet i Benchdal", status="genomfort"
        )
        minutes = Minutes.objects.create(meeting=meeting, secretary=secretary)
        _attend(minutes, seats)
        draft = n == len(dates) - 1
        paragraphs = []
        for i in range(40 if draft else 12):
            numbers[date.year] = numbers.get(date.year, 0) + 1
            paragraphs.append(
                Paragraph(
                    minutes=minutes,
                    year=date.year,
                    number=numbers[date.year],
                    title=f"Ärende {i + 1}: uppföljning av insats",
                    presenter="Förbundschefen",
                    discussion=LOREM * (3 + i % 4),
                    decision_type="till_handlingarna" if i % 3 else "bevilja",
                    decision_text="Styrelsen beslutar att lägga rapporten till handlingarna."
                    if i % 3
                    else "Styrelsen beviljade medel till insatsen enligt ansökan.",
                    confidential=i == 7,
                )
            )
        Paragraph.objects.bulk_create(paragraphs)
        if draft:
            continue
        # The four latest are still on the anslagstavla.
        from_end = len(dates) - 1 - n
        posted = today - dt.timedelta(days=from_end) if from_end <= 4 else date + dt.timedelta(10)
        Minutes.objects.filter(pk=minutes.pk).update(
            status="justerat",
            justerat_at=timezone.make_aware(dt.datetime.combine(posted, dt.time(12))),
            content_hash=f"{n:064x}",
        )
        Posting.objects.create(
            minutes=minutes,
            organ="Styrelsen, Samordningsförbundet Benchdal",
            meeting_date=date,
            paragraphs=f"§ {paragraphs[0].number}–{paragraphs[-1].number}",
            posted_on=posted,
            appeal_last_day=rules.appeal_last_day(posted),
            taken_down_on=rules.posting_taken_down_on(posted),
            storage_place="Kansliet i Benchdal",
        )
    ParagraphCounter.objects.bulk_create(
        ParagraphCounter(year=year, last_number=last) for year, last in numbers.items()
    )
    return {"minutes": Minutes.objects.count(), "paragraphs": Paragraph.objects.count()}


def aftercare(scale: float) -> dict:
    """What the grants set and paid: report obligations by the förbund's
    rules (tertials and the slutrapport) and, for every granted year up to
    this one, four quarterly advances requested, attested, approved and paid."""
    from decimal import ROUND_FLOOR, Decimal

    from django.utils import timezone

    from finsam.models import User
    from projects.models import (
        GrantedAmount,
        ObligationRule,
        Payment,
        PaymentRequest,
        Project,
        ReportObligation,
    )

    if ReportObligation.objects.filter(project__name__startswith="Benchinsats").exists():
        return {"obligations": ReportObligation.objects.count()}
    today = dt.date.today()
    people = [
        User.objects.get_or_create(
            username=f"bench-ekonomi-{n}", defaults={"full_name": f"Bench Ekonomi {n}"}
        )[0]
        for n in range(3)
    ]
    rules = [r for r in ObligationRule.objects.filter(active=True)]
    granted = list(
        Project.objects.filter(name__startswith="Benchinsats", applications__status="beviljad")
    )
    obligations = []
    for project in granted:
        for rule in rules:
            if not rule.applies_to(project):
                continue
            for start, end, due in rule.periods(project.start_date, project.end_date):
                obligations.append(
                    ReportObligation(
                        project=project,
                        kind=rule.report_kind,
                        period_start=start,
                        period_end=end,
                        due_date=due,
                        rule=rule,
                        status="stangd" if due < today - dt.timedelta(days=60) else "vantar",
                    )
                )
    ReportObligation.objects.bulk_create(obligations, batch_size=5000)
    now = timezone.now()
    requests = []
    for row in GrantedAmount.objects.filter(
        application__project__in=granted, year__lte=today.year
    ).select_related("application"):
        share = (row.amount / 4).quantize(Decimal(1), rounding=ROUND_FLOOR)
        for q in range(4):
            start = dt.date(row.year, 3 * q + 1, 1)
            if start > today:
                break
            end = (start.replace(day=28) + dt.timedelta(days=70)).replace(day=1)
            requests.append(
                PaymentRequest(
                    project_id=row.application.project_id,
                    year=row.year,
                    kind="forskott",
                    period_start=start,
                    period_end=end - dt.timedelta(days=1),
                    amount=share,
                    status="utbetald",
                    requested_by=people[0],
                    requested_at=now,
                    attested_by=people[1],
                    attested_at=now,
                    approved_by=people[2],
                    approved_at=now,
                )
            )
    PaymentRequest.objects.bulk_create(requests, batch_size=2000)
    Payment.objects.bulk_create(
        (
            Payment(
                request=r,
                project_id=r.project_id,
                year=r.year,
                amount=r.amount,
                paid_on=min(r.period_start + dt.timedelta(days=15), today),
                registered_by=people[2],
            )
            for r in requests
        ),
        batch_size=2000,
    )
    return {"obligations": len(obligations), "payments": len(requests)}


SENTENCES = [
    "Processledaren har träffat deltagarna varje vecka och följt upp handlingsplanerna.",
    "Samverkan med Arbetsförmedlingen och Försäkringskassan har fungerat väl under perioden.",
    "Flera deltagare har gått vidare till praktik hos arbetsgivare i kommunen.",
    "Styrgruppen har mötts fyra gånger och följt insatsens mål och ekonomi.",
    "Kartläggningen tog längre tid än planerat för dem som stått längst från arbetsmarknaden.",
    "Gruppträffarna har handlat om hälsa, privatekonomi och arbetsmarknadens villkor.",
    "Trepartssamtal har hållits vid varje övergång mellan myndigheterna.",
    "Handläggarna beskriver kortare vägar och ett gemensamt språk kring deltagarna.",
]


def report_text(seed: int, paragraphs: int) -> str:
    out = []
    for p in range(paragraphs):
        sentences = [SENTENCES[(seed + p + i) % len(SENTENCES)] for i in range(7)]
        out.append(" ".join(sentences))
    return "\n\n".join(out)


def work_in_progress(scale: float) -> dict:
    """What waits for someone today, for the pages of daily work: a 40-§
    protocol sent for justering to the ordförande and a justerare, a draft
    slutrapport with long sections for the insats with the most participants
    after the one the PDF benchmark writes, an application still being
    written, and the processledare working in the insatser."""
    from django.contrib.auth.models import Group
    from django.db.models import Count
    from django.utils import timezone

    from board.models import (
        BoardMembership,
        Meeting,
        Minutes,
        Paragraph,
        ParagraphCounter,
        Signer,
    )
    from finsam.models import User
    from finsam.roles import INSATSPERSONAL
    from projects.models import Application, Project, ProjectStaff
    from reports.models import Report, ReportKind, ReportSection
    from reports.sections import sections_for

    today = timezone.localdate()
    if not Minutes.objects.filter(status="for_justering").exists():
        seats = list(BoardMembership.objects.select_related("user", "member").order_by("pk"))
        meeting = Meeting.objects.create(
            date=today - dt.timedelta(days=2),
            starts_at=dt.time(13),
            place="Kansliet i Benchdal",
            status="genomfort",
        )
        minutes = Minutes.objects.create(
            meeting=meeting,
            secretary=User.objects.filter(groups__name="Kansli").first(),
            status="for_justering",
            sent_for_justering_at=timezone.now(),
        )
        _attend(minutes, seats)
        counter = ParagraphCounter.objects.get(year=meeting.date.year)
        Paragraph.objects.bulk_create(
            Paragraph(
                minutes=minutes,
                year=meeting.date.year,
                number=counter.last_number + i + 1,
                title=f"Ärende {i + 1}: uppföljning av insats",
                presenter="Förbundschefen",
                discussion=LOREM * (3 + i % 4),
                decision_type="till_handlingarna",
                decision_text="Styrelsen beslutar att lägga rapporten till handlingarna.",
            )
            for i in range(40)
        )
        counter.last_number += 40
        counter.save()
        chair = next(s for s in seats if s.role == "ordforande")
        verifier = next(s for s in seats if s.role == "ledamot")
        Signer.objects.bulk_create(
            [
                Signer(
                    minutes=minutes, user=chair.user, role="ordforande", name=chair.user.full_name
                ),
                Signer(
                    minutes=minutes,
                    user=verifier.user,
                    role="justerare",
                    name=verifier.user.full_name,
                ),
            ]
        )
        from board import content

        minutes.content_hash = content.content_hash(minutes)  # as the sending stores it
        minutes.save(update_fields=["content_hash"])
    individual = (
        Project.objects.filter(orientation="individinriktad")
        .annotate(n=Count("participations"))
        .order_by("-n")
    )
    if not Report.objects.filter(project__name__startswith="Benchinsats").exists():
        project = individual[1]
        report = Report.objects.create(
            project=project,
            kind=ReportKind.FINAL,
            period_start=project.start_date,
            period_end=project.end_date,
            created_by=User.objects.order_by("pk").first(),
        )
        ReportSection.objects.bulk_create(
            ReportSection(report=report, key=s.key, body=report_text(n, 3 if s.computed else 16))
            for n, s in enumerate(sections_for(report))
        )
    Application.objects.filter(
        pk=Application.objects.filter(status="inlamnad").order_by("pk").values("pk")[:1]
    ).update(status="utkast")
    staff = list(
        Group.objects.get(name=INSATSPERSONAL).user_set.filter(username__startswith="bench-")
    )
    if not ProjectStaff.objects.filter(user__in=staff).exists():
        projects = list(individual[:40])
        ProjectStaff.objects.bulk_create(
            ProjectStaff(project=projects[i % len(projects)], user=user, role="processledare")
            for i, user in enumerate(staff)
        )
    return {
        "for_justering": Minutes.objects.filter(status="for_justering").count(),
        "reports": Report.objects.count(),
        "staff": ProjectStaff.objects.count(),
    }


GENERATORS = [foundation, projects, participants, board, aftercare, work_in_progress]


def generate(scale: float) -> None:
    import django

    django.setup()
    for generator in GENERATORS:
        started = time.perf_counter()
        counts = generator(scale)
        print(f"  {generator.__name__}: {counts} ({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    generate(parser.parse_args().scale)
