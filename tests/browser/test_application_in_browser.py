"""A förbundssamordnare writes a new application from nothing to inlämnad."""

import re

import pytest
from playwright.sync_api import expect

from finsam.roles import KANSLI
from projects.models import Application, ApplicationStatus
from tests import factories
from tests.browser.helpers import confirm_next, log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def samordnare(transactional_db):
    factories.federation()
    factories.cost_categories_exist()
    factories.member(name="Ekby kommun")
    factories.member(name="Region Testland", kind="region")
    return factories.user(username="tove", full_name="Tove Samordnare", roles=(KANSLI,))


def field(page, label):
    """The form field labelled ``label`` (Django adds a colon to labels)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}:?( \*)?$"))


def fill_section(page, heading, fields):
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    for label, value in fields.items():
        field(page, label).fill(value)
    page.get_by_role("button", name="Spara och fortsätt").click()


def test_a_new_application_is_filled_in_submitted_and_reaches_the_inbox(
    page, live_server, samordnare, screenshot, axe_violations
):
    log_in(page, live_server, samordnare)
    page.goto(f"{live_server.url}/insatser/ny/")
    assert axe_violations() == []

    field(page, "Namn").fill("Steg för steg")
    page.get_by_label("Individinriktad").check()
    field(page, "Form").select_option(label="Projekt")
    field(page, "Huvudman").select_option(label="Ekby kommun")
    page.get_by_label("Region Testland").check()
    field(page, "Kontaktperson").fill("Kim Kontakt")
    field(page, "Startdatum").fill("2027-01-01")
    field(page, "Slutdatum").fill("2027-12-31")
    screenshot("insats-registrering")
    page.get_by_role("button", name="Registrera och fortsätt till ansökan").click()

    expect(page.get_by_text("är registrerad")).to_be_visible()
    page.get_by_role("link", name="Fortsätt fylla i").click()
    fill_section(page, "Grunduppgifter", {})
    fill_section(
        page,
        "Bakgrund och problembeskrivning",
        {"Bakgrund och problembeskrivning": "Många unga står utan arbete."},
    )
    fill_section(page, "Målgrupp och urval", {"Målgrupp och urval": "Unga vuxna 18–29 år."})
    assert axe_violations() == []
    fill_section(page, "Syfte", {"Syfte": "Fler i arbete eller studier."})

    expect(page.get_by_role("heading", name="Mål", exact=True)).to_be_visible()
    field(page, "Mål (mätbart)").fill("60 % får praktikplats minst 3 månader")
    field(page, "Indikator").fill("Andel deltagare med praktik")
    field(page, "Målvärde").fill("60")
    field(page, "Enhet").select_option(label="procent")
    page.get_by_role("button", name="Lägg till").click()
    expect(page.locator("strong", has_text="60 % får praktikplats minst 3 månader")).to_be_visible()

    page.goto(f"{live_server.url}{page.url.rsplit('/', 2)[0].split(live_server.url)[1]}/metod/")
    fill_section(
        page, "Metod och aktiviteter", {"Metod och aktiviteter": "Kartläggning och praktik."}
    )
    fill_section(page, "Organisation", {"Styrgrupp": "Enhetscheferna."})

    page.goto(page.url.replace("/tidsplan/", "/budget/"))
    expect(page.get_by_role("heading", name="Budget", exact=True)).to_be_visible()
    field(page, "Kostnadsslag").select_option(label="Personal")
    field(page, "Månadskostnad (kr)").fill("22000")
    field(page, "Antal månader").fill("9")
    field(page, "Påslag (%)").fill("1,2")
    field(page, "Personalomkostnadspålägg (%)").fill("42,8")
    assert axe_violations() == []
    screenshot("ansokan-budget")
    page.get_by_role("button", name="Lägg till").click()
    expect(page.get_by_text("= 286\xa0137\xa0kr")).to_be_visible()

    page.goto(page.url.replace("/budget/", "/uppfoljning/"))
    fill_section(
        page, "Uppföljning och utvärdering", {"Uppföljning och utvärdering": "Tertialvis."}
    )
    fill_section(
        page,
        "Implementering i ordinarie verksamhet",
        {"Implementering i ordinarie verksamhet": "Förs in i ordinarie samverkan."},
    )
    page.get_by_role("link", name="Till ansökans sammanfattning och inlämning").click()
    asked = confirm_next(page)
    page.get_by_role("button", name="Lämna in ansökan").click()
    assert asked

    expect(page.get_by_text("Ansökan är inlämnad till förbundets kansli.")).to_be_visible()
    assert Application.objects.get().status == ApplicationStatus.SUBMITTED
    page.goto(f"{live_server.url}/insatser/inkorg/")
    row = page.get_by_role("row").filter(has_text="Steg för steg")
    expect(row).to_contain_text("Inlämnad")
    expect(row).to_contain_text("286\xa0137\xa0kr")
    screenshot("inkorg")
    assert axe_violations() == []
