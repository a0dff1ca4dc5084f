"""A processledare enrols a participant with consent, logs three statuses from
the list without leaving it, and closes the participation."""

import re

import pytest
from playwright.sync_api import expect

from finsam.roles import INSATSPERSONAL
from participants.models import Participation
from projects.models import ProjectStatus, StaffRole
from tests import factories
from tests.browser.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def processledare(transactional_db):
    factories.federation()
    factories.choice_lists_exist()
    factories.member(name="Ekby kommun", kind="kommun")
    leader = factories.user(username="alva", full_name="Alva Ledare", roles=(INSATSPERSONAL,))
    factories.project(
        name="Steg för steg",
        status=ProjectStatus.RUNNING,
        staff=[(leader, StaffRole.PROCESS_LEADER)],
    )
    return leader


def field(page, label):
    return page.get_by_label(re.compile(rf"^{re.escape(label)}:?( \*)?$"))


def test_enrol_log_three_statuses_from_the_list_and_close(
    page, live_server, processledare, screenshot, axe_violations
):
    log_in(page, live_server, processledare)
    page.goto(f"{live_server.url}/deltagare/")
    page.get_by_role("link", name="Skriv in i Steg för steg").click()
    expect(
        page.get_by_role("heading", name="Skriv in en deltagare i Steg för steg")
    ).to_be_visible()
    assert axe_violations() == []

    page.get_by_label("Ja, samtycke finns").check()
    field(page, "Datum för samtycket").fill("2026-11-02")
    field(page, "Skriftligt samtycke har tagits emot").check()
    page.get_by_label("Man", exact=True).check()
    field(page, "Startdatum i insatsen").fill("2026-11-02")
    field(page, "Födelseår").fill("1998")
    field(page, "Kommun").select_option(label="Ekby kommun")
    page.get_by_label("Försörjningsstöd", exact=True).check()
    screenshot("deltagare-inskrivning")
    page.get_by_role("button", name="Skriv in", exact=True).click()

    expect(page.get_by_text("är inskriven i Steg för steg")).to_be_visible()
    participation = Participation.objects.get()
    code = participation.participant.code

    page.get_by_role("link", name="Deltagare", exact=True).first.click()
    row = page.locator(f"#deltagande-{participation.pk}")
    expect(row).to_contain_text(code)
    assert axe_violations() == []
    for status, day in (
        ("Kartläggning påbörjad", "2026-11-03"),
        ("Kartläggning klar", "2026-11-10"),
        ("Praktik", "2026-11-17"),
    ):
        row.get_by_label(f"Ny status för {code}").select_option(label=status)
        row.get_by_label(f"Datum för {code}").fill(day)
        row.get_by_role("button", name=f"Spara status för {code}").click()
        latest = row.locator("td").nth(3)
        expect(latest).to_contain_text(status)
        expect(latest).to_contain_text("Statusen är sparad.")
        # Focus is back on the row's status form, not lost to the page.
        expect(row.get_by_label(f"Ny status för {code}")).to_be_focused()
    screenshot("deltagare-lista-status")
    assert page.url.endswith("/deltagare/")  # never left the list
    assert participation.statuses.count() == 3

    row.get_by_role("link", name=code).click()
    expect(page.locator("ol.timeline li")).to_have_count(3)
    page.get_by_role("link", name="Avsluta deltagandet").click()
    assert axe_violations() == []
    field(page, "Slutdatum").fill("2026-11-20")
    field(page, "Avslutsorsak").select_option(label="Enligt plan")
    field(page, "Sysselsättning efter").select_option(label="Arbete")
    page.get_by_label("Lön/egen försörjning", exact=True).check()
    page.get_by_role("button", name="Avsluta deltagandet").click()

    expect(page.get_by_text("Deltagandet är avslutat.")).to_be_visible()
    assert axe_violations() == []
    screenshot("deltagare-avslutad")
    participation.refresh_from_db()
    assert participation.closed and participation.occupation_after.code == "arbete"
