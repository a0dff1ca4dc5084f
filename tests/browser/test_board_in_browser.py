"""The secretary writes a protocol with an application decision, the ordförande
and the justerare sign it, and the anslag appears on the public board."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from board import rules
from finsam.roles import KANSLI
from projects.models import Application, ApplicationStatus
from tests import factories
from tests.browser.helpers import confirm_next, log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def people(transactional_db):
    factories.federation()
    factories.cost_categories_exist()
    secretary = factories.user(username="sekr", full_name="Siri Sekreterare", roles=(KANSLI,))
    seats = factories.board()
    application = factories.ready_application()
    meeting = factories.meeting(actor=secretary, date=timezone.localdate() - dt.timedelta(days=2))
    return {
        "secretary": secretary,
        "chair": seats[0].user,
        "verifier": seats[1].user,
        "application": application,
        "meeting": meeting,
    }


def log_out(page):
    page.get_by_role("button", name="Logga ut").click()


def sign(page, live_server, user, minutes_url):
    log_in(page, live_server, user)
    page.goto(minutes_url)
    page.locator("#id_password").fill(factories.PASSWORD)
    # The login used this 30-second step's code; the next one is accepted too.
    device = user.totpdevice_set.get()
    page.get_by_role("textbox", name="Engångskod").fill(factories.totp_code(device, offset_steps=1))
    page.get_by_role("button", name="Signera protokollet").click()


def test_a_protocol_is_written_justerat_and_posted(
    page, live_server, people, screenshot, axe_violations
):
    secretary, chair, verifier = people["secretary"], people["chair"], people["verifier"]
    application = people["application"]

    log_in(page, live_server, secretary)
    page.goto(f"{live_server.url}{people['meeting'].get_absolute_url()}")
    page.get_by_role("button", name="Skriv protokoll").click()
    expect(page.get_by_text("Protokollet är påbörjat")).to_be_visible()

    page.locator("#id_chair").select_option(label=chair.full_name)
    page.get_by_role("group", name="Justerare").get_by_label(verifier.full_name).check()
    page.locator("#justerare").locator("..").get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Ordförande och justerare är sparade.")).to_be_visible()

    page.get_by_role("link", name=re.compile(r"^Skriv i § 5$")).click()
    page.get_by_label(re.compile("^Typ av beslut")).select_option(label="Bevilja")
    page.get_by_label(re.compile("^Beslut")).fill(
        "Styrelsen beslutar att bevilja ansökan för hela perioden."
    )
    page.get_by_role("button", name="Spara paragrafen").click()
    expect(page.get_by_text("§ 5 är sparad.")).to_be_visible()
    minutes_page = page.url
    page.goto(f"{live_server.url}{application.get_absolute_url()}")
    expect(page.locator(".badge", has_text="Beviljad")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Styrelsen \d{4}-\d\d-\d\d § 5")).first).to_be_visible()
    page.goto(minutes_page)
    asked = confirm_next(page)
    page.get_by_role("button", name="Skicka för justering").click()
    assert asked
    expect(page.get_by_text("Protokollet är skickat för justering.")).to_be_visible()
    screenshot("protokoll-for-justering")
    minutes_url = minutes_page.split("#")[0].replace("/protokoll/", "/justera/")
    log_out(page)

    sign(page, live_server, chair, minutes_url)
    expect(page.get_by_text("Din signatur är registrerad.")).to_be_visible()
    assert axe_violations() == []
    log_out(page)

    sign(page, live_server, verifier, minutes_url)
    expect(page.get_by_text("Protokollet är justerat och anslaget är uppsatt.")).to_be_visible()
    screenshot("justering-klar")
    assert axe_violations() == []
    log_out(page)

    page.goto(f"{live_server.url}/anslagstavla/")
    today = timezone.localdate()
    board = page.locator(".posting")
    expect(board).to_contain_text(today.isoformat())
    expect(board).to_contain_text(rules.appeal_last_day(today).isoformat())
    expect(board).to_contain_text(rules.posting_taken_down_on(today).isoformat())
    expect(board).to_contain_text("§ 1–")
    screenshot("anslagstavla")
    assert axe_violations() == []

    application.refresh_from_db()
    assert application.status == ApplicationStatus.GRANTED
    assert Application.objects.get(pk=application.pk).decision_paragraph.number == 5
