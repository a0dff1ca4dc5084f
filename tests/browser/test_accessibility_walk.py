"""WCAG 2.1 AA on the demo, as each persona sees it: axe-core, reflow at
320 CSS px (400 % zoom) and a visible focus ring on every control, at 1280
and 320 px, and each form's error state.

``make test`` checks a fixed sample of pages (the ones each persona works
in every day); ``make a11y`` walks every page each persona can reach by
links (see ``walk.py``). Both start from ``seed_demo``.
"""

import pytest
from django.conf import settings
from django.core.management import call_command

from board.models import Minutes, MinutesStatus, Paragraph, Posting
from finsam.models import User
from participants.models import Participation
from projects.models import (
    Application,
    BudgetLine,
    PaymentRequest,
    Project,
    ReportObligation,
    RequestStatus,
)
from reports.models import Report
from tests.browser import walk
from tests.conftest import verified_client

pytestmark = pytest.mark.django_db(transaction=True)

# The demo's logins, one per kind of user (samordnare is kansli too).
PERSONAS = ("anonymous", "kansli", "processledare", "ekonomi", "ledamot", "admin")
STARTS = {
    "anonymous": ["/konto/logga-in/", "/anslagstavla/", "/tillganglighet/"],
}


@pytest.fixture
def demo(transactional_db, django_db_blocker):
    call_command("seed_demo", verbosity=0)


def _as(browser, live_server, persona: str):
    context = browser.new_context(
        locale="sv-SE", timezone_id="Europe/Stockholm", viewport={"width": 1280, "height": 800}
    )
    walk.prepare(context)
    if persona != "anonymous":
        client = verified_client(User.objects.get(username=persona))
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
    return context


def _sample() -> dict[str, list[str]]:
    """Each persona's everyday pages in the demo, and (marked ``!``) the
    forms whose error state is checked too."""
    leader = User.objects.get(username="processledare")
    participation = (
        Participation.objects.filter(project__staff__user=leader, end_date__isnull=True)
        .order_by("pk")
        .first()
    )
    application = Application.objects.order_by("-pk").first()
    report = Report.objects.filter(project=participation.project).order_by("pk").first()
    justering = Minutes.objects.filter(status=MinutesStatus.FOR_JUSTERING).first()
    protocol = Minutes.objects.order_by("-meeting__date").first()
    insats = application.project
    obligation = ReportObligation.objects.filter(status="vantar").order_by("due_date").first()
    waiting = PaymentRequest.objects.get(status=RequestStatus.REQUESTED)
    closed = Project.objects.filter(settlement__isnull=False).order_by("pk").first()
    partly = BudgetLine.objects.filter(source__status="delvis_beviljad").order_by("pk").first()
    voted = Paragraph.objects.filter(propositions__vote__isnull=False).first()
    own = Posting.objects.filter(paragraph__isnull=False).first()
    delegated = Posting.objects.filter(delegation__isnull=False).first()
    return {
        "anonymous": [
            "!/konto/logga-in/",
            "/anslagstavla/",
            "/anslagstavla/arkiv/",
            "!/anslagstavla/prenumerera/",
            own.get_absolute_url(),
            delegated.get_absolute_url(),
            f"/anslagstavla/protokoll/{voted.minutes_id}/",
        ],
        "processledare": [
            "/deltagare/",
            participation.get_absolute_url(),
            f"!/deltagare/insats/{participation.project_id}/skriv-in/",
            report.get_absolute_url(),
            f"!/insatser/{participation.project_id}/rekvisitioner/",
            f"/insatser/{participation.project_id}/rapportkrav/",
        ],
        "kansli": [
            "/",
            "/insatser/",
            insats.get_absolute_url(),
            f"/insatser/{insats.pk}/budget/",
            f"!/insatser/ansokan/{application.pk}/grunduppgifter/",
            "/deltagare/statistik/",
            protocol.get_absolute_url(),
            "/rapporter/ar/",
            "/administration/historik/",
            "!/insatser/ny/",
            "/insatser/bevakning/",
            "!" + obligation.get_absolute_url(),
            "!" + waiting.get_absolute_url(),
            f"/insatser/{closed.pk}/",
            f"/insatser/{closed.pk}/rekvisitioner/",
            f"!/insatser/{partly.project_id}/budget/fordela/{partly.year}/",
            voted.get_absolute_url(),
            "!/styrelsen/delegationsbeslut/",
        ],
        "ekonomi": [
            "/insatser/ekonomi/",
            f"/insatser/{insats.pk}/budget/",
            "/insatser/rekvisitioner/?vantar=utbetalning",
            "!" + PaymentRequest.objects.get(status=RequestStatus.APPROVED).get_absolute_url(),
            "/insatser/utbetalningar/",
        ],
        "ledamot": ["/styrelsen/"] + ([f"/styrelsen/justera/{justering.pk}/"] if justering else []),
        "admin": ["/administration/anvandare/", "!/administration/anvandare/ny/"],
    }


def _check_pages(browser, live_server, persona, paths) -> tuple[list, int]:
    found, checked = [], 0
    context = _as(browser, live_server, persona)
    page = context.new_page()
    for width in walk.WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        for path in paths:
            with_errors = path.startswith("!")
            url = live_server.url + path.lstrip("!")
            response = page.goto(url)
            assert response.ok, f"{persona} {url}: {response.status}"
            found += walk.check(page, persona, width, url)
            checked += 1
            if with_errors:
                for index in range(walk.error_forms(page)):
                    found += walk.check_error_state(page, persona, width, url, index)
                    checked += 1
    context.close()
    return found, checked


def test_the_everyday_pages_of_every_persona_pass_axe_reflow_and_focus(browser, live_server, demo):
    found, checked = [], 0
    for persona, paths in _sample().items():
        more, count = _check_pages(browser, live_server, persona, paths)
        found += more
        checked += count
    assert checked >= 50
    assert found == [], "\n".join(map(str, found))


@pytest.mark.walk
def test_every_page_each_persona_reaches_passes_axe_reflow_and_focus(browser, live_server, demo):
    found, broken, checked = [], [], 0
    for persona in PERSONAS:
        context = _as(browser, live_server, persona)
        page = context.new_page()
        paths = walk.crawl(page, live_server.url, STARTS.get(persona, ["/"]), broken)
        context.close()
        paths = [url.removeprefix(live_server.url) for url in paths]
        # Every form's error state, at both widths.
        more, count = _check_pages(browser, live_server, persona, ["!" + p for p in paths])
        found += more
        checked += count
        print(f"{persona}: {len(paths)} pages, {count} checks")  # noqa: T201 - the walk's count
    print(f"checked {checked} pages × widths, {len(found)} findings")  # noqa: T201
    assert broken == []
    assert found == [], "\n".join(map(str, found))
