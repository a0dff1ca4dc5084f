"""The pages of daily work ask the database a fixed number of times, however
much they show, and no more than 15 times (issue: every page within 3× the
trivial view). Each test opens a page over a little data and over much more,
after a first visit (the session's renewal, once a minute, is not the page's)."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from board import services
from board.models import Paragraph, ParagraphCounter
from finsam.models import AuditEntry
from projects.models import ProjectStaff, ProjectStatus, StaffRole
from tests import factories

MOST = 15


def queries(client, url) -> list[str]:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return [q["sql"] for q in captured.captured_queries]


def protocol(secretary, chair, verifier, *, date, more: int):
    """A protocol from the dagordning with ``more`` §§ added, sent for justering."""
    minutes = factories.minutes(actor=secretary, date=date)
    counter = ParagraphCounter.objects.get(year=date.year)
    Paragraph.objects.bulk_create(
        Paragraph(
            minutes=minutes,
            year=date.year,
            number=counter.last_number + n + 1,
            title=f"Ärende {n}",
            discussion="Förbundschefen föredrar ärendet.",
            decision_type="till_handlingarna",
            decision_text="Styrelsen beslutar att lägga informationen till handlingarna.",
        )
        for n in range(more)
    )
    counter.last_number += more
    counter.save()
    factories.ready_for_justering(secretary, minutes, chair, verifier)
    return minutes


def board_pages(minutes) -> dict[str, tuple[str, str]]:
    first = minutes.paragraphs.order_by("number").first()
    return {
        "protokoll": ("kansli", reverse("board:minutes", args=[minutes.pk])),
        "paragraf": ("kansli", reverse("board:paragraph", args=[first.pk])),
        "justering": ("styrelseledamot", reverse("board:justering", args=[minutes.pk])),
        "översikt": ("styrelseledamot", reverse("dashboard")),
    }


def test_a_protocol_its_paragraph_and_its_justering_page_read_as_often_for_40_paragraphs_as_for_3(
    secretary, chair, seats, personas
):
    small = protocol(secretary, chair, seats[1].user, date=dt.date(2026, 3, 12), more=0)
    few = {name: queries(personas[who], url) for name, (who, url) in board_pages(small).items()}
    services.minutes_take_back(actor=secretary, minutes=small)
    large = protocol(secretary, chair, seats[1].user, date=dt.date(2026, 4, 16), more=37)
    many = {name: queries(personas[who], url) for name, (who, url) in board_pages(large).items()}

    for name in few:
        assert len(many[name]) == len(few[name]), (name, many[name])
        assert len(many[name]) <= MOST, (name, many[name])


def test_the_draft_protocol_page_reads_its_people_once_however_many_fields_choose_them(
    secretary, chair, seats, personas
):
    minutes = factories.minutes(actor=secretary)

    sql = queries(personas["kansli"], reverse("board:minutes", args=[minutes.pk]))

    assert len(sql) <= MOST, sql
    assert sum('FROM "board_attendance"' in q for q in sql) == 1
    # (The user's own access, read with their roles, asks whether they sign anything.)
    protocol_reads = [q for q in sql if "auth_group" not in q]
    assert sum('FROM "board_signer"' in q for q in protocol_reads) == 1


def test_the_public_protocol_reads_as_often_for_a_long_protocol_as_for_a_short_one(
    secretary, chair, seats, personas
):
    def justerat(date, more):
        minutes = protocol(secretary, chair, seats[1].user, date=date, more=more)
        TOTPDevice.objects.update(last_t=-1)  # a second signing in the same half-minute
        factories.sign(chair, minutes)
        factories.sign(seats[1].user, minutes)
        return reverse("public:minutes", args=[minutes.pk])

    short = queries(personas["anonymous"], justerat(dt.date(2026, 3, 12), 0))
    long = queries(personas["anonymous"], justerat(dt.date(2026, 4, 16), 37))

    assert len(long) == len(short) <= MOST, long


def test_historik_names_its_rows_in_the_same_queries_for_many_staff_changes(
    persona_users, personas
):
    url = reverse("administration:audit_log")
    project = factories.project()

    def staff(n):
        for _ in range(n):
            ProjectStaff.objects.create(
                project=project, user=factories.user(), role=StaffRole.PROCESS_LEADER
            )

    staff(2)
    few = queries(personas["kansli"], url)
    staff(40)
    many = queries(personas["kansli"], url)

    assert AuditEntry.objects.filter(table_name="projects_projectstaff").count() >= 42
    # One query names every row of a kind (the few changes span more kinds).
    assert len(many) <= len(few)
    assert len(many) <= MOST, many


def test_the_budget_and_the_rekvisitioner_of_an_insats_read_as_often_for_many_years_as_for_one(
    personas, persona_users
):
    from decimal import Decimal

    from projects.models import BudgetLine, CostCategory, CostEntry, month_end

    def insats(years: int):
        project = factories.project(
            start_date=dt.date(2026 - years + 1, 1, 1), end_date=dt.date(2026, 12, 31)
        )
        factories.cost_categories_exist()
        category = CostCategory.objects.order_by("order").first()
        for year in range(2026 - years + 1, 2027):
            BudgetLine.objects.create(
                project=project, year=year, category=category, amount=Decimal(120_000)
            )
            for month in range(1, 13):
                CostEntry.objects.create(
                    project=project,
                    month=dt.date(year, month, 1),
                    period_end=month_end(dt.date(year, month, 1)),
                    category=category,
                    amount=Decimal(9_000),
                )
        return project

    def pages(project):
        return [
            reverse("projects:budget", args=[project.pk]),
            reverse("projects:payment_requests_of", args=[project.pk]),
        ]

    few = [queries(personas["kansli"], url) for url in pages(insats(1))]
    many = [queries(personas["kansli"], url) for url in pages(insats(3))]

    for small, large in zip(few, many, strict=True):
        assert len(large) == len(small) <= MOST, large


def test_the_kanslis_dashboard_reads_as_often_for_many_protocols_and_insatser_as_for_one(
    secretary, chair, seats, personas
):
    """Every card of the kansli's Översikt, the economy's included (utfall
    missing per month, budgets over the grant), read in a fixed number of
    queries: a protocol out for justering is not asked about one by one."""
    protocol(secretary, chair, seats[1].user, date=dt.date(2026, 3, 12), more=0)
    factories.project(status=ProjectStatus.RUNNING, start_date=dt.date(2026, 1, 1))
    few = queries(personas["kansli"], reverse("dashboard"))

    protocol(secretary, chair, seats[1].user, date=dt.date(2026, 4, 16), more=2)
    protocol(secretary, chair, seats[1].user, date=dt.date(2026, 5, 14), more=1)
    for _ in range(4):
        factories.project(status=ProjectStatus.RUNNING, start_date=dt.date(2026, 1, 1))
    many = queries(personas["kansli"], reverse("dashboard"))

    assert len(many) == len(few) <= MOST, many
