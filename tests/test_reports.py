"""Reports: figures from the data, frozen on submission, in the PDF as in the
database; the workflow to the board's §; the förbund's year as a workbook."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.urls import reverse
from openpyxl import load_workbook

from finsam.lib.formatting import format_kronor
from participants import services as participant_services
from participants.models import StatusKind
from projects.models import (
    ApplicationStatus,
    BudgetLine,
    CostEntry,
    Goal,
    GoalMeasure,
    GoalUnit,
    GrantedAmount,
    ProjectStatus,
    StaffRole,
)
from reports import figures, services
from reports.models import GoalOutcome, Report, ReportKind, ReportStatus
from reports.presentation import report_pdf as report_pdf_bytes
from reports.sections import sections_for
from tests import factories

START, END = dt.date(2026, 1, 1), dt.date(2026, 6, 30)


def _text(value) -> str:
    return " ".join(str(value).split())


@pytest.fixture
def insats(persona_users):
    """A hand-made insats: 12 participants, 6 of them with praktik, 10 ended
    (4 in work, 2 in studies), a budget and costs for 2026, and three goals:
    one per way of measuring."""
    writer = persona_users["processledare_a"]
    project = factories.project(
        status=ProjectStatus.RUNNING, staff=[(writer, StaffRole.PROCESS_LEADER)]
    )
    application = factories.application(
        project, status=ApplicationStatus.GRANTED, decided_on=dt.date(2025, 12, 4)
    )
    GrantedAmount.objects.create(application=application, year=2026, amount=500_000)
    factories.choice_lists_exist()
    praktik = StatusKind.objects.get(code="praktik")
    Goal.objects.filter(application=application).update(
        measure=GoalMeasure.STATUS, measure_status=praktik
    )
    Goal.objects.create(
        application=application,
        text="30 % är i arbete eller studier vid avslut",
        indicator="Andel avslutade i arbete eller studier",
        target_value=30,
        target_unit=GoalUnit.PERCENT,
        measure=GoalMeasure.OCCUPATION,
        measure_group="arbete_eller_studier",
        order=1,
    )
    Goal.objects.create(
        application=application,
        text="20 mentorer från lokala arbetsgivare",
        indicator="Antal aktiva mentorer",
        target_value=20,
        target_unit=GoalUnit.COUNT,
        order=2,
    )
    BudgetLine.objects.create(
        project=project, year=2026, category=factories.category("Personal"), amount=400_000
    )
    BudgetLine.objects.create(
        project=project, year=2026, category=factories.category("Lokaler"), amount=50_000
    )
    for month, category, amount in (
        (1, "Personal", 30_000),
        (2, "Personal", 32_000),
        (1, "Lokaler", 4_000),
    ):
        CostEntry.objects.create(
            project=project,
            month=dt.date(2026, month, 1),
            category=factories.category(category),
            amount=amount,
        )
    afters = ["arbete"] * 4 + ["studier"] * 2 + ["arbetssokande"] * 4
    for n in range(12):
        p = factories.participation(
            project,
            writer,
            sex="kvinna" if n < 5 else "man",
            start=dt.date(2026, 1, 10 + n),
            birth_year=2000 - n,
            incomes_before=["forsorjningsstod" if n % 2 else "sjukpenning"],
        )
        if n < 6:
            participant_services.status_add(
                actor=writer, participation=p, kind=praktik, date=dt.date(2026, 3, 2)
            )
        if n < 10:
            factories.close(p, writer, end=dt.date(2026, 5, 29), after=afters[n])
    return project


def _report(project, writer, kind=ReportKind.FINAL, **fields):
    report = services.report_create(
        actor=writer, project=project, kind=kind, period_start=START, period_end=END, **fields
    )
    for heading in sections_for(report):
        services.report_section_save(
            actor=writer, report=report, key=heading.key, body=f"Om {heading.heading.lower()}."
        )
    return report


@pytest.fixture
def writer(persona_users):
    return persona_users["processledare_a"]


@pytest.fixture
def kansli_user(persona_users):
    return persona_users["kansli"]


# --- Mål/Utfall ------------------------------------------------------------------


def test_goals_measured_in_the_participant_data_get_their_outcome_computed(insats, writer):
    report = _report(insats, writer)

    rows = figures.compute(report, with_charts=False)["goals"]

    praktik, work, mentors = rows
    assert praktik["outcome_display"] == "50\xa0% (6 av 12 deltagare)"
    assert praktik["reached"] is False  # the goal is 60 %
    assert work["outcome_display"] == "60\xa0% (6 av 10 deltagare)"
    assert work["reached"] is True  # the goal is 30 %
    assert mentors["computed"] is False
    assert mentors["outcome_display"] == "Ej angivet"


def test_a_goal_without_a_measure_takes_the_outcome_written_in_the_report(insats, writer):
    report = _report(insats, writer)
    goal = Goal.objects.get(text__startswith="20 mentorer")

    services.goal_outcome_save(
        actor=writer,
        report=report,
        outcome=GoalOutcome(goal=goal, value=Decimal(18), comment="Två slutade under våren."),
    )

    mentors = figures.compute(report, with_charts=False)["goals"][2]
    assert mentors["outcome_display"] == "18"
    assert mentors["reached"] is False
    assert mentors["comment"] == "Två slutade under våren."


def test_a_computed_outcome_cannot_be_overwritten_by_hand(insats, writer):
    report = _report(insats, writer)
    goal = Goal.objects.get(measure=GoalMeasure.STATUS)

    with pytest.raises(ValidationError, match="räknas från deltagarregistreringen"):
        services.goal_outcome_save(
            actor=writer, report=report, outcome=GoalOutcome(goal=goal, value=Decimal(90))
        )


def test_a_small_count_in_an_outcome_is_not_shown_nor_given_away_by_its_share(insats, writer):
    row = {"computed": True, "unit": GoalUnit.PERCENT, "count": 3, "base": 40, "value": "8"}

    shown = figures.outcome_display(row, threshold=5)

    assert shown == "under 13\xa0% (<5 av 40 deltagare)"
    assert "8" not in shown.split("(")[0]


# --- The PDF ------------------------------------------------------------------------


def test_a_report_for_part_of_the_insats_calls_what_is_left_not_yet_spent(insats, writer):
    interim = services.report_create(
        actor=writer,
        project=insats,
        kind=ReportKind.TERTIAL,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 4, 30),
    )
    assert insats.end_date > interim.period_end

    text = factories.pdf_text(report_pdf_bytes(interim))

    assert "Ej förbrukat (beviljat − utfall)" in text
    assert "Överskott" not in text


def test_the_pdf_shows_the_numbers_in_the_database(insats, writer):
    report = _report(insats, writer)

    text = factories.pdf_text(report_pdf_bytes(report))

    spent_2026 = CostEntry.objects.filter(project=insats).aggregate(t=Sum("amount"))["t"]
    budget_2026 = BudgetLine.objects.filter(project=insats).aggregate(t=Sum("amount"))["t"]
    for line in BudgetLine.objects.filter(project=insats).select_related("category"):
        spent = CostEntry.objects.filter(project=insats, category=line.category).aggregate(
            t=Sum("amount")
        )["t"]
        amounts = [format_kronor(v) for v in (line.amount, spent)]
        remaining = format_kronor(line.amount - spent)
        assert _text(f"{line.category.name} {' '.join(amounts)} – {remaining}") in text
    assert _text(f"Ekonomi 2026 · beviljat {format_kronor(500_000)}") in text
    assert (
        _text(
            "Överskott (beviljat − utfall) "
            f"{format_kronor(500_000)} {format_kronor(budget_2026)} {format_kronor(spent_2026)} "
            f"{format_kronor(Decimal(500_000) - spent_2026)}"
        )
        in text
    )
    assert "Under perioden deltog 12 personer (12 deltaganden)" in text
    assert "12 började och 10 avslutade" in text
    assert _text("Utfall: 50\xa0% (6 av 12 deltagare)") in text
    assert _text("Mål: 30 % är i arbete eller studier vid avslut") in text
    assert _text("Utfall: 60\xa0% (6 av 10 deltagare) – uppnått") in text
    # Kön: 5 kvinnor, 7 män; 2 went on to studies: below the threshold.
    assert "Kvinna 5 Man 7" in text
    assert "Studier <5" in text
    # Cover, table of contents, running header, page numbers.
    assert "Slutrapport för perioden 2026-01-01 – 2026-06-30" in text
    assert "Innehåll 1. Aktiviteter enligt ansökan" in text
    assert f"{insats.name} · Slutrapport" in text
    assert "Sida 2 av" in text


def test_the_pdf_has_the_three_charts_with_their_labels_as_text(insats, writer):
    report = _report(insats, writer)

    frozen = figures.compute(report)
    text = factories.pdf_text(report_pdf_bytes(report))

    assert set(frozen["charts"]) == {"kon_alder", "forsorjning", "budget"}
    assert all(c["svg"].startswith("<?xml") for c in frozen["charts"].values())
    assert "Diagram 1. Deltagare per åldersgrupp och kön" in text
    assert "Diagram 2. Försörjning före och efter insatsen" in text
    assert "Diagram 3. Budget, utfall och prognos per år" in text
    # The charts' own text (legends, axes) is text in the PDF, not pixels.
    assert "Efter insatsen (avslutade)" in text
    assert "Tusen kronor" in text


def test_the_preview_shows_the_same_figures_and_charts_as_the_pdf(insats, writer, personas):
    report = _report(insats, writer)

    page = personas["processledare_a"].get(reverse("reports:preview", args=[report.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    assert "50\xa0% (6 av 12 deltagare)" in html
    assert html.count('src="data:image/svg+xml;base64,') == 3
    assert "Diagram 3. Budget, utfall och prognos per år" in html


# --- Frozen on submission --------------------------------------------------------------


def test_handed_in_figures_stay_the_same_when_the_data_changes(insats, writer):
    report = _report(insats, writer)
    services.goal_outcome_save(
        actor=writer,
        report=report,
        outcome=GoalOutcome(goal=Goal.objects.get(measure=""), value=Decimal(18)),
    )
    services.report_submit(actor=writer, report=report)
    report.refresh_from_db()
    before = factories.pdf_text(report_pdf_bytes(report))
    frozen = report.figures

    # A year later: more participants, more costs.
    factories.participation(insats, writer, start=dt.date(2026, 3, 1))
    CostEntry.objects.create(
        project=insats,
        month=dt.date(2026, 3, 1),
        category=factories.category("Personal"),
        amount=99_000,
    )

    report.refresh_from_db()
    assert report.figures == frozen
    assert factories.pdf_text(report_pdf_bytes(report)) == before
    assert "Under perioden deltog 12 personer" in before
    # A draft of the same period does count them.
    assert (
        figures.compute(_report(insats, writer), with_charts=False)["participants"]["totals"][
            "persons"
        ]
        == 13
    )


def test_the_database_refuses_to_change_a_handed_in_report(insats, writer):
    report = _report(insats, writer)
    services.goal_outcome_save(
        actor=writer,
        report=report,
        outcome=GoalOutcome(goal=Goal.objects.get(measure=""), value=Decimal(18)),
    )
    services.report_submit(actor=writer, report=report)

    for sql in (
        "UPDATE reports_report SET figures = '{}'::jsonb WHERE id = %s",
        "UPDATE reports_reportsection SET body = 'ändrad' WHERE report_id = %s",
        "DELETE FROM reports_report WHERE id = %s",
    ):
        with pytest.raises(Exception, match="Rapporten är inlämnad"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [report.pk])
    with pytest.raises(ValidationError, match="kan inte ändras"):
        services.report_section_save(actor=writer, report=report, key="malgrupp", body="Ny")


def test_a_report_cannot_be_handed_in_with_empty_sections(insats, writer):
    report = services.report_create(
        actor=writer, project=insats, kind=ReportKind.TERTIAL, period_start=START, period_end=END
    )

    with pytest.raises(ValidationError) as refused:
        services.report_submit(actor=writer, report=report)

    assert "Skriv något under: Aktiviteter under tertialet, Samverkan, Framåtblick." in str(
        refused.value
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.figures is None


def test_a_text_with_a_personnummer_is_refused(insats, writer):
    report = _report(insats, writer)

    with pytest.raises(ValidationError, match="personnummer"):
        services.report_section_save(
            actor=writer,
            report=report,
            key="malgrupp",
            body=f"Deltagaren {factories.personnummer('19900101')} fick arbete.",
        )


# --- Workflow ----------------------------------------------------------------------------


def _submitted(insats, writer):
    report = _report(insats, writer)
    services.goal_outcome_save(
        actor=writer,
        report=report,
        outcome=GoalOutcome(goal=Goal.objects.get(measure=""), comment="Inga mentorer än."),
    )
    return services.report_submit(actor=writer, report=report)


def test_only_the_kansli_approves_and_a_processledare_cannot(insats, writer, kansli_user):
    report = _submitted(insats, writer)

    with pytest.raises(PermissionDenied):
        services.report_approve(actor=writer, report=report)
    services.report_approve(actor=kansli_user, report=report)

    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    assert report.approved_by == kansli_user


def test_the_kansli_can_send_a_report_back_with_a_comment_and_it_thaws(insats, writer, kansli_user):
    report = _submitted(insats, writer)

    with pytest.raises(ValidationError, match="Skriv vad som behöver ändras"):
        services.report_return(actor=kansli_user, report=report, comment=" ")
    services.report_return(actor=kansli_user, report=report, comment="Komplettera ekonomin.")

    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert report.figures is None
    services.report_section_save(actor=writer, report=report, key="ekonomi", body="Kompletterat.")


def test_a_new_version_starts_from_the_text_of_the_handed_in_one(insats, writer, kansli_user):
    report = _submitted(insats, writer)
    services.report_approve(actor=kansli_user, report=report)

    new = services.report_new_version(actor=writer, report=report)

    assert new.version == 2 and new.previous == report and new.status == ReportStatus.DRAFT
    assert dict(new.sections.values_list("key", "body")) == dict(
        report.sections.values_list("key", "body")
    )
    assert new.outcomes.get().comment == "Inga mentorer än."
    with pytest.raises(ValidationError, match="redan en nyare version"):
        services.report_new_version(actor=writer, report=report)


def test_the_board_lays_an_approved_report_to_handlingarna_on_a_paragraph(
    insats, writer, kansli_user
):
    from board import services as board_services
    from board.models import AgendaKind, DecisionType

    report = _submitted(insats, writer)
    services.report_approve(actor=kansli_user, report=report)
    factories.board()
    meeting = factories.meeting(actor=kansli_user, date=dt.date(2026, 9, 10))

    item = meeting.agenda.get(report=report)
    assert item.kind == AgendaKind.REPORT
    assert item.title == f"{insats.name}: slutrapport"

    minutes = board_services.minutes_create(actor=kansli_user, meeting=meeting)
    paragraph = minutes.paragraphs.get(report=report)
    assert paragraph.decision_text == board_services.REPORT_DECISION_TEXT
    with pytest.raises(ValidationError, match="gäller en rapport men har inget beslut"):
        board_services.minutes_send_for_justering(actor=kansli_user, minutes=minutes)

    paragraph.decision_type = DecisionType.FILE
    board_services.paragraph_update(actor=kansli_user, paragraph=paragraph)

    report.refresh_from_db()
    assert report.status == ReportStatus.FILED
    assert report.filed_paragraph == paragraph
    paragraph.decision_type = DecisionType.TABLE
    with pytest.raises(ValidationError, match="redan lagd till handlingarna"):
        board_services.paragraph_update(actor=kansli_user, paragraph=paragraph)


def test_a_report_that_is_not_approved_cannot_come_before_the_board(insats, writer, kansli_user):
    from board import services as board_services
    from board.models import AgendaItem, AgendaKind

    report = _submitted(insats, writer)
    factories.board()
    meeting = factories.meeting(actor=kansli_user, date=dt.date(2026, 9, 10))

    assert not meeting.agenda.filter(report=report).exists()
    with pytest.raises(ValidationError, match="inte godkänd"):
        board_services.agenda_item_save(
            actor=kansli_user,
            item=AgendaItem(meeting=meeting, kind=AgendaKind.REPORT, title="R", report=report),
        )


# --- Pages ---------------------------------------------------------------------------------


def test_the_editor_saves_a_section_as_the_user_types(insats, writer, personas):
    report = _report(insats, writer)

    response = personas["processledare_a"].post(
        reverse("reports:section", args=[report.pk, "lardomar"]),
        {"body": "Korta vägar mellan handläggarna."},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert "Sparat" in response.content.decode()
    assert report.sections.get(key="lardomar").body == "Korta vägar mellan handläggarna."


def test_a_processledare_writes_hands_in_and_the_kansli_approves_through_the_pages(
    insats, writer, personas
):
    page = personas["processledare_a"].post(
        reverse("reports:create"),
        {"project": insats.pk, "kind": ReportKind.TERTIAL},
    )
    report = Report.objects.get(project=insats)
    assert page.status_code == 302
    # Without a period: the tertial under way, within the insats.
    assert (report.period_end - report.period_start).days < 123

    editor = personas["processledare_a"].get(reverse("reports:detail", args=[report.pk]))
    assert "Text under ”Aktiviteter under tertialet”" in editor.content.decode()
    for heading in sections_for(report):
        personas["processledare_a"].post(
            reverse("reports:section", args=[report.pk, heading.key]), {"body": "Text."}
        )
    personas["processledare_a"].post(reverse("reports:submit", args=[report.pk]))
    personas["kansli"].post(reverse("reports:approve", args=[report.pk]))

    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    pdf = factories.ordered_file(
        personas["styrelseledamot"], reverse("reports:pdf", args=[report.pk])
    )
    assert pdf.startswith(b"%PDF-")


# --- The förbund's year ---------------------------------------------------------------------


def test_the_year_workbook_has_one_sheet_per_table_with_the_databases_figures(
    insats, personas, federation
):
    from finsam.models import Contribution, Member

    member = Member.objects.first()
    Contribution.objects.create(member=member, year=2026, amount=250_000)

    response = personas["ekonomi"].get(reverse("overview:year_xlsx", args=[2026]))

    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Insatser",
        "Deltagare per insats och kön",
        "Medel per insats",
        "Medel per kostnadsslag",
        "Medlemsbidrag",
        "Styrelsens beslut",
        "Stående paragrafer",
    ]
    money = {row[0]: row for row in book["Medel per insats"].iter_rows(values_only=True)}
    assert money[insats.reference][2:] == (500_000, 450_000, 66_000, 434_000)
    assert book["Medel per insats"]["C2"].number_format.endswith('"kr"')
    people = {
        row[0]: row for row in book["Deltagare per insats och kön"].iter_rows(values_only=True)
    }
    assert people[insats.reference][2:] == (5, 7, 0, 12)
    lines = list(book["Medel per kostnadsslag"].iter_rows(values_only=True))
    assert (insats.reference, insats.name, "Lokaler", 50_000, 4_000, 46_000) in lines
    contributions = list(book["Medlemsbidrag"].iter_rows(values_only=True))
    assert (member.name, member.get_kind_display(), 250_000, "100,0 %") in contributions


def test_the_year_page_asks_the_database_as_often_however_large_the_year(insats, personas, writer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from projects.models import BudgetLine, CostEntry

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = personas["kansli"].get(reverse("overview:year", args=[2026]))
        assert response.status_code == 200
        return len(captured)

    queries()  # the session's first request fills its caches
    before = queries()
    for n in range(8):
        more = factories.project(
            status=ProjectStatus.RUNNING, staff=[(writer, StaffRole.PROCESS_LEADER)]
        )
        BudgetLine.objects.create(
            project=more, year=2026, category=factories.category("Resor"), amount=1_000 + n
        )
        CostEntry.objects.create(
            project=more, month=dt.date(2026, 3, 1), category=factories.category("Resor"), amount=n
        )
        factories.participation(more, writer, sex="kvinna" if n % 2 else "man")

    assert queries() == before


def test_the_year_pdf_suppresses_small_counts_but_the_page_shows_them(insats, personas, writer):
    small = factories.project(
        status=ProjectStatus.RUNNING, staff=[(writer, StaffRole.PROCESS_LEADER)]
    )
    factories.participation(small, writer, sex="kvinna")

    page = personas["kansli"].get(reverse("overview:year", args=[2026]))
    ordered = personas["kansli"].post(reverse("overview:year_pdf", args=[2026]))
    status = personas["kansli"].get(ordered.url)
    download = personas["kansli"].get(
        reverse("reports:rendering_download", args=[status.context["rendering"].pk])
    )
    pdf = factories.pdf_text(download.content)

    people = {t["table"].key: t for t in page.context["tables"]}["deltagare"]["rows"]
    assert [small.reference, small.name, "1", "0", "0", "1"] in people
    assert f"{small.reference} {small.name} <5 0 0 <5" in pdf
    # With the small insats's one woman hidden, the big one's counts hide too:
    # otherwise its 5 women and the column's total would give her away.
    assert f"{insats.reference} {insats.name} .. 7 0 .." in pdf
    assert "5 7 0 12" not in pdf


def test_the_year_page_shows_decisions_on_arenden_and_folds_the_standing_paragraphs(
    insats, personas, persona_users, federation
):
    from finsam.models import Contribution, Member
    from projects.models import GrantedAmount

    kansli, chair = persona_users["kansli"], persona_users["styrelseledamot"]
    seats = factories.board(chair=chair)
    minutes = factories.minutes(actor=kansli, date=dt.date(2026, 3, 12))
    factories.ready_for_justering(kansli, minutes, chair, seats[1].user)
    factories.sign(chair, minutes)
    factories.sign(seats[1].user, minutes)
    first, second = Member.objects.all()[:2]
    Contribution.objects.create(member=first, year=2026, amount=100_000)
    Contribution.objects.create(member=second, year=2026, amount=100_000)
    # A grant for a year far ahead gives no link to a year that has not begun.
    GrantedAmount.objects.create(application=insats.applications.first(), year=2099, amount=1)

    html = personas["kansli"].get(reverse("overview:year", args=[2026])).content.decode()
    tables = html[html.index('id="beslut"') :]
    decisions = tables[: tables.index('id="staende"')]
    standing = tables[tables.index('id="staende"') :]

    assert "Val av justerare och justeringsdag" not in decisions
    assert "<details><summary>Visa" in standing
    assert "Val av justerare och justeringsdag" in standing
    assert "50,0 %" in html and "50.0 %" not in html
    assert "Huvudman" in html and "Projektägare" not in html
    assert 'class="text-nowrap">2026-03-12' in html
    assert reverse("overview:year", args=[2099]) not in html


def test_integrity_of_goal_measures_is_kept_by_the_database(insats):
    goal = Goal.objects.get(measure=GoalMeasure.STATUS)
    with pytest.raises(IntegrityError), transaction.atomic():
        Goal.objects.filter(pk=goal.pk).update(measure_status=None)


def test_the_year_pdf_is_made_off_the_request_with_its_progress_shown(db, persona_users):
    from reports.models import Rendering, RenderingStatus
    from reports.rendering import make_file

    ordered = Rendering.objects.create(
        requested_by=persona_users["ekonomi"], what="Året", year=2026, filename="ar.pdf"
    )
    assert ordered.status == RenderingStatus.QUEUED

    make_file(ordered.pk, "overview.services.year_pdf_html")

    ordered.refresh_from_db()
    assert ordered.status == RenderingStatus.DONE
    assert ordered.step.endswith(" sidor")
    assert bytes(ordered.content).startswith(b"%PDF-")


def test_an_order_that_stopped_moving_is_shown_as_failed(db, persona_users):
    from reports.models import Rendering, RenderingStatus
    from reports.rendering import STALE_AFTER, status_of

    ordered = Rendering.objects.create(
        requested_by=persona_users["ekonomi"], what="Året", year=2026, filename="ar.pdf"
    )
    Rendering.objects.filter(pk=ordered.pk).update(
        created_at=ordered.created_at - STALE_AFTER - dt.timedelta(seconds=1)
    )
    ordered.refresh_from_db()

    assert status_of(ordered).status == RenderingStatus.FAILED
    assert "Beställ den igen" in ordered.step


def test_an_ordered_file_is_kept_a_day_for_the_one_who_ordered_it(db, persona_users, personas):
    from reports.models import Rendering
    from reports.rendering import KEPT_FOR

    ordered = Rendering.objects.create(
        requested_by=persona_users["ekonomi"], what="Året", year=2026, filename="ar.pdf"
    )
    assert personas["ekonomi"].get(ordered.get_absolute_url()).status_code == 200

    Rendering.objects.filter(pk=ordered.pk).update(
        created_at=ordered.created_at - KEPT_FOR - dt.timedelta(seconds=1)
    )

    assert personas["ekonomi"].get(ordered.get_absolute_url()).status_code == 404


def test_handing_in_and_approving_a_report_ask_first(insats, writer, personas):
    from tests.test_board_views import _confirm_of

    report = factories.report(insats, writer)
    editor = personas["processledare_a"].get(report.get_absolute_url()).content.decode()
    assert "Siffrorna fryses" in _confirm_of(editor, reverse("reports:submit", args=[report.pk]))

    handed_in = factories.report(insats, writer, submit=True)
    review = personas["kansli"].get(handed_in.get_absolute_url()).content.decode()
    assert "dagordning" in _confirm_of(review, reverse("reports:approve", args=[handed_in.pk]))

    application = factories.application(factories.project())
    page = personas["kansli"].get(application.get_absolute_url()).content.decode()
    assert "kan inte ändras" in _confirm_of(
        page, reverse("projects:application_submit", args=[application.pk])
    )


def test_charts_of_a_small_insats_show_only_what_may_be_shown(insats, writer):
    import re

    from reports import figures as report_figures

    small = factories.project(
        status=ProjectStatus.RUNNING, staff=[(writer, StaffRole.PROCESS_LEADER)]
    )
    for sex, born in [
        ("man", 2008),
        ("man", 2000),
        ("man", 1998),
        ("man", 1996),
        ("man", 1995),
        ("man", 1980),
        ("kvinna", 2001),
    ]:
        last = factories.participation(
            small, writer, sex=sex, birth_year=born, incomes_before=["forsorjningsstod"]
        )
    factories.close(last, writer, end=dt.date(2026, 5, 31))
    report = services.report_create(
        actor=writer, project=small, kind=ReportKind.INTERIM, period_start=START, period_end=END
    )

    drawn = report_figures.compute(report, with_charts=True)["charts"]
    text = factories.pdf_text(report_pdf_bytes(report))

    # The tables hide what the total would give away, and the prose prints no
    # exact small number: "7 började och 1 avslutade" would name the one.
    assert "Kvinna <5" in _text(text) and "Man .." in _text(text)
    assert "7 började och <5 avslutade" in _text(text)
    # Every kön × åldersgrupp cell is below 5: no chart, one line saying why.
    assert drawn["kon_alder"]["svg"] == ""
    assert "varje grupp har färre än 5 deltagare" in drawn["kon_alder"]["note"]
    assert "Deltagare per åldersgrupp och kön: Diagrammet visas inte" in _text(text)
    # Försörjning före: 7 on försörjningsstöd may be shown; nothing below 5 is drawn.
    income = drawn["forsorjning"]["svg"]
    assert income and "&lt;5" not in income and "<5" not in income
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", income) or [income]
    assert "7" in " ".join(labels) or "7" in income

    # A group under 5 in a chart that may be drawn is left out, and the chart says so.
    from reports.charts import income_before_after

    chart = income_before_after({"Lön": 9, "Sjukpenning": 2}, {"Lön": 6}, threshold=5)
    assert chart.svg and "Sjukpenning" not in chart.svg and "&lt;5" not in chart.svg
    assert chart.note == "Grupper med färre än 5 deltagare visas inte i diagrammet."


def test_the_report_counts_where_the_participants_stand(insats, writer):
    text = _text(factories.pdf_text(report_pdf_bytes(_report(insats, writer))))

    assert "Status som nåtts Status Antal" in text
    assert "Senaste status vid periodens slut" in text
    assert "Praktik 6" in text


def test_a_drafts_charts_are_drawn_once_and_then_come_from_the_cache(
    insats, writer, personas, monkeypatch
):
    from django.core.cache import cache

    from reports import charts

    cache.clear()
    drawn = []
    draw = charts._draw_bars
    monkeypatch.setattr(charts, "_draw_bars", lambda *a: drawn.append(a) or draw(*a))
    report = _report(insats, writer)
    url = reverse("reports:preview", args=[report.pk])

    import re

    def images(response):
        return re.findall(r"data:image/svg\+xml;base64,[^\"]+", response.content.decode())

    first = images(personas["ekonomi"].get(url))
    count = len(drawn)
    second = images(personas["ekonomi"].get(url))

    assert count == 3 and len(drawn) == 3  # the same charts, drawn once
    assert first == second and len(first) == 3
