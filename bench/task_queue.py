"""The task queue under load (make bench runs it beside the page benchmark,
on the same gunicorn server, with a real worker: ``manage.py procrastinate
worker --concurrency 2``, as ``make run`` starts it).

* **Kallelse to 30 recipients** through *Skicka kallelse* (a POST to the
  running server), to an SMTP server on loopback that takes SMTP_DELAY per
  mail, as a slow one does. The baseline, measured in the same run, is what
  the request used to do: the same 30 mails sent one after another from the
  request's process to the same server. Target: the request ≤ 0.1× that
  (it only queues the mails), and every recipient gets the mail exactly once.
* **A page while 10 PDFs render**: ten 40-§ draft protocols ordered at once,
  then the trivial view and a list page loaded with wrk (BUSY_SECONDS each)
  while the worker makes them. Target: each p95 ≤ 3× the same page's p95
  measured idle in this run, no error, some PDFs still being made when the
  load ends (so all of it fell on a busy worker), and each PDF made once.
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECIPIENTS = 30
KALLELSER = 3
SMTP_DELAY = 0.05
PDFS = 10
KALLELSE_TARGET = 0.1
BUSY_TARGET = 3.0
BUSY_PAGE = ("Insatser, lista", "/insatser/")
# Each page is loaded this long (at most) while the PDFs are made: the ten
# take about ten seconds, and the load must fall inside them.
BUSY_SECONDS = 4


class SlowMailbox:
    """An SMTP server's handler that takes SMTP_DELAY per mail and counts
    what each address got."""

    def __init__(self):
        self.got: Counter[str] = Counter()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(SMTP_DELAY)
        with self.lock:
            self.got.update(envelope.rcpt_tos)
        return "250 Mottaget"


def _recipients() -> list[str]:
    """RECIPIENTS board members whose term covers the bench meetings: those
    the bench data has, and bench members added once up to RECIPIENTS."""
    import datetime as dt

    from board.models import BoardMembership
    from finsam.models import Member, User

    today = dt.date.today()
    on_board = BoardMembership.objects.on(today + dt.timedelta(days=60)).filter(
        user__is_active=True
    )
    members = list(Member.objects.order_by("pk"))
    for n in range(max(0, RECIPIENTS - on_board.exclude(user__email="").count())):
        user, _ = User.objects.get_or_create(
            username=f"bench-ersattare-{n + 1}",
            defaults={
                "full_name": f"Bench Ersättare {n + 1}",
                "email": f"bench-ersattare-{n + 1}@example.test",
            },
        )
        BoardMembership.objects.create(
            user=user,
            member=members[n % len(members)],
            role="ersattare",
            deputy_order=10 + n,
            term_start=dt.date(today.year - 1, 1, 1),
        )
    return sorted(on_board.exclude(user__email="").values_list("user__email", flat=True))


def _post(base: str, cookie: str, page: str, action: str) -> float:
    """POST the form with ``action`` on ``page`` as the browser does; the seconds it took."""
    request = urllib.request.Request(base + page, headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=30) as response:
        html = response.read().decode()
        csrf = re.search(r"csrftoken=([^;]+)", response.headers.get("Set-Cookie", ""))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    cookies = cookie + (f"; csrftoken={csrf.group(1)}" if csrf else "")
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token}).encode()
    request = urllib.request.Request(base + action, data=data, headers={"Cookie": cookies})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
        assert response.status == 200 and response.url.endswith(page), response.url
    return time.perf_counter() - started


def _wait(condition, timeout: float) -> float:
    started = time.perf_counter()
    while not condition():
        if time.perf_counter() - started > timeout:
            raise SystemExit("Bakgrundsjobben blev inte klara i tid.")
        time.sleep(0.1)
    return time.perf_counter() - started


def _kallelse(base: str, cookie: str, port: int, mailbox: SlowMailbox) -> dict:
    import datetime as dt

    from django.core import mail as django_mail
    from django.core.mail.backends.smtp import EmailBackend
    from django.urls import reverse

    from board.models import Meeting
    from finsam.models import Mail, MailStatus

    addresses = _recipients()
    # The baseline: the old way, each mail sent from the request's process.
    started = time.perf_counter()
    for to in addresses:
        with EmailBackend(host="127.0.0.1", port=port, use_tls=False, timeout=10) as backend:
            message = django_mail.EmailMessage("Kallelse", "Välkommen.", "bench@localhost", [to])
            message.connection = backend
            message.send()
    inline = time.perf_counter() - started
    mailbox.got.clear()

    today = dt.date.today()
    meetings = [
        Meeting.objects.create(
            date=today + dt.timedelta(days=60 + n), starts_at=dt.time(9), place="Bench"
        )
        for n in range(KALLELSER)
    ]
    try:
        requests, delivered = [], []
        for meeting in meetings:
            page = reverse("board:meeting", args=[meeting.pk])
            requests.append(
                _post(base, cookie, page, reverse("board:notice_send", args=[meeting.pk]))
            )
            sent = Mail.objects.filter(topic=f"kallelse:{meeting.pk}", status=MailStatus.SENT)
            waited = _wait(lambda q=sent: q.count() >= len(addresses), 120)
            delivered.append(requests[-1] + waited)
        mails = Mail.objects.filter(topic__in=[f"kallelse:{m.pk}" for m in meetings])
        sent_once = mails.filter(status=MailStatus.SENT).count()
    finally:
        Mail.objects.filter(topic__in=[f"kallelse:{m.pk}" for m in meetings]).delete()
        Meeting.objects.filter(pk__in=[m.pk for m in meetings]).delete()
    return {
        "recipients": len(addresses),
        "request": statistics.median(requests),
        "inline": inline,
        "delivered": statistics.median(delivered),
        "each_once": sent_once == KALLELSER * len(addresses)
        and set(mailbox.got.values()) == {KALLELSER}
        and len(mailbox.got) == len(addresses),
    }


def _busy(wrk, base: str, cookie: str, seconds: int, connections: int, idle: dict) -> dict:
    from django.db import transaction
    from procrastinate.contrib.django.models import ProcrastinateJob

    from board.models import Minutes
    from finsam.models import User
    from reports.models import Rendering, RenderingStatus
    from reports.rendering import rendering_order

    draft = Minutes.objects.filter(status="utkast").order_by("-meeting__date").first()
    runner = User.objects.get(username="bench-runner")
    started = time.perf_counter()
    with transaction.atomic():
        ordered = [
            rendering_order(
                actor=runner,
                what=f"Bench: protokoll med 40 §§, beställning {n + 1}",
                filename=f"bench-{n + 1}.pdf",
                html="board.pdf.minutes_pdf_html",
                params={"minutes": draft.pk},
            ).pk
            for n in range(PDFS)
        ]
    mine = Rendering.objects.filter(pk__in=ordered)
    _wait(lambda: mine.filter(status=RenderingStatus.RUNNING).exists(), 60)
    seconds = min(seconds, BUSY_SECONDS)
    busy = {
        "/ping/": wrk(f"{base}/ping/", cookie, seconds, connections),
        BUSY_PAGE[1]: wrk(base + BUSY_PAGE[1], cookie, seconds, connections),
    }
    still_working = mine.exclude(status=RenderingStatus.DONE).count()
    _wait(lambda: mine.filter(status=RenderingStatus.DONE).count() == PDFS, 600)
    total = time.perf_counter() - started
    jobs = ProcrastinateJob.objects.filter(task_name="reports.render_file", status="succeeded")
    runs = Counter(j.args["rendering_id"] for j in jobs if j.args["rendering_id"] in ordered)
    mine.delete()
    return {
        "busy": busy,
        "idle": idle,
        "still_working": still_working,
        "total": total,
        "each_once": sorted(runs) == sorted(ordered) and set(runs.values()) == {1},
    }


def queue_benchmark(
    wrk, base: str, cookie: str, *, seconds: int, connections: int, idle: dict
) -> dict:
    """Both measurements with a worker started for them. ``wrk``: bench.run's
    load generator; ``idle``: its results for /ping/ and BUSY_PAGE measured
    before, in this run."""
    from aiosmtpd.controller import Controller

    mailbox = SlowMailbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    smtp = Controller(mailbox, hostname="127.0.0.1", port=port)
    smtp.start()
    env = dict(os.environ, EMAIL_URL=f"smtp://127.0.0.1:{port}")
    log = open(Path(os.environ.get("TMPDIR", "/tmp")) / "finsam-bench-worker.log", "w")
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "procrastinate", "worker", "--concurrency", "2"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        time.sleep(2)  # the worker connects and listens
        k = _kallelse(base, cookie, port, mailbox)
        b = _busy(wrk, base, cookie, seconds, connections, idle)
    finally:
        worker.terminate()
        worker.wait(timeout=60)
        log.close()
        smtp.stop()
    return {"kallelse": k, "busy": b}


def queue_report(results: dict) -> bool:
    """Print what queue_benchmark measured; whether it met its targets."""
    k, b = results["kallelse"], results["busy"]
    ratio = k["request"] / k["inline"]
    ok_k = ratio <= KALLELSE_TARGET and k["each_once"]
    print(
        f"\nKallelse till {k['recipients']} mottagare (SMTP-servern tar {SMTP_DELAY * 1000:.0f} ms "
        f"per brev, {KALLELSER} sammanträden):\n"
        f"  Skicka kallelse, svar: median {k['request'] * 1000:.0f} ms; samma brev skickade i "
        f"anropet (som förut): {k['inline'] * 1000:.0f} ms; kvot {ratio:.3f}×, "
        f"mål ≤ {KALLELSE_TARGET:g}×.\n"
        f"  Alla levererade av workern: median {k['delivered']:.1f} s efter klicket; "
        + (
            "varje mottagare fick varje kallelse en gång. "
            if k["each_once"]
            else "DUBBLETTER ELLER FÖRLUST. "
        )
        + ("ok" if ok_k else "MISS")
    )
    ok_b = b["each_once"] and b["still_working"] > 0
    print(
        f"\nMedan {PDFS} PDF:er skapas (protokoll med 40 §§, en worker, concurrency 2; "
        f"{b['still_working']} ännu inte klara när mätningen slutade, alla klara efter "
        f"{b['total']:.0f} s{', var och en en gång' if b['each_once'] else ', INTE en gång var'}):"
    )
    for label, path in (("Trivial vy (/ping/)", "/ping/"), BUSY_PAGE):
        busy, idle_p95 = b["busy"][path], b["idle"][path]["p95"]
        errors = int(busy["errors"] + busy["non2xx"])
        page_ratio = busy["p95"] / idle_p95
        ok = page_ratio <= BUSY_TARGET and not errors
        ok_b &= ok
        print(
            f"  {label:<22} p95 {busy['p95'] / 1000:.2f} ms (utan last {idle_p95 / 1000:.2f} ms), "
            f"{page_ratio:.2f}×, mål ≤ {BUSY_TARGET:g}×"
            + (f", {errors} fel" if errors else "")
            + (" ok" if ok else " MISS")
        )
    return ok_k and ok_b
