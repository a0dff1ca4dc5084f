"""The pages of daily work that ``make bench`` loads, and who opens them.

Each page is measured as the person who opens it in daily work would see it:
the kansli for most, the ordförande on the justering page, ekonomi on the
queue's page. The objects are the bench data's heaviest of
their kind (the insats with the most participations, the 40-§ protocol, the
participant with the longest status log), so a page that grows with its data
shows it here.

Besides the load (run.py), every page's queries are counted once in this
process against the same data: target ≤ 15 each.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

PAGE_TARGET = 3  # p95 against the trivial view, 8 connections
YEAR_TARGET = 5  # the förbund's year: every figure of the year on one page
QUERY_TARGET = 15


@dataclass
class Page:
    label: str
    path: str
    who: str = "kansli"
    target: float | None = PAGE_TARGET


def session_for(user) -> str:
    """A logged-in, second-factor-verified session cookie for ``user`` (the
    second factor checked again just now, as an export asks)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from finsam.auth import RECHECK_SESSION_KEY
    from finsam.middleware import LOGIN_AT_SESSION_KEY

    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="bench", defaults={"confirmed": True}
    )
    session = SessionStore()
    session.update(
        {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "finsam.backends.PermissionBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
            DEVICE_ID_SESSION_KEY: device.persistent_id,
            LOGIN_AT_SESSION_KEY: int(time.time()),
            # The second factor given again just now: exports ask for it.
            RECHECK_SESSION_KEY: int(time.time()),
        }
    )
    session.set_expiry(4 * 60 * 60)
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def people() -> dict:
    """The users the pages are opened as, by the name a Page gives."""
    from django.contrib.auth.models import Group

    from board.models import Signer
    from finsam.models import User
    from finsam.roles import EKONOMI, KANSLI

    def bench_user(username, group):
        user, _ = User.objects.get_or_create(
            username=username, defaults={"full_name": username.title(), "email": "b@example.test"}
        )
        user.groups.add(Group.objects.get(name=group))
        return user

    chair = Signer.objects.filter(minutes__status="for_justering", role="ordforande").first()
    return {
        "kansli": bench_user("bench-runner", KANSLI),
        "ekonomi": bench_user("bench-ekonom", EKONOMI),
        "ordförande": chair.user,
    }


def cookies() -> dict[str, str]:
    return {who: session_for(user) for who, user in people().items()}


def daily_pages() -> list[Page]:
    from django.db.models import Count
    from django.urls import reverse

    from board.models import Meeting, Minutes, Posting
    from participants.models import Participation
    from projects.models import Application, Project
    from reports.models import Report

    year = dt.date.today().year
    project = (
        Project.objects.filter(orientation="individinriktad")
        .annotate(n=Count("participations"))
        .order_by("-n")
        .first()
    )
    granted = (
        Project.objects.filter(applications__status="beviljad")
        .annotate(n=Count("payment_requests"))
        .order_by("-n", "pk")
        .first()
    )
    application = granted.applications.order_by("pk").first()
    draft = Application.objects.filter(status="utkast").order_by("pk").first()
    participation = (
        Participation.objects.filter(project=project)
        .annotate(n=Count("statuses"))
        .order_by("-n", "pk")
        .first()
    )
    protocol = Minutes.objects.filter(status="utkast").order_by("-meeting__date").first()
    for_justering = Minutes.objects.get(status="for_justering")
    justerat = Posting.objects.filter(minutes__isnull=False).order_by("-posted_on").first().minutes
    meeting = Meeting.objects.order_by("-date").first()
    report = Report.objects.order_by("pk").first()
    paragraph = protocol.paragraphs.order_by("number")[7]

    def url(name, *args):
        return reverse(name, args=args)

    return [
        Page("Översikt (dashboard)", url("dashboard")),
        Page("Insatser, lista", url("projects:index")),
        Page("Insatser, filtrerad", url("projects:index") + "?status=pagaende&q=bench"),
        Page("Ansökningar, inkorg", url("projects:inbox")),
        Page("Insats, översikt", url("projects:detail", project.pk)),
        Page("Insats, ansökningar", url("projects:applications", granted.pk)),
        Page("Insats, mål", url("projects:goals", project.pk)),
        Page("Insats, dokument", url("projects:documents", project.pk)),
        Page("Insats, historik", url("projects:history", project.pk)),
        Page("Insats, rapportkrav", url("projects:obligations", granted.pk)),
        Page("Insats, rekvisitioner", url("projects:payment_requests_of", granted.pk)),
        Page("Insats, budget", url("projects:budget", project.pk)),
        Page("Ansökan", url("projects:application", application.pk)),
        Page("Ansökan, avsnitt Metod", url("projects:application_section", draft.pk, "metod")),
        Page("Ansökan, avsnitt Budget", url("projects:application_section", draft.pk, "budget")),
        Page("Ekonomi, förbundets år", url("projects:federation_year", year)),
        Page("Deltagare, lista (alla)", url("participants:index")),
        Page("Deltagare, alla avslutade", url("participants:index") + "?visa=avslutade"),
        Page("Deltagare, ett deltagande", url("participants:detail", participation.pk)),
        Page(
            "Deltagarstatistik (år, alla)",
            url("participants:statistics") + f"?fran={year - 1}-01-01&till={year - 1}-12-31",
        ),
        Page("Styrelsen, sammanträden", url("board:index")),
        Page("Sammanträde", url("board:meeting", meeting.pk)),
        Page("Protokoll, 40 §§ (utkast)", url("board:minutes", protocol.pk)),
        Page("Protokoll, en §", url("board:paragraph", paragraph.pk)),
        Page("Justering, 40 §§", url("board:justering", for_justering.pk), who="ordförande"),
        Page("Delegationsbeslut", url("board:delegation")),
        Page("Anslagstavla (publik)", url("public:notice_board")),
        Page("Protokollarkiv (publik)", url("public:archive")),
        Page("Protokoll (publik)", url("public:minutes", justerat.pk)),
        Page("Rapporter, lista", url("reports:index")),
        Page("Rapport, redigering", url("reports:detail", report.pk)),
        Page("Rapport, förhandsvisning", url("reports:preview", report.pk)),
        Page("Förbundets år i siffror", url("overview:year_current"), target=YEAR_TARGET),
        Page("Bevakning (alla som väntar)", url("projects:watch") + "?state=vantar"),
        Page("Rekvisitioner, lista", url("projects:payment_requests")),
        Page(
            "Utbetalningslista (år)",
            url("projects:payments") + f"?start={year}-01-01&end={year}-12-31",
        ),
        Page(
            "Utbetalningslista, xlsx",
            url("projects:payment_export") + f"?start={year}-01-01&end={year}-12-31",
        ),
        Page("Historik", url("administration:audit_log")),
        Page("Bakgrundsjobb", url("administration:jobs"), who="ekonomi"),
    ]


def query_counts(pages: list[Page], users: dict) -> dict[str, int]:
    """Each page's queries, counted in this process (after one warm-up)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.pages import session_for

    counts = {}
    clients = {}
    for page in pages:
        if page.who not in clients:
            client = Client()
            name, value = session_for(users[page.who]).split("=", 1)
            client.cookies[name] = value
            clients[page.who] = client
        client = clients[page.who]
        client.get(page.path)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page.path)
        if response.status_code != 200:
            raise SystemExit(f"{page.path} answered {response.status_code}")
        counts[page.path] = len(queries)
    return counts
