"""The five everyday tasks done with the keyboard alone: Tab, Shift+Tab,
Enter, Space and the arrow keys. No click, no fill() on a located element."""

import datetime as dt
import io

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from finsam.roles import EKONOMI, INSATSPERSONAL, KANSLI
from participants.models import StatusEntry
from projects.models import ProjectStatus, StaffRole
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def tab_to(page, css: str, *, limit: int = 80) -> int:
    """Press Tab until the focused element matches ``css``; how many presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("(css) => document.activeElement.matches(css)", css):
            return presses
    raise AssertionError(f"{css} was not reached in {limit} Tabs")


def focused(page) -> str:
    return page.evaluate("document.activeElement.id || document.activeElement.name || ''")


def log_in_by_keyboard(page, live_server, user, *, offset_steps: int = 0):
    page.goto(f"{live_server.url}/konto/logga-in/")
    tab_to(page, "#id_username")
    page.keyboard.type(user.username)
    page.keyboard.press("Tab")
    page.keyboard.type(factories.PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Tvåstegsverifiering")).to_be_visible()
    # The code field has focus when the page opens.
    assert focused(page) == "id_token"
    code = factories.totp_code(user.totpdevice_set.get(), offset_steps=offset_steps)
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()


def test_logging_in_with_password_and_one_time_code(page, live_server, transactional_db):
    factories.federation()
    user = factories.user(username="kim", full_name="Kim Kansli", roles=(KANSLI,))

    log_in_by_keyboard(page, live_server, user)

    expect(page.get_by_role("heading", name="Välkommen, Kim")).to_be_visible()


def test_logging_a_status_from_the_participant_list(page, live_server, transactional_db):
    factories.federation()
    factories.choice_lists_exist()
    leader = factories.user(username="alva", full_name="Alva Ledare", roles=(INSATSPERSONAL,))
    project = factories.project(
        status=ProjectStatus.RUNNING, staff=[(leader, StaffRole.PROCESS_LEADER)]
    )
    participation = factories.participation(project, leader)
    log_in_by_keyboard(page, live_server, leader)
    page.goto(f"{live_server.url}/deltagare/")

    tab_to(page, f"#kind-{participation.pk}")
    page.keyboard.press("ArrowDown")  # the first status in the list
    # Past the date (today, as it stands; Tab steps through its parts).
    tab_to(page, f"#note-{participation.pk}")
    page.keyboard.type("Första träffen")
    tab_to(page, f"#deltagande-{participation.pk} button[type=submit]")
    page.keyboard.press("Enter")

    row = page.locator(f"#deltagande-{participation.pk}")
    expect(row.get_by_text("Statusen är sparad.")).to_be_visible()
    # Focus is back in the row's form, ready for the next status.
    expect(page.locator(f"#kind-{participation.pk}")).to_be_focused()
    entry = StatusEntry.objects.get(participation=participation)
    assert entry.note == "Första träffen"
    assert entry.date == timezone.localdate()


def test_filling_in_an_application_section(page, live_server, transactional_db):
    factories.federation()
    factories.cost_categories_exist()
    samordnare = factories.user(username="tove", full_name="Tove Samordnare", roles=(KANSLI,))
    application = factories.application(factories.project(), complete=False)
    log_in_by_keyboard(page, live_server, samordnare)
    page.goto(f"{live_server.url}/insatser/ansokan/{application.pk}/bakgrund/")

    tab_to(page, "textarea")
    page.keyboard.press("Control+A")
    page.keyboard.type("Unga vuxna i kommunen står långt från arbetsmarknaden.")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Målgrupp och urval")).to_be_visible()
    application.refresh_from_db()
    assert application.background == "Unga vuxna i kommunen står långt från arbetsmarknaden."


def test_justering_of_a_protocol(page, live_server, transactional_db):
    factories.federation()
    secretary = factories.user(username="sekr", full_name="Siri Sekreterare", roles=(KANSLI,))
    seats = factories.board()
    chair, verifier = seats[0].user, seats[1].user
    minutes = factories.minutes(actor=secretary, date=timezone.localdate() - dt.timedelta(days=1))
    factories.ready_for_justering(secretary, minutes, chair, verifier)
    log_in_by_keyboard(page, live_server, chair)
    page.goto(f"{live_server.url}/styrelsen/justera/{minutes.pk}/")

    tab_to(page, "#id_password")
    page.keyboard.type(factories.PASSWORD)
    page.keyboard.press("Tab")
    # The login used this 30-second step's code; the next one is accepted too.
    page.keyboard.type(factories.totp_code(chair.totpdevice_set.get(), offset_steps=1))
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")

    expect(page.get_by_text("Din signatur är registrerad.")).to_be_visible()
    assert minutes.signatures.filter(signer__user=chair).exists()


def test_downloading_an_excel_export(page, live_server, transactional_db):
    factories.federation()
    factories.cost_categories_exist()
    economist = factories.user(username="eva", full_name="Eva Ekonomi", roles=(EKONOMI,))
    project = factories.project(status=ProjectStatus.RUNNING)
    log_in_by_keyboard(page, live_server, economist)
    page.goto(f"{live_server.url}/insatser/{project.pk}/budget/")

    tab_to(page, "a[href$='/budget/export/']")
    with page.expect_download() as download:
        page.keyboard.press("Enter")

    workbook = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert workbook.sheetnames  # a real workbook, with its sheets
    assert download.value.suggested_filename.endswith(".xlsx")
