"""Rapportkrav: the obligations a grant sets, the kansli's changes, their
fulfilment by the reports, Bevakning and the daily reminders."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from finsam.models import AuditEntry, Mail
from projects import services
from projects.models import (
    ApplicationKind,
    Decision,
    ObligationReminder,
    ObligationRule,
    ObligationStatus,
    ProjectForm,
    ReminderKind,
    ReportKind,
    ReportObligation,
    StaffRole,
)
from reports import services as report_services
from tests import factories

DECIDED = dt.date(2026, 2, 10)


def _granted(kansli, *, start, end, form=ProjectForm.PROJECT, staff=(), conditions=""):
    project = factories.project(start_date=start, end_date=end, form=form, staff=staff)
    application = factories.ready_application(
        project, budget={year: 100_000 for year in range(start.year, end.year + 1)}
    )
    services.application_decide(
        actor=kansli,
        application=application,
        decision=Decision.GRANT,
        decided_on=DECIDED,
        conditions=conditions,
    )
    project.refresh_from_db()
    return project


def _due(project) -> list[tuple[str, dt.date, dt.date, dt.date]]:
    return [
        (o.kind, o.period_start, o.period_end, o.due_date)
        for o in project.obligations.order_by("due_date", "kind")
    ]


@pytest.fixture
def kansli(persona_users):
    return persona_users["kansli"]


@pytest.fixture
def writer(persona_users):
    return persona_users["processledare_a"]


@pytest.fixture
def insats(kansli, writer):
    return _granted(
        kansli,
        start=dt.date(2026, 3, 1),
        end=dt.date(2027, 6, 30),
        staff=[(writer, StaffRole.PROCESS_LEADER)],
        conditions="Huvudmannen redovisar medfinansieringen varje år.",
    )


# --- Set by the grant --------------------------------------------------------------


def test_a_grant_sets_a_tertialrapport_for_each_tertial_and_a_slutrapport_two_months_after(
    insats,
):
    assert _due(insats) == [
        ("tertialrapport", dt.date(2026, 3, 1), dt.date(2026, 4, 30), dt.date(2026, 5, 15)),
        ("tertialrapport", dt.date(2026, 5, 1), dt.date(2026, 8, 31), dt.date(2026, 9, 15)),
        # Across the year end: the third tertial is due on 15 January.
        ("tertialrapport", dt.date(2026, 9, 1), dt.date(2026, 12, 31), dt.date(2027, 1, 15)),
        ("tertialrapport", dt.date(2027, 1, 1), dt.date(2027, 4, 30), dt.date(2027, 5, 15)),
        # The tertial the insats ends in is the slutrapport's; two months
        # after 30 June is the end of August, not the 30th.
        ("slutrapport", dt.date(2026, 3, 1), dt.date(2027, 6, 30), dt.date(2027, 8, 31)),
    ]
    assert set(insats.obligations.values_list("status", flat=True)) == {ObligationStatus.OPEN}
    assert insats.applications.get().conditions == (
        "Huvudmannen redovisar medfinansieringen varje år."
    )


def test_a_forstudie_is_asked_for_a_forstudierapport_only(kansli):
    project = _granted(
        kansli, start=dt.date(2026, 2, 1), end=dt.date(2026, 10, 15), form=ProjectForm.PRESTUDY
    )

    assert _due(project) == [
        ("forstudierapport", dt.date(2026, 2, 1), dt.date(2026, 10, 15), dt.date(2026, 12, 15))
    ]


def test_the_rules_are_data_the_kansli_changes(kansli):
    ObligationRule.objects.filter(report_kind=ReportKind.TERTIAL).update(
        days_after=20, skip_last=False
    )
    ObligationRule.objects.filter(report_kind=ReportKind.FINAL).update(active=False)

    project = _granted(kansli, start=dt.date(2026, 1, 1), end=dt.date(2026, 8, 31))

    assert [o[3] for o in _due(project)] == [dt.date(2026, 5, 20), dt.date(2026, 9, 20)]


def test_a_rejection_sets_no_obligations(kansli):
    application = factories.ready_application()

    services.application_decide(
        actor=kansli, application=application, decision=Decision.REJECT, decided_on=DECIDED
    )

    assert not ReportObligation.objects.exists()


def test_a_forlangning_moves_the_slutrapport_and_adds_the_new_tertials(insats, kansli):
    continuation = factories.application(
        insats,
        kind=ApplicationKind.CONTINUATION,
        status="redo_for_beslut",
        preparation_statement="Tillstyrks.",
        recommendation=Decision.GRANT,
        period_start=dt.date(2027, 7, 1),
        period_end=dt.date(2027, 12, 31),
        budget={2027: 50_000},
    )
    services.application_decide(
        actor=kansli, application=continuation, decision=Decision.GRANT, decided_on=DECIDED
    )

    final = insats.obligations.get(kind=ReportKind.FINAL)
    assert (final.period_end, final.due_date) == (dt.date(2027, 12, 31), dt.date(2028, 2, 29))
    assert AuditEntry.objects.filter(
        table_name="projects_reportobligation",
        object_id=str(final.pk),
        message__contains="från 2027-08-31 till 2028-02-29 efter beslut om fortsättning",
    ).exists()
    tertials_2027 = [
        (o.period_start, o.period_end, o.due_date)
        for o in insats.obligations.filter(kind=ReportKind.TERTIAL, period_start__year=2027)
    ]
    # May–August is now a tertial of its own; September–December is the slutrapport's.
    assert tertials_2027 == [
        (dt.date(2027, 1, 1), dt.date(2027, 4, 30), dt.date(2027, 5, 15)),
        (dt.date(2027, 5, 1), dt.date(2027, 8, 31), dt.date(2027, 9, 15)),
    ]


# --- Changed by the kansli ------------------------------------------------------------


def test_the_kansli_waives_an_obligation_with_a_reason_that_is_kept(insats, kansli):
    last = insats.obligations.filter(kind=ReportKind.TERTIAL).last()  # January–April 2027

    with pytest.raises(ValidationError, match="Skriv skälet"):
        services.obligation_waive(actor=kansli, obligation=last, reason=" ")
    services.obligation_waive(
        actor=kansli, obligation=last, reason="Slutrapporten täcker det sista tertialet."
    )

    last.refresh_from_db()
    assert last.status == ObligationStatus.WAIVED
    assert last.waived_reason == "Slutrapporten täcker det sista tertialet."
    assert AuditEntry.objects.filter(
        object_id=str(last.pk), message__startswith="Undantaget: Slutrapporten"
    ).exists()
    with pytest.raises(ValidationError, match="undantagen och kan inte ändras"):
        services.obligation_move(
            actor=kansli, obligation=last, due_date=dt.date(2027, 10, 1), reason="Sent."
        )


def test_the_kansli_moves_a_due_date_and_the_reason_is_logged(insats, kansli):
    first = insats.obligations.first()

    services.obligation_move(
        actor=kansli,
        obligation=first,
        due_date=dt.date(2026, 6, 1),
        reason="Processledaren började i maj",
    )

    first.refresh_from_db()
    assert first.due_date == dt.date(2026, 6, 1)
    assert AuditEntry.objects.filter(
        object_id=str(first.pk),
        message="Senast-datum ändrat från 2026-05-15 till 2026-06-01: Processledaren började i maj",
    ).exists()


def test_the_kansli_adds_an_obligation_but_not_the_same_one_twice(insats, kansli):
    services.obligation_add(
        actor=kansli,
        project=insats,
        kind=ReportKind.STATUS,
        period_start=dt.date(2026, 3, 1),
        period_end=dt.date(2026, 6, 30),
        due_date=dt.date(2026, 7, 10),
        note="Styrelsen vill veta hur rekryteringen går.",
    )

    with pytest.raises(ValidationError, match="redan ett rapportkrav"):
        services.obligation_add(
            actor=kansli,
            project=insats,
            kind=ReportKind.STATUS,
            period_start=dt.date(2026, 4, 1),
            period_end=dt.date(2026, 6, 30),
            due_date=dt.date(2026, 7, 20),
        )
    assert insats.obligations.filter(kind=ReportKind.STATUS).count() == 1


def test_a_processledare_cannot_change_an_obligation(insats, writer):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.obligation_waive(actor=writer, obligation=insats.obligations.first(), reason="x")


# --- Fulfilled by a report ---------------------------------------------------------------


def _tertial_report(insats, writer, period_end=dt.date(2026, 4, 30)):
    report = report_services.report_create(
        actor=writer,
        project=insats,
        kind=ReportKind.TERTIAL,
        period_start=dt.date(2026, 3, 1),
        period_end=period_end,
    )
    from reports.sections import sections_for

    for heading in sections_for(report):
        report_services.report_section_save(
            actor=writer, report=report, key=heading.key, body="Text."
        )
    from projects.selectors import goals_for_project
    from reports.models import GoalOutcome
    from reports.sections import GOALS, section

    if section(report, GOALS) is not None:
        for goal in goals_for_project(insats).filter(measure=""):
            report_services.goal_outcome_save(
                actor=writer, report=report, outcome=GoalOutcome(goal=goal, comment="Följs upp.")
            )
    return report


def test_a_handed_in_report_fulfils_its_obligation_and_a_returned_one_reopens_it(
    insats, writer, kansli
):
    obligation = insats.obligations.get(period_end=dt.date(2026, 4, 30))
    report = _tertial_report(insats, writer)
    assert report.obligation == obligation

    report_services.report_submit(actor=writer, report=report)
    obligation.refresh_from_db()
    assert obligation.status == ObligationStatus.HANDED_IN
    assert obligation.handed_in_on == timezone.localdate()

    report_services.report_return(actor=kansli, report=report, comment="Komplettera målen.")
    obligation.refresh_from_db()
    assert (obligation.status, obligation.handed_in_on) == (ObligationStatus.OPEN, None)


def test_a_report_laid_to_handlingarna_closes_its_obligation(insats, writer, kansli):
    from board import services as board_services
    from board.models import DecisionType

    obligation = insats.obligations.get(period_end=dt.date(2026, 4, 30))
    report = _tertial_report(insats, writer)
    report_services.report_submit(actor=writer, report=report)
    report_services.report_approve(actor=kansli, report=report)
    factories.board()
    meeting = factories.meeting(actor=kansli, date=dt.date(2026, 6, 10))
    minutes = board_services.minutes_create(actor=kansli, meeting=meeting)
    paragraph = minutes.paragraphs.get(report=report)
    paragraph.decision_type = DecisionType.FILE
    board_services.paragraph_update(actor=kansli, paragraph=paragraph)

    obligation.refresh_from_db()
    assert obligation.status == ObligationStatus.CLOSED
    assert obligation.closed_on == timezone.localdate()


def test_a_slutrapport_for_another_period_still_answers_the_slutrapport(insats, writer):
    report = report_services.report_create(
        actor=writer,
        project=insats,
        kind=ReportKind.FINAL,
        period_start=dt.date(2026, 3, 1),
        period_end=dt.date(2027, 5, 31),
    )

    assert report.obligation == insats.obligations.get(kind=ReportKind.FINAL)


# --- Reminders -------------------------------------------------------------------------


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(7, 0)))


def test_reminders_go_to_the_staff_before_and_on_the_day_and_to_the_kansli_when_late(
    insats, writer, kansli
):
    first = insats.obligations.get(period_end=dt.date(2026, 4, 30))

    assert services.obligation_remind(now=_at(dt.date(2026, 4, 30))) == 0  # 15 days before
    assert services.obligation_remind(now=_at(dt.date(2026, 5, 1))) == 1  # 14 days before
    assert services.obligation_remind(now=_at(dt.date(2026, 5, 1))) == 0  # once a day
    assert services.obligation_remind(now=_at(dt.date(2026, 5, 2))) == 0  # once before
    assert services.obligation_remind(now=_at(dt.date(2026, 5, 15))) == 1  # the day itself
    assert services.obligation_remind(now=_at(dt.date(2026, 5, 16))) == 1  # late: the kansli
    assert services.obligation_remind(now=_at(dt.date(2026, 5, 17))) == 0
    assert services.obligation_remind(now=_at(dt.date(2026, 5, 23))) == 1  # a week later

    sent = list(first.reminders.order_by("sent_on"))
    assert [(r.kind, r.sent_on) for r in sent] == [
        (ReminderKind.BEFORE, dt.date(2026, 5, 1)),
        (ReminderKind.DUE, dt.date(2026, 5, 15)),
        (ReminderKind.OVERDUE, dt.date(2026, 5, 16)),
        (ReminderKind.OVERDUE, dt.date(2026, 5, 23)),
    ]
    assert list(sent[0].recipients.all()) == [writer]
    assert list(sent[2].recipients.all()) == [kansli]
    before = Mail.objects.get(
        topic=f"rapportkrav:{first.pk}", to=writer.email, subject__contains="senast"
    )
    assert "ska lämnas senast 2026-05-15, om 14 dagar" in before.body
    assert reverse("projects:obligation", args=[first.pk]) in before.body
    late = Mail.objects.filter(to=kansli.email, subject__startswith="Försenad").earliest("pk")
    assert "är 1 dag försenad" in late.body


def test_a_handed_in_or_waived_obligation_is_not_reminded(insats, writer, kansli):
    first = insats.obligations.get(period_end=dt.date(2026, 4, 30))
    services.obligation_waive(actor=kansli, obligation=first, reason="Startade sent.")

    assert services.obligation_remind(now=_at(dt.date(2026, 5, 10))) == 0
    assert not ObligationReminder.objects.exists()


def test_the_database_keeps_reminders_to_one_a_day(insats):
    from django.db import IntegrityError, transaction

    first = insats.obligations.first()
    ObligationReminder.objects.create(obligation=first, kind="fore", sent_on=dt.date(2026, 5, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        ObligationReminder.objects.create(
            obligation=first, kind="sista_dagen", sent_on=dt.date(2026, 5, 1)
        )


# --- Pages -------------------------------------------------------------------------------


def _due_in(insats, *days: int):
    """The insats's first obligations due in ``days`` days from today, the
    rest half a year away (the pages count from today)."""
    today = timezone.localdate()
    insats.obligations.update(due_date=today + dt.timedelta(days=200))
    obligations = list(insats.obligations.order_by("period_start", "kind")[: len(days)])
    for obligation, n in zip(obligations, days, strict=True):
        ReportObligation.objects.filter(pk=obligation.pk).update(
            due_date=today + dt.timedelta(days=n)
        )
    return obligations


def test_bevakning_lists_what_is_late_and_due_soon_with_the_responsible_staff(
    insats, personas, writer
):
    _due_in(insats, -3, 10)

    page = personas["kansli"].get(reverse("projects:watch"))

    text = page.content.decode()
    assert page.status_code == 200
    assert "3 dagar sent" in text and "om 10 dagar" in text
    assert writer.full_name in text
    assert "2 rapportkrav" in text
    assert (
        personas["processledare_b"]
        .get(reverse("projects:watch"))
        .content.decode()
        .count(insats.name)
        == 0
    )
    assert (
        insats.name in personas["processledare_a"].get(reverse("projects:watch")).content.decode()
    )


def test_bevakning_exports_to_excel_with_days_left(insats, personas):
    _due_in(insats, -3)

    response = personas["kansli"].get(reverse("projects:watch_export"))

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Diarienummer", "Insats", "Huvudman", "Rapport")
    assert rows[1][0] == insats.reference and rows[1][7] == -3 and rows[1][8] == "Försenad"


def test_the_insats_page_shows_its_obligations_and_the_villkor(insats, personas):
    page = personas["processledare_a"].get(reverse("projects:obligations", args=[insats.pk]))

    text = page.content.decode()
    assert "2027-08-31" in text and "Slutrapport" in text
    assert "Huvudmannen redovisar medfinansieringen varje år." in text
    assert "Lägg till ett rapportkrav" not in text  # the kansli's form
    kansli_page = personas["kansli"].get(reverse("projects:obligations", args=[insats.pk]))
    assert "Lägg till ett rapportkrav" in kansli_page.content.decode()


def test_the_kansli_waives_on_the_obligation_page_and_sees_it_there(insats, personas):
    obligation = insats.obligations.first()
    client = personas["kansli"]

    refused = client.post(reverse("projects:obligation_waive", args=[obligation.pk]), {})
    assert refused.status_code == 200
    obligation.refresh_from_db()
    assert obligation.is_open
    client.post(
        reverse("projects:obligation_waive", args=[obligation.pk]), {"reason": "Startade sent."}
    )

    page = client.get(reverse("projects:obligation", args=[obligation.pk])).content.decode()
    assert "Undantagen" in page and "Startade sent." in page


def test_the_dashboard_card_lists_the_reports_to_hand_in(insats, personas):
    _due_in(insats, 5)

    page = personas["processledare_a"].get(reverse("dashboard")).content.decode()

    assert "Rapporter att lämna" in page and "om 5 dagar" in page
    other = personas["processledare_b"].get(reverse("dashboard")).content.decode()
    assert "Inga rapporter är försenade eller ska lämnas inom 30 dagar." in other


def test_bevakning_reads_in_the_same_queries_for_many_insatser(kansli, personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert (
                personas["kansli"].get(reverse("projects:watch") + "?state=vantar").status_code
                == 200
            )
        return len(queries)

    _granted(kansli, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    count()  # the first request of a new login does more
    few = count()
    for _ in range(8):
        _granted(kansli, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    assert count() == few
    assert few <= 15
