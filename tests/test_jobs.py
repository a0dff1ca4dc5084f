"""Background work on the task queue, with the real worker and a real SMTP
server: jobs that start only when their transaction commits, mail that goes
once to each recipient and says when it could not, the nightly jobs, and
the year PDF made by a worker."""

from __future__ import annotations

import datetime as dt
import socket

import pytest
from aiosmtpd.controller import Controller
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

from board import services as board_services
from finsam import mail
from finsam.models import Federation, Mail, MailStatus
from finsam.roles import INSATSPERSONAL, KANSLI
from participants.models import Participation
from projects.models import ProjectStatus, StaffRole
from reports.models import Rendering, RenderingStatus
from tests import factories
from tests.conftest import verified_client
from tests.queue import run_pending

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("empty_queue")]


class Mailbox:
    """An SMTP server's handler that keeps what it got and refuses some
    addresses for good (550), or for the next few tries (451)."""

    def __init__(self):
        self.refused: set[str] = set()
        self.later: dict[str, int] = {}
        self.delivered: list[str] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 Mottagaren finns inte"
        if self.later.get(address, 0) > 0:
            self.later[address] -= 1
            return "451 4.3.0 Försök igen senare"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.delivered.extend(envelope.rcpt_tos)
        return "250 Meddelandet är mottaget"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def worker_settings(settings):
    """The queue as in production: jobs are deferred at commit and a real
    worker runs them (``run_pending``); retries without waiting."""
    settings.FINSAM_JOBS_EAGER = False
    settings.FINSAM_MAIL_ATTEMPTS = 3
    settings.FINSAM_MAIL_BACKOFF_SECONDS = 0
    return settings


@pytest.fixture
def smtp(worker_settings):
    mailbox = Mailbox()
    port = _free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    worker_settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    worker_settings.EMAIL_HOST, worker_settings.EMAIL_PORT = "127.0.0.1", port
    worker_settings.EMAIL_USE_TLS = worker_settings.EMAIL_USE_SSL = False
    worker_settings.EMAIL_HOST_USER = worker_settings.EMAIL_HOST_PASSWORD = ""
    yield mailbox
    controller.stop()


@pytest.fixture
def called_board(transactional_db):
    factories.federation()
    secretary = factories.user(username="sekr", full_name="Siri Sekreterare", roles=(KANSLI,))
    seats = factories.board(seats=3)  # three ledamöter and three ersättare
    meeting = factories.meeting(actor=secretary, date=dt.date.today() + dt.timedelta(days=14))
    return secretary, [seat.user for seat in seats], meeting


def test_a_job_asked_for_in_a_rolled_back_transaction_never_runs(smtp):
    with pytest.raises(RuntimeError), transaction.atomic():
        mail.queue(topic="prov", to="kim@example.test", subject="Prov", body="Hej")
        raise RuntimeError("the request failed")

    assert not ProcrastinateJob.objects.exists()
    run_pending()
    assert not Mail.objects.exists()
    assert smtp.delivered == []


def test_a_kallelse_goes_to_each_recipient_and_one_refused_address_is_failed_and_resent(
    smtp, called_board
):
    secretary, board, meeting = called_board
    refused = board[4].email
    smtp.refused.add(refused)

    count = board_services.meeting_send_notice(actor=secretary, meeting=meeting)
    assert count == 6
    # Queued when the service committed; nothing is sent inside the request.
    assert smtp.delivered == []
    run_pending(queues=["mail"])

    states = dict(Mail.objects.values_list("to", "status"))
    assert sorted(smtp.delivered) == sorted(u.email for u in board if u.email != refused)
    assert list(states.values()).count(MailStatus.SENT) == 5
    assert states[refused] == MailStatus.FAILED
    failed = Mail.objects.get(to=refused)
    assert failed.attempts == 1  # a permanent refusal is not tried again
    assert "550" in failed.error

    # The kansli sees it on the meeting page, and sends it again once the
    # address works.
    kansli = verified_client(secretary)
    page = kansli.get(meeting.get_absolute_url()).content.decode()
    assert "Kallelsen, mottagare för mottagare" in page
    assert page.count("mail-skickat") == 5 and "mail-misslyckat" in page
    smtp.refused.clear()
    kansli.post(reverse("board:notice_resend", args=[meeting.pk, failed.pk]))
    run_pending(queues=["mail"])

    assert smtp.delivered.count(refused) == 1
    latest = Mail.objects.filter(to=refused).latest("created_at")
    assert latest.status == MailStatus.SENT


def test_a_kallelse_sent_twice_at_once_sends_each_mail_once(smtp, called_board):
    secretary, board, meeting = called_board

    board_services.meeting_send_notice(actor=secretary, meeting=meeting)
    with pytest.raises(ValidationError, match="Kallelsen skickades nyss"):
        board_services.meeting_send_notice(actor=secretary, meeting=meeting)
    run_pending(queues=["mail"])

    assert sorted(smtp.delivered) == sorted(u.email for u in board)


def test_a_mail_server_that_does_not_answer_is_tried_again_then_the_mail_is_failed(
    worker_settings, called_board
):
    worker_settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    worker_settings.EMAIL_HOST, worker_settings.EMAIL_PORT = "127.0.0.1", _free_port()
    worker_settings.EMAIL_TIMEOUT = 2

    queued = mail.queue(topic="prov", to="kim@example.test", subject="Prov", body="Hej")
    run_pending(queues=["mail"])

    queued.refresh_from_db()
    assert queued.status == MailStatus.FAILED
    assert queued.attempts == 3  # FINSAM_MAIL_ATTEMPTS, with back-off between
    assert queued.error.startswith("E-postservern svarade inte")
    job = ProcrastinateJob.objects.get(task_name="finsam.send_mail", args__mail_id=queued.pk)
    assert job.status == "failed" and job.attempts == 3


def test_a_recipient_the_server_asks_to_wait_for_gets_the_mail_on_a_later_try(smtp):
    smtp.later["kim@example.test"] = 1  # "451, try later", once
    queued = mail.queue(topic="prov", to="kim@example.test", subject="Prov", body="Hej")

    run_pending(queues=["mail"])

    queued.refresh_from_db()
    assert queued.status == MailStatus.SENT and queued.attempts == 2
    assert smtp.delivered == ["kim@example.test"]


def test_the_nightly_gallring_job_reduces_an_expired_participation(worker_settings):
    factories.federation()
    factories.choice_lists_exist()
    Federation.objects.update(participant_retention_months=2)
    leader = factories.user(roles=(INSATSPERSONAL,))
    insats = factories.project(
        status=ProjectStatus.RUNNING, staff=[(leader, StaffRole.PROCESS_LEADER)]
    )
    old = factories.participation(insats, leader, start=dt.date(2026, 1, 10))
    factories.close(old, leader, end=dt.date(2026, 3, 31))

    schedule = {task.task.name: task.cron for task in app.periodic_registry.periodic_tasks.values()}
    assert schedule["participants.gallring"] == worker_settings.FINSAM_SCHEDULE["gallring"]
    app.tasks["participants.gallring"].defer(timestamp=0)
    run_pending(queues=["periodic"])

    old.refresh_from_db()
    assert old.reduced_on is not None and old.participant is None
    assert Participation.objects.filter(reduced_on__isnull=False).count() == 1


def test_the_year_pdf_is_made_by_a_worker_and_then_offered_for_download(worker_settings):
    factories.federation()
    economist = factories.user(username="eva", roles=("Ekonomi",))
    client = verified_client(economist)

    answer = client.post(reverse("overview:year_pdf", args=[2026]))
    rendering = Rendering.objects.get()
    assert answer.status_code == 302 and answer.url == rendering.get_absolute_url()
    assert rendering.status == RenderingStatus.QUEUED
    waiting = client.get(rendering.get_absolute_url()).content.decode()
    assert "Väntar på att börja" in waiting

    run_pending(queues=["files"])

    rendering.refresh_from_db()
    assert rendering.status == RenderingStatus.DONE
    done = client.get(rendering.get_absolute_url()).content.decode()
    assert reverse("reports:rendering_download", args=[rendering.pk]) in done
    download = client.get(reverse("reports:rendering_download", args=[rendering.pk]))
    assert (
        b"".join(download.streaming_content if download.streaming else [download.content])[:5]
        == b"%PDF-"
    )


def test_a_report_pdf_clicked_twice_is_made_once_by_a_worker_for_the_one_who_ordered_it(
    worker_settings,
):
    factories.federation()
    writer = factories.user(username="pia", roles=(INSATSPERSONAL,))
    insats = factories.project(
        status=ProjectStatus.RUNNING, staff=[(writer, StaffRole.PROCESS_LEADER)]
    )
    report = factories.report(insats, writer)
    client = verified_client(writer)
    order = reverse("reports:pdf", args=[report.pk])

    first, second = client.post(order), client.post(order)

    rendering = Rendering.objects.get()
    assert first.url == second.url == rendering.get_absolute_url()
    assert ProcrastinateJob.objects.filter(task_name="reports.render_file").count() == 1
    waiting = client.get(rendering.get_absolute_url()).content.decode()
    assert report.display_title in waiting and "Väntar på att börja" in waiting
    assert f'href="{report.get_absolute_url()}"' in waiting  # the way back
    other = verified_client(factories.user(username="ola", roles=(KANSLI,)))
    assert other.get(rendering.get_absolute_url()).status_code == 404

    run_pending(queues=["files"])

    done = client.get(rendering.get_absolute_url()).content.decode()
    assert "Filen är klar" in done
    download = client.get(reverse("reports:rendering_download", args=[rendering.pk]))
    assert report.project.name in factories.pdf_text(download.content)


def test_healthz_tells_a_load_balancer_the_database_answers_and_how_the_queue_stands(
    worker_settings, client
):
    quiet = client.get("/healthz")
    assert quiet.status_code == 200
    report = quiet.json()
    assert report["status"] == "ok" and report["database"] == "ok"
    assert report["migrations"] == "ok"
    assert report["queue"]["waiting"] == 0

    mail.queue(topic="prov", to="kim@example.test", subject="Prov", body="Hej")

    busy = client.get("/healthz").json()
    assert busy["queue"]["waiting"] == 1 and busy["queue"]["oldest_seconds"] >= 0
    # No worker has run yet: the app server is still healthy, and says so.
    assert busy["status"] == "ok" and busy["workers"]["count"] == 0


def test_the_administrator_sees_a_failed_job_and_runs_it_again(smtp):
    factories.federation()
    admin = factories.user(username="eva", roles=("Ekonomi",))
    smtp.refused.add("kim@example.test")
    queued = mail.queue(topic="prov", to="kim@example.test", subject="Prov", body="Hej")
    run_pending(queues=["mail"])
    job = ProcrastinateJob.objects.get(task_name="finsam.send_mail", args__mail_id=queued.pk)
    assert job.status == "failed"

    client = verified_client(admin)
    page = client.get(reverse("administration:jobs")).content.decode()
    assert "Misslyckade jobb" in page and f"#{job.pk}" in page
    smtp.refused.clear()  # the address works again
    client.post(reverse("administration:job_retry", args=[job.pk]))
    run_pending(queues=["mail"])

    queued.refresh_from_db()
    assert queued.status == MailStatus.SENT and smtp.delivered == ["kim@example.test"]
    assert (
        "Inga jobb har misslyckats." in client.get(reverse("administration:jobs")).content.decode()
    )
