"""Money after a grant: the processledare requests a quarter's advance, the
kansli sakgranskar, the ekonom attesterar and registers the payment, and the
budget page shows it paid. Bevakning and the pages on the way are axe-clean."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from finsam.roles import EKONOMI, INSATSPERSONAL, KANSLI
from projects import services
from projects.models import Decision, PaymentRequest, RequestStatus, StaffRole
from tests import factories
from tests.browser.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)

YEAR = dt.date.today().year


@pytest.fixture
def people(transactional_db):
    factories.federation()
    factories.cost_categories_exist()
    return {
        "leader": factories.user(
            username="pia", full_name="Pia Processledare", roles=(INSATSPERSONAL,)
        ),
        "kansli": factories.user(username="kai", full_name="Kai Kansli", roles=(KANSLI,)),
        "economist": factories.user(username="ella", full_name="Ella Ekonom", roles=(EKONOMI,)),
    }


@pytest.fixture
def insats(people):
    project = factories.project(
        start_date=dt.date(YEAR, 1, 1),
        end_date=dt.date(YEAR, 12, 31),
        staff=[(people["leader"], StaffRole.PROCESS_LEADER)],
    )
    application = factories.ready_application(project, budget={YEAR: 400_000})
    services.application_decide(
        actor=people["kansli"],
        application=application,
        decision=Decision.GRANT,
        decided_on=dt.date.today(),
    )
    return project


def test_a_quarter_is_requested_attested_approved_paid_and_shown_on_the_budget(
    browser, live_server, people, insats, axe_violations, screenshot
):
    def as_(user):
        context = browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
        page = context.new_page()
        log_in(page, live_server, user)
        return page

    page = as_(people["leader"])
    page.goto(f"{live_server.url}/insatser/{insats.pk}/rekvisitioner/")
    expect(page.get_by_role("heading", name="Rekvirera medel")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Förskott").check()
    page.get_by_label(re.compile("^Från och med månad")).fill(f"{YEAR}-04")
    page.get_by_label(re.compile("^Till och med månad")).fill(f"{YEAR}-06")
    page.get_by_label(re.compile(r"^Belopp \(kr\)")).fill("100 000")
    page.get_by_role("button", name="Skicka rekvisitionen").click()
    expect(page.get_by_text("skickad till kansliet för sakgranskning")).to_be_visible()
    assert axe_violations(page) == []
    request = PaymentRequest.objects.get()
    page.context.close()

    page = as_(people["kansli"])
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="1 väntar på din sakgranskning").click()
    assert axe_violations(page) == []
    page.get_by_role("link", name=f"{YEAR}-04 – {YEAR}-06").click()
    page.get_by_role("button", name="Sakgranskad, skicka för attest").click()
    expect(page.get_by_text("väntar på attest")).to_be_visible()
    page.goto(f"{live_server.url}/insatser/bevakning/")
    assert axe_violations(page) == []
    page.context.close()

    page = as_(people["economist"])
    page.goto(f"{live_server.url}{request.get_absolute_url()}")
    page.get_by_role("button", name="Attestera för utbetalning").click()
    expect(page.get_by_role("heading", name="Registrera utbetalningen")).to_be_visible()
    page.get_by_label(re.compile("^Utbetalningsdag")).fill(dt.date.today().isoformat())
    page.get_by_role("button", name="Registrera utbetalning").click()
    expect(page.get_by_text("Utbetalningen är registrerad.")).to_be_visible()
    screenshot("rekvisition-utbetald", on=page)
    page.goto(f"{live_server.url}/insatser/utbetalningar/")
    expect(page.get_by_role("cell", name="100 000 kr").first).to_be_visible()
    assert axe_violations(page) == []

    page.goto(f"{live_server.url}/insatser/{insats.pk}/budget/")
    row = page.get_by_role("row", name=re.compile(f"^{YEAR}"))
    expect(row.first).to_contain_text("100 000 kr")
    expect(row.first).to_contain_text("300 000 kr")  # kvar att rekvirera
    screenshot("budget-med-utbetalt", on=page)
    page.context.close()

    request.refresh_from_db()
    assert request.status == RequestStatus.PAID
    assert request.payment.amount == Decimal(100_000)
