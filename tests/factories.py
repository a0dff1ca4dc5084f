"""Small factories for tests: plain functions with sensible defaults."""

from __future__ import annotations

import datetime as dt
import itertools

from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice

from finsam.models import Federation, Member, MemberKind, User

_seq = itertools.count(1)
PASSWORD = "ett-langt-testlosenord-42"
# A fixed TOTP key, so tests can compute valid codes.
TOTP_KEY = "3132333435363738393031323334353637383930"


def roles_exist() -> None:
    """The roles come from a data migration, but a transactional test's flush
    empties the table; put them back (with their permissions) when missing."""
    from django.contrib.auth.models import Permission

    from finsam.roles import ROLE_PERMISSIONS

    for role, codenames in ROLE_PERMISSIONS.items():
        group, created = Group.objects.get_or_create(name=role)
        if created:
            group.permissions.set(
                Permission.objects.filter(content_type__app_label="finsam", codename__in=codenames)
            )


def federation(**fields) -> Federation:
    values = {
        "name": "Samordningsförbundet Testdal",
        "organisation_number": "222000-1230",
        "seat": "Testdal",
        "minutes_storage_place": "Förbundets kansli i Testdal",
    } | fields
    return Federation.objects.create(**values)


def member(**fields) -> Member:
    n = next(_seq)
    values = {
        "name": f"Testkommun {n}",
        "kind": MemberKind.KOMMUN,
        "population": 10_000,
        "population_date": dt.date(2025, 12, 31),
    } | fields
    if values["kind"] != MemberKind.KOMMUN and "population" not in fields:
        values["population"] = None
        values["population_date"] = None
    return Member.objects.create(**values)


def user(*, roles: tuple[str, ...] = (), with_totp: bool = True, **fields) -> User:
    n = next(_seq)
    values = {
        "username": f"user{n}",
        "full_name": f"Testperson {n}",
        "email": f"user{n}@example.test",
    } | fields
    u = User(**values)
    u.set_password(PASSWORD)
    u.save()
    if roles:
        roles_exist()
        u.groups.set(Group.objects.filter(name__in=roles))
    if with_totp:
        TOTPDevice.objects.create(user=u, name="App", key=TOTP_KEY, confirmed=True)
    return u


def totp_code(device: TOTPDevice, *, offset_steps: int = 0) -> str:
    """The code an authenticator app would show now (or some steps later)."""
    import time

    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset_steps * device.step
    return f"{totp.token():0{device.digits}d}"


# --- Insatser ------------------------------------------------------------------


def cost_categories_exist():
    """The categories come from a data migration; a transactional test's flush
    empties the table, so put them back when missing."""
    from projects.migrations import _categories
    from projects.models import CostCategory

    for order, (name, personnel) in enumerate(_categories.CATEGORIES, start=1):
        CostCategory.objects.get_or_create(
            name=name, defaults={"order": order * 10, "is_personnel": personnel}
        )


def category(name: str):
    from projects.models import CostCategory

    cost_categories_exist()
    return CostCategory.objects.get(name=name)


def project(*, owner=None, partners=None, staff=(), status=None, **fields):
    """An insats with a fresh diarienummer (no application)."""
    from django.db import transaction

    from projects.models import Orientation, Project, ProjectForm, ProjectStatus
    from projects.services import reference_allocate

    owner = owner or member()
    values = {
        "name": f"Testinsats {next(_seq)}",
        "orientation": Orientation.INDIVIDUAL,
        "form": ProjectForm.PROJECT,
        "contact_name": "Kontakt Person",
        "start_date": dt.date(2026, 1, 1),
        "end_date": dt.date(2027, 12, 31),
        "status": status or ProjectStatus.APPLIED,
    } | fields
    with transaction.atomic():
        year, number = reference_allocate(values["start_date"].year)
        p = Project.objects.create(
            owner=owner,
            reference=f"{year}/{number}",
            reference_year=year,
            reference_number=number,
            **values,
        )
    p.partners.set(partners if partners is not None else [member()])
    for user, role in staff:
        p.staff.create(user=user, role=role)
    return p


def application(project, *, kind=None, status=None, complete=True, budget=None, **fields):
    """An application; ``complete`` fills every section a submission needs."""
    from projects.models import (
        Application,
        ApplicationBudgetLine,
        ApplicationKind,
        ApplicationStatus,
        Goal,
        GoalUnit,
    )

    kind = kind or ApplicationKind.NEW
    values = {"title": project.name, "status": status or ApplicationStatus.DRAFT}
    if complete:
        values |= {
            "change_summary": "Utökad verksamhet med gruppträffar.",
            "background": "Många står långt från arbetsmarknaden.",
            "target_group": "Unga vuxna 18–29 år.",
            "purpose": "Att fler kommer i arbete eller studier.",
            "method": "Kartläggning, handlingsplan, praktik.",
            "steering_group": "Enhetschefer från parterna.",
            "follow_up": "Uppföljning varje tertial.",
            "implementation": "Metoden förs in i ordinarie verksamhet.",
            "period_start": project.start_date,
            "period_end": project.end_date,
        }
    a = Application.objects.create(project=project, kind=kind, **(values | fields))
    if complete:
        Goal.objects.create(
            application=a,
            text="60 % av deltagarna får praktikplats minst 3 månader",
            indicator="Andel deltagare med praktik minst 3 månader",
            target_value=60,
            target_unit=GoalUnit.PERCENT,
        )
        for year, amount in (budget or {project.start_date.year: 100_000}).items():
            ApplicationBudgetLine.objects.create(
                application=a, year=year, category=category("Personal"), amount=amount
            )
    return a


def obligation_rules_exist():
    """The reporting rules come from a data migration; put them back after a flush."""
    import importlib

    from django.apps import apps

    importlib.import_module("projects.migrations.0005_report_obligations").create_rules(apps, None)


# --- Deltagare -------------------------------------------------------------------


def choice_lists_exist():
    """The lists come from a data migration; put them back after a flush."""
    from django.apps import apps

    from participants.migrations import _choices

    _choices.create_all(apps.get_model)


def choice(model, code: str):
    choice_lists_exist()
    return model.objects.get(code=code)


def income(code: str, extent: int = 100):
    from participants.models import IncomeSource
    from participants.services import Income

    return Income(source=choice(IncomeSource, code), extent=extent)


def participation(
    project,
    actor,
    *,
    sex="man",
    start=dt.date(2026, 2, 1),
    birth_year=1996,
    consent=True,
    incomes_before=(),
    **fields,
):
    """A participation enrolled through the service, as a processledare would."""
    from participants import services

    choice_lists_exist()
    return services.participation_enrol(
        actor=actor,
        project=project,
        sex=sex,
        start_date=start,
        consent_given_on=start if consent else None,
        consent_written=True,
        birth_year=birth_year if consent else None,
        incomes_before=[income(code) if isinstance(code, str) else code for code in incomes_before],
        **fields,
    )


def close(
    participation,
    actor,
    *,
    end=dt.date(2026, 9, 30),
    reason="enligt-plan",
    after=None,
    incomes_after=(),
):
    from participants import services
    from participants.models import ExitReason, Occupation

    return services.participation_close(
        actor=actor,
        participation=participation,
        end_date=end,
        exit_reason=choice(ExitReason, reason),
        occupation_after=choice(Occupation, after) if after else None,
        incomes_after=[income(code) for code in incomes_after],
    )


def personnummer(birth: str, serial: str = "238") -> str:
    """A personnummer with a valid check digit for a made-up serial (YYYYMMDD)."""
    digits = birth[2:] + serial
    total = 0
    for i, ch in enumerate(digits):
        product = int(ch) * (2 if i % 2 == 0 else 1)
        total += product // 10 + product % 10
    return f"{birth}-{serial}{(10 - total % 10) % 10}"


# --- Styrelsen -------------------------------------------------------------------


def board_seat(user=None, *, role="ledamot", member_=None, order=None, start=dt.date(2025, 1, 1)):
    """A seat on the board for ``user`` (a new board user when not given)."""
    from board.models import BoardMembership
    from finsam.roles import STYRELSE

    user = user or globals()["user"](roles=(STYRELSE,))
    return BoardMembership.objects.create(
        user=user,
        member=member_ or member(),
        role=role,
        term_start=start,
        deputy_order=order if role != "ersattare" else (order or 1),
    )


def board(*, chair=None, seats: int = 3):
    """A board of ``seats`` ledamöter (the first the ordförande, ``chair`` if
    given) with one ersättare each. Returns the memberships, ledamöter first."""
    ledamoter, deputies = [], []
    for n in range(seats):
        kommun = member()
        ledamoter.append(
            board_seat(
                chair if n == 0 else None,
                role="ordforande" if n == 0 else "ledamot",
                member_=kommun,
            )
        )
        deputies.append(board_seat(role="ersattare", member_=kommun, order=1))
    return ledamoter + deputies


def meeting(*, date=dt.date(2026, 3, 12), actor, **fields):
    import datetime

    from board import services
    from board.models import Meeting

    values = {"date": date, "starts_at": datetime.time(9, 0), "place": "Kansliet, Testdal"}
    return services.meeting_create(actor=actor, meeting=Meeting(**(values | fields)))


def minutes(*, actor, date=dt.date(2026, 3, 12), **fields):
    """A held meeting and its protocol, started from the dagordning."""
    from board import services

    return services.minutes_create(actor=actor, meeting=meeting(date=date, actor=actor, **fields))


def ready_application(project_=None, **fields):
    """An application prepared and ready for the board's decision."""
    from projects.models import ApplicationStatus, Decision

    project_ = project_ or project()
    return application(
        project_,
        status=ApplicationStatus.READY,
        preparation_statement="Beredningsgruppen tillstyrker.",
        recommendation=Decision.GRANT,
        **fields,
    )


def report(project_, actor, *, kind="delrapport", written=True, submit=False, approver=None):
    """A report for the insats, every section written; handed in (frozen) and
    approved when asked."""
    from reports import services
    from reports.sections import sections_for

    r = services.report_create(
        actor=actor,
        project=project_,
        kind=kind,
        period_start=project_.start_date,
        period_end=project_.end_date,
    )
    if written:
        for heading in sections_for(r):
            services.report_section_save(
                actor=actor, report=r, key=heading.key, body=f"Text om {heading.heading}."
            )
    if submit or approver:
        from projects.selectors import goals_for_project
        from reports.models import GoalOutcome

        for goal in goals_for_project(project_).filter(measure=""):
            services.goal_outcome_save(
                actor=actor, report=r, outcome=GoalOutcome(goal=goal, comment="Följs upp.")
            )
        services.report_submit(actor=actor, report=r)
    if approver:
        services.report_approve(actor=approver, report=r)
    r.refresh_from_db()
    return r


# --- Files to import ---------------------------------------------------------------


def xlsx_bytes(rows, *, sheet: str | None = None) -> bytes:
    """A workbook whose first sheet (named ``sheet``, if given) holds ``rows``."""
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    if sheet:
        workbook.active.title = sheet
    for row in rows:
        workbook.active.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def csv_bytes(rows, *, delimiter: str = ";", encoding: str = "utf-8") -> bytes:
    import csv
    import io

    stream = io.StringIO()
    csv.writer(stream, delimiter=delimiter).writerows(rows)
    return stream.getvalue().encode(encoding)


# --- Helpers the board's tests share --------------------------------------------


def sign(user, minutes):
    """``user`` justerar ``minutes`` with password and a fresh TOTP code."""
    from board import services

    device = user.totpdevice_set.get()
    return services.minutes_sign(
        actor=user, minutes=minutes, password=PASSWORD, token=totp_code(device)
    )


def ready_for_justering(secretary, minutes, chair, verifier):
    """Signers set, every § decided, and the protocol sent out for justering."""
    from board import services
    from board.models import DecisionType

    services.signers_set(actor=secretary, minutes=minutes, chair=chair, verifiers=[verifier])
    for paragraph in minutes.paragraphs.all():
        if paragraph.application_id and not paragraph.decision_type:
            paragraph.decision_type = DecisionType.TABLE
            paragraph.decision_text = "Styrelsen beslutar att bordlägga ärendet."
            services.paragraph_update(actor=secretary, paragraph=paragraph)
        elif not paragraph.decision_text:
            paragraph.decision_text = (
                "Styrelsen beslutar att lägga informationen till handlingarna."
            )
            paragraph.decision_type = DecisionType.FILE
            services.paragraph_update(actor=secretary, paragraph=paragraph)
    return services.minutes_send_for_justering(actor=secretary, minutes=minutes)


def pdf_info(data: bytes) -> dict[str, str]:
    """What poppler's pdfinfo says of the PDF (Title, Tagged, Pages …)."""
    import subprocess

    result = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True)
    return dict(
        (key.strip(), value.strip())
        for key, value in (line.split(":", 1) for line in result.stdout.decode().splitlines())
    )


def pdf_text(data: bytes) -> str:
    """The PDF's text with runs of whitespace made single spaces."""
    import subprocess

    result = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return " ".join(result.stdout.decode().split())


def ordered_file(client, order_url: str) -> bytes:
    """Order a file (a PDF made by a worker, reports.rendering) as the user
    does, with the button's POST, and download it from its progress page. The
    tests run jobs eagerly, so it is done when the order answers."""
    from django.urls import reverse

    from reports.models import Rendering

    answer = client.post(order_url)
    assert answer.status_code == 302, answer
    rendering = Rendering.objects.get(pk=answer.url.rstrip("/").rsplit("/", 1)[-1])
    assert answer.url == rendering.get_absolute_url()
    download = client.get(reverse("reports:rendering_download", args=[rendering.pk]))
    assert download.status_code == 200, download
    return b"".join(download.streaming_content) if download.streaming else download.content


def migration_data_exists() -> None:
    """Every data migration's rows (roles, cost categories, choice lists,
    reporting rules), put back when a transactional test's flush emptied them."""
    roles_exist()
    cost_categories_exist()
    choice_lists_exist()
    obligation_rules_exist()
