import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from finsam.models import Contribution, Federation, Member, User


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, media_root):
    """The demo, seeded once for the module (it takes a while); what it printed."""
    from tests.conftest import shared_data

    with shared_data(django_db_blocker):
        out = io.StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()


def test_seed_demo_builds_a_federation_and_can_run_twice(demo, db, capsys):
    call_command("seed_demo")  # the second time: nothing is added twice

    assert Federation.objects.count() == 1
    assert Member.objects.filter(kind="kommun").count() == 3
    assert User.objects.filter(groups__name="Styrelse").count() == 12
    assert User.objects.filter(username="kansli", groups__name="Kansli").exists()
    assert Contribution.objects.values("year").distinct().count() == 2
    out = capsys.readouterr().out
    for printed in (demo, out):
        assert "kansli" in printed and "demo-finsam-2026" in printed


def test_demo_otp_prints_a_code_the_login_accepts(demo, db, capsys):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    call_command("demo_otp", "kansli")
    code = capsys.readouterr().out.split()[0]

    assert TOTPDevice.objects.get(user__username="kansli").verify_token(code)


def test_no_demo_shortcut_exists_outside_demo_mode(db, settings):
    settings.DEMO_MODE = False

    with pytest.raises(CommandError, match="aldrig i produktion"):
        call_command("seed_demo")
    with pytest.raises(CommandError, match="aldrig i produktion"):
        call_command("demo_otp", "kansli")


def test_production_settings_have_no_demo_mode(monkeypatch):
    import importlib

    import finsam.settings as live

    for name, value in {
        "FINSAM_ENV": "production",
        "SECRET_KEY": "s" * 50,
        "ALLOWED_HOSTS": "x.example",
        "DATABASE_URL": "postgres://x@y/z",
        "EMAIL_URL": "smtp://m.example:25",
        "FINSAM_DEMO": "1",
    }.items():
        monkeypatch.setenv(name, value)
    try:
        production = importlib.reload(live)
        assert production.DEMO_MODE is False
    finally:
        monkeypatch.undo()
        importlib.reload(live)


def test_seed_demo_builds_a_living_federation_of_insatser(demo, db):
    from projects.models import ApplicationStatus, CostEntry, Project, ProjectStatus

    projects = Project.objects.all()
    assert projects.count() >= 12
    assert set(projects.values_list("status", flat=True)) == {s.value for s in ProjectStatus}
    statuses = set(Project.objects.values_list("applications__status", flat=True))
    assert {s.value for s in ApplicationStatus} <= statuses
    assert CostEntry.objects.count() > 100
    supplement = Project.objects.get(name="Vägen vidare").applications.get(kind="tillagg")
    assert supplement.granted.get().amount == 70_000


def test_seed_demo_gives_the_individinriktade_insatser_a_few_hundred_participations(demo, db):
    import datetime as dt

    from participants.models import Participation
    from participants.statistics import statistics

    participations = Participation.objects.all()
    assert 200 <= participations.count() <= 600
    assert participations.filter(anonymous=True).exists()
    assert participations.filter(reduced_on__isnull=False).exists()
    assert participations.filter(end_year__isnull=False).count() > 50
    assert participations.filter(statuses__isnull=False).distinct().count() > 100
    assert participations.values("project").distinct().count() >= 3
    year = dt.date.today().year
    stats = statistics(participations, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))
    assert stats.persons > 50 and stats.ended > 10


def test_seed_demo_gives_the_board_a_year_of_protocols(demo, db):
    from board.models import Meeting, Minutes, MinutesStatus, Paragraph, Posting
    from projects.models import Application

    justerade = Minutes.objects.filter(status=MinutesStatus.JUSTERAT)
    assert justerade.count() >= 3
    assert Minutes.objects.filter(status=MinutesStatus.FOR_JUSTERING).count() == 1
    assert Meeting.objects.filter(status="kallat").count() == 1
    assert Posting.objects.filter(minutes__isnull=False).count() == justerade.count()
    # Continuous numbers within each year, no gaps.
    for year in Paragraph.objects.values_list("year", flat=True).distinct():
        numbers = list(Paragraph.objects.filter(year=year).values_list("number", flat=True))
        assert numbers == list(range(1, len(numbers) + 1))
    assert Application.objects.filter(decision_paragraph__isnull=False).exists()


def test_seed_demo_has_a_protocol_by_the_letter_of_the_law_and_an_anslag_up_now(demo, db):
    from board import procedure, selectors
    from board.models import Minutes, MinutesStatus, Vote

    latest = Minutes.objects.filter(status=MinutesStatus.JUSTERAT).order_by("-meeting__date")[0]
    handled = procedure.by_paragraph(latest).values()
    assert any(h.recused and h.stands_in for h in handled)
    assert any(h.reservations and h.reservations[0].written for h in handled)
    assert Vote.objects.filter(proposition__paragraph__minutes=latest, closed=False).exists()
    assert latest.paragraphs.filter(justerat_at__isnull=False).exists()
    assert latest.paragraphs.filter(reported_delegations__isnull=False).exists()
    up_now = selectors.postings_on_board()
    assert up_now.filter(paragraph__isnull=False).exists()
    assert up_now.filter(delegation__isnull=False).exists()


def test_seed_demo_has_reports_in_every_state_ready_to_open(demo, db):
    from board.models import MinutesStatus
    from projects.models import ProjectStatus
    from reports.models import Report, ReportKind, ReportStatus
    from reports.presentation import report_pdf as report_pdf_bytes

    states = set(Report.objects.values_list("status", flat=True))
    assert states == set(ReportStatus.values)
    final = Report.objects.get(kind=ReportKind.FINAL)
    assert final.project.status == ProjectStatus.FINISHED
    assert final.status == ReportStatus.FILED
    assert final.filed_paragraph.minutes.status == MinutesStatus.JUSTERAT
    assert final.filed_paragraph.minutes.meeting.date > final.approved_at.date()
    assert final.figures["participants"]["totals"]["persons"] > 0
    assert Report.objects.filter(kind=ReportKind.TERTIAL).count() == 2
    # The approved one waits on the coming meeting's dagordning.
    waiting = Report.objects.get(status=ReportStatus.APPROVED)
    assert waiting.agenda_items.get().meeting.status == "kallat"
    assert report_pdf_bytes(final).startswith(b"%PDF")


def test_seed_demo_has_report_obligations_in_every_state_and_their_reminders(demo, db):
    from django.utils import timezone

    from projects.models import ObligationReminder, ReportObligation

    today = timezone.localdate()
    states = {o.state(today)[0] for o in ReportObligation.objects.all()}
    assert states == {"vantar", "forsenad", "inlamnad", "stangd", "undantagen"}
    soon = ReportObligation.objects.filter(
        status="vantar", due_date__gte=today, due_date__lte=today + dt.timedelta(days=30)
    )
    assert soon.exists()
    assert ObligationReminder.objects.filter(kind="forsenad").exists()
    assert ObligationReminder.objects.filter(kind="fore").exists()


def test_seed_demo_has_payment_requests_in_every_state_and_payments(demo, db):
    from projects.models import Payment, PaymentRequest, RequestStatus

    assert set(PaymentRequest.objects.values_list("status", flat=True)) == set(RequestStatus.values)
    assert Payment.objects.count() == PaymentRequest.objects.filter(status="utbetald").count()
    assert not PaymentRequest.objects.filter(attested_by=F("requested_by")).exists()
