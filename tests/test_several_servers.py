"""Finsam on more than one machine: two gunicorn app servers and two queue
workers, separate processes sharing only PostgreSQL (and an SMTP server),
with a mixed workload driven through both servers in turn."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection
from procrastinate.contrib.django.models import ProcrastinateJob, ProcrastinateWorker

from board.models import MeetingDocument
from finsam import mail
from finsam.models import Mail, MailStatus
from finsam.roles import EKONOMI, INSATSPERSONAL, KANSLI
from participants.models import StatusKind
from projects.models import ProjectStatus, StaffRole
from reports.models import Rendering, RenderingStatus
from tests import factories
from tests.conftest import verified_client
from tests.test_jobs import Mailbox, _free_port

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("empty_queue")]
# Playwright's HTTP client runs an event loop in this thread; the ORM calls of
# the test body are still synchronous (as in tests/browser/conftest.py).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[1]
PYTHON = Path(sys.executable)


def _environment(smtp_port: int) -> dict[str, str]:
    """The processes' settings: the test database, the queue for real, mail
    to the test's SMTP server."""
    env = {
        **os.environ,
        "FINSAM_ENV": "test",
        "FINSAM_JOBS_EAGER": "0",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "FINSAM_MAIL_BACKOFF_SECONDS": "1",
        "DJANGO_SETTINGS_MODULE": "finsam.settings",
    }
    name = connection.settings_dict["NAME"]
    if os.environ.get("DATABASE_URL"):
        url = urlsplit(os.environ["DATABASE_URL"])
        env["DATABASE_URL"] = urlunsplit(url._replace(path=f"/{name}"))
    else:
        env["EMBEDDED_DATABASE"] = name
    return env


def _wait_for(check, *, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.25)
    raise AssertionError(f"{what} did not happen within {seconds} s")


@pytest.fixture
def smtp():
    from aiosmtpd.controller import Controller

    mailbox, port = Mailbox(), _free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    mailbox.port = port
    yield mailbox
    controller.stop()


class Cluster:
    """App servers and workers as separate processes of this checkout."""

    def __init__(self, env, playwright):
        self.env, self.playwright = env, playwright
        self.processes: list[subprocess.Popen] = []

    def _start(self, command) -> subprocess.Popen:
        process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.processes.append(process)
        return process

    def app_server(self) -> str:
        port = _free_port()
        self._start(
            [
                PYTHON.parent / "gunicorn",
                "finsam.wsgi",
                "--workers",
                "2",
                "--timeout",
                "60",
                "--bind",
                f"127.0.0.1:{port}",
            ]
        )
        url = f"http://127.0.0.1:{port}"
        probe = self.playwright.request.new_context()
        # Generous: the suite's other workers may keep both cores busy meanwhile.
        _wait_for(lambda: _answers(probe, f"{url}/healthz"), seconds=90, what=f"{url} answering")
        probe.dispose()
        return url

    def worker(self) -> subprocess.Popen:
        return self._start([PYTHON, "manage.py", "procrastinate", "worker", "--concurrency", "2"])

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def cluster(smtp, playwright):
    env = _environment(smtp.port) | {
        # A dead worker is noticed within seconds here, not half a minute.
        "FINSAM_WORKER_HEARTBEAT_SECONDS": "1",
        "FINSAM_WORKER_STALLED_SECONDS": "3",
        "FINSAM_SCHEDULE_STALLED": "* * * * * */2",
    }
    cluster = Cluster(env, playwright)
    yield cluster
    cluster.stop()


@pytest.fixture
def servers(cluster):
    """Two app servers (A, B) and two workers."""
    urls = [cluster.app_server(), cluster.app_server()]
    cluster.worker()
    cluster.worker()
    return urls, cluster.processes


def _answers(context, url) -> bool:
    try:
        return context.get(url, timeout=2000).ok
    except Exception:  # noqa: BLE001 - not up yet
        return False


def _headers(session: str, csrf: str | None = None) -> dict[str, str]:
    cookie = f"{settings.SESSION_COOKIE_NAME}={session}"
    if csrf:
        cookie += f"; {settings.CSRF_COOKIE_NAME}={csrf}"
    return {"Cookie": cookie} | ({"X-CSRFToken": csrf} if csrf else {})


CSRF = "a" * 32  # a valid-looking token; Django checks that cookie and header agree


def test_two_app_servers_and_two_workers_share_one_database(playwright, servers, smtp):
    (a, b), processes = servers
    factories.federation()
    factories.choice_lists_exist()
    kansli = factories.user(username="sekr", full_name="Siri Sekreterare", roles=(KANSLI,))
    economist = factories.user(username="eva", roles=(EKONOMI,))
    leader = factories.user(username="alva", roles=(INSATSPERSONAL,))
    insats = factories.project(
        status=ProjectStatus.RUNNING, staff=[(leader, StaffRole.PROCESS_LEADER)]
    )
    participation = factories.participation(insats, leader)
    board = [seat.user for seat in factories.board(seats=3)]
    meeting = factories.meeting(actor=kansli, date=dt.date.today() + dt.timedelta(days=10))
    http = playwright.request.new_context()
    sessions = {
        name: verified_client(user).cookies[settings.SESSION_COOKIE_NAME].value
        for name, user in {"kansli": kansli, "ekonomi": economist, "pl": leader}.items()
    }
    answers = []

    def get(server, who, path):
        response = http.get(f"{server}{path}", headers=_headers(sessions[who]), max_redirects=0)
        answers.append((server, path, response.status))
        return response

    def post(server, who, path, form=None, multipart=None):
        response = http.post(
            f"{server}{path}",
            headers=_headers(sessions[who], CSRF),
            form=form,
            multipart=multipart,
            max_redirects=0,
        )
        answers.append((server, path, response.status))
        return response

    # Pages, alternately from A and B, as each persona works.
    for _round in range(3):
        for server in (a, b):
            get(server, "kansli", "/")
            get(server, "kansli", "/insatser/")
            get(server, "pl", "/deltagare/")
            get(server, "ekonomi", "/insatser/ekonomi/")
    # A status from A, read back on B.
    post(
        a,
        "pl",
        f"/deltagare/{participation.pk}/status/",
        form={
            "kind": str(StatusKind.objects.order_by("order").first().pk),
            "date": dt.date.today().isoformat(),
            "note": "Från server A",
        },
    )
    assert "Från server A" in get(b, "pl", f"/deltagare/{participation.pk}/").text()
    # A handling uploaded on A and downloaded from B.
    noise = os.urandom(2048).hex().encode()
    content = b"%PDF-1.4\n%" + noise + b"\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    post(
        a,
        "kansli",
        f"/styrelsen/sammantraden/{meeting.pk}/handlingar/",
        multipart={
            "file": {"name": "Budget.pdf", "mimeType": "application/pdf", "buffer": content}
        },
    )
    document = MeetingDocument.objects.get(meeting=meeting)
    downloaded = get(b, "kansli", f"/styrelsen/handlingar/{document.pk}/")
    assert downloaded.body() == content
    # The kallelse from B, and again at once from A (refused: it just went);
    # the year PDF ordered on A by the ekonomi and on B by the kansli (one
    # person's second order while the first is made joins it: test_jobs).
    post(b, "kansli", f"/styrelsen/sammantraden/{meeting.pk}/kallelse/")
    post(a, "kansli", f"/styrelsen/sammantraden/{meeting.pk}/kallelse/")
    post(a, "ekonomi", "/rapporter/ar/2026/pdf/")
    post(b, "kansli", "/rapporter/ar/2026/pdf/")

    errors = [answer for answer in answers if answer[2] >= 400]
    assert errors == []
    ordered = time.monotonic()
    _wait_for(
        lambda: (
            not Mail.objects.filter(status=MailStatus.WAITING).exists()
            and not Rendering.objects.exclude(status=RenderingStatus.DONE).exists()
        ),
        seconds=120,
        what="every job done",
    )
    # Each board member got the kallelse exactly once, whichever worker sent it.
    assert sorted(smtp.delivered) == sorted(user.email for user in board)
    assert Mail.objects.filter(status=MailStatus.SENT).count() == len(board)
    assert Rendering.objects.filter(status=RenderingStatus.DONE).count() == 2
    assert all(process.poll() is None for process in processes)  # nobody fell over
    print(  # noqa: T201 - the figures for the README
        f"\n{len(answers)} requests through two servers, {len(errors)} errors; "
        f"{len(smtp.delivered)} mails, 2 PDFs, done {time.monotonic() - ordered:.1f} s after"
    )


def test_a_job_whose_worker_is_killed_is_finished_by_another_worker(cluster, settings):
    from reports.rendering import rendering_order

    settings.FINSAM_JOBS_EAGER = False
    factories.federation()
    economist = factories.user(username="eva", roles=(EKONOMI,))
    first = cluster.worker()
    _wait_for(
        lambda: ProcrastinateWorker.objects.exists(), seconds=30, what="the first worker starting"
    )
    # The year PDF, from a page that takes four seconds to build.
    rendering = rendering_order(
        actor=economist,
        what="Året",
        filename="ar.pdf",
        year=2026,
        html="tests.slow_pages.slow_year_pdf_html",
    )

    _wait_for(
        lambda: Rendering.objects.filter(pk=rendering.pk, status=RenderingStatus.RUNNING).exists(),
        seconds=30,
        what="the first worker taking the job",
    )
    first.kill()  # in the middle of the job: no goodbye, no heartbeat any more
    first.wait()
    killed = time.monotonic()
    job = ProcrastinateJob.objects.get(task_name="reports.render_file")
    assert job.status == "doing"

    cluster.worker()
    _wait_for(
        lambda: Rendering.objects.filter(pk=rendering.pk, status=RenderingStatus.DONE).exists(),
        seconds=60,
        what="the second worker finishing the job",
    )
    rendering.refresh_from_db()
    assert bytes(rendering.content).startswith(b"%PDF-")
    assert ProcrastinateJob.objects.get(pk=job.pk).status == "succeeded"
    print(f"\nthe killed worker's job was done {time.monotonic() - killed:.1f} s later")  # noqa: T201


class Gate:
    """A TCP gate between the app servers and PostgreSQL that can be shut, as
    if the database went away, and opened again."""

    def __init__(self):
        import asyncio
        import threading

        # Where this test's database really is (an embedded server names its
        # socket directory in the URL's options, not in HOST).
        params = connection.get_connection_params()
        host, port = params.get("host") or "127.0.0.1", int(params.get("port") or 5432)
        self.target = (f"{host}/.s.PGSQL.{port}", None) if host.startswith("/") else (host, port)
        self.shut = False
        self.port = _free_port()
        self.links: set = set()
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        self.ready.wait(10)

    def _run(self):
        import asyncio

        async def pipe(reader, writer):
            try:
                while data := await reader.read(65536):
                    writer.write(data)
                    await writer.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                writer.close()

        async def handle(reader, writer):
            if self.shut:
                writer.close()
                return
            path, port = self.target
            if port is None:
                up_reader, up_writer = await asyncio.open_unix_connection(path)
            else:
                up_reader, up_writer = await asyncio.open_connection(path, port)
            self.links.update({writer, up_writer})
            await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))

        async def main():
            await asyncio.start_server(handle, "127.0.0.1", self.port)
            self.ready.set()
            await asyncio.Event().wait()

        self.loop.run_until_complete(main())

    def close(self):
        """The database is gone: every open connection drops, new ones fail."""
        self.shut = True
        for writer in list(self.links):
            self.loop.call_soon_threadsafe(writer.close)
        self.links.clear()

    def open(self):
        self.shut = False


def test_a_database_that_goes_away_gives_a_swedish_503_and_everything_recovers(playwright, smtp):
    gate = Gate()
    settings_dict = connection.settings_dict
    env = _environment(smtp.port) | {
        "DATABASE_URL": f"postgres://{settings_dict['USER']}:{settings_dict['PASSWORD'] or ''}"
        f"@127.0.0.1:{gate.port}/{settings_dict['NAME']}",
        "DEBUG": "0",
    }
    env.pop("EMBEDDED_DATABASE", None)
    cluster = Cluster(env, playwright)
    try:
        server = cluster.app_server()
        worker = cluster.worker()
        factories.federation()
        kansli = factories.user(username="sekr", roles=(KANSLI,))
        session = verified_client(kansli).cookies[settings.SESSION_COOKIE_NAME].value
        http = playwright.request.new_context()

        def page():
            started = time.monotonic()
            response = http.get(f"{server}/insatser/", headers=_headers(session), timeout=30000)
            return response, time.monotonic() - started

        assert all(page()[0].status == 200 for _ in range(5))

        gate.close()
        during = [page() for _ in range(5)]
        assert [r.status for r, _ in during] == [503] * 5
        assert all("Systemet når inte sin databas" in r.text() for r, _ in during)
        assert max(seconds for _, seconds in during) < 5  # fails fast, no hanging
        assert http.get(f"{server}/healthz").status == 503

        gate.open()
        reopened = time.monotonic()
        recovered = _wait_for(lambda: page()[0].status == 200, seconds=30, what="recovery")
        assert recovered
        print(  # noqa: T201 - the figures for the README
            f"\noutage: 5 answers 503 in at most {max(t for _, t in during) * 1000:.0f} ms; "
            f"pages again {time.monotonic() - reopened:.1f} s after the database returned"
        )
        # The worker outlived the outage: a mail queued now is sent.
        from django.test import override_settings

        with override_settings(FINSAM_JOBS_EAGER=False):
            queued = mail.queue(topic="prov", to="kim@example.test", subject="Prov", body="Hej")
        assert worker.poll() is None, "the worker died in the outage"
        # Generous: the worker finds its database again on its own schedule,
        # and the suite's other workers may keep both cores busy meanwhile.
        _wait_for(
            lambda: Mail.objects.filter(pk=queued.pk, status=MailStatus.SENT).exists(),
            seconds=120,
            what="the worker sending after the outage",
        )
        assert smtp.delivered == ["kim@example.test"]
    finally:
        cluster.stop()
        gate.open()
