"""What axe cannot see: the page at 320 CSS px (400 % zoom) never scrolls
sideways because of the header, and focus is a clear ring everywhere."""

import re

import pytest
from playwright.sync_api import expect

from finsam.roles import EKONOMI, INSATSPERSONAL, KANSLI, STYRELSE
from tests import factories
from tests.browser.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)

LONG_NAME = "Samordningsförbundet Sjölandets Norra och Södra Kommuner"


@pytest.fixture
def everyone(transactional_db):
    """A user with every role, in a förbund with a long Swedish name."""
    factories.federation(name=LONG_NAME)
    return factories.user(
        username="allt",
        full_name="Alla Rollers Användare",
        roles=(KANSLI, INSATSPERSONAL, STYRELSE, EKONOMI),
    )


def _overflow(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_the_header_never_widens_the_page_at_320_px_nor_the_menu_at_1280(
    page, live_server, everyone
):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{live_server.url}/konto/logga-in/")
    assert _overflow(page) <= 0
    log_in(page, live_server, everyone)
    for path in ("/", "/anslagstavla/"):
        page.goto(f"{live_server.url}{path}")
        assert _overflow(page) <= 0, path

    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/")
    assert _overflow(page) <= 0
    logout = page.get_by_role("button", name="Logga ut").bounding_box()
    assert logout["x"] + logout["width"] <= 1280


def _ring(page) -> dict:
    return page.evaluate(
        """() => {
          const s = getComputedStyle(document.activeElement);
          return {tag: document.activeElement.tagName, style: s.outlineStyle,
                  width: s.outlineWidth, color: s.outlineColor, shadow: s.boxShadow};
        }"""
    )


def test_every_control_tabbed_to_shows_the_same_clear_ring(page, live_server, everyone):
    log_in(page, live_server, everyone)
    page.goto(f"{live_server.url}/insatser/")

    seen = set()
    for _ in range(25):
        page.keyboard.press("Tab")
        ring = _ring(page)
        if ring["tag"] == "BODY":
            continue
        seen.add(ring["tag"])
        # Yellow (#ffbf47) outside, black inside: one of them stands out at
        # 3:1 on the dark header, a white page and a blue button alike.
        assert ring["style"] == "solid" and ring["width"] == "3px", ring
        assert ring["color"] == "rgb(255, 191, 71)", ring
        assert "rgb(11, 12, 12)" in ring["shadow"], ring
    assert {"A", "BUTTON"} <= seen


def test_the_first_field_of_an_application_section_comes_before_the_section_list(
    page, live_server, everyone
):
    application = factories.application(factories.project(), complete=False)
    log_in(page, live_server, everyone)
    page.goto(f"{live_server.url}/insatser/ansokan/{application.pk}/grunduppgifter/")

    presses = 0
    while presses < 40 and page.evaluate("document.activeElement.name") != "title":
        page.keyboard.press("Tab")
        presses += 1
    # Skip link, the menu's links and the breadcrumbs; not the 13 sections first.
    assert page.evaluate("document.activeElement.name") == "title"
    assert presses < 20, presses


def test_a_form_that_takes_a_while_says_it_is_working_and_is_not_sent_twice(
    page, live_server, everyone
):
    log_in(page, live_server, everyone)
    page.goto(f"{live_server.url}/insatser/ny/")
    # The server is slow to answer: here, the form is held in the page, and
    # the page counts what would have been sent.
    page.evaluate(
        """() => { window.sent = 0; document.querySelector('main form[method=post]')
             .addEventListener('submit', e => { if (!e.defaultPrevented) window.sent++;
                                                e.preventDefault(); }); }"""
    )
    button = page.get_by_role("button", name="Registrera och fortsätt till ansökan")

    button.press("Enter")
    page.wait_for_timeout(1200)
    expect(page.locator(".busy-status")).to_have_text(re.compile("vänta"))
    button.press("Enter")
    assert page.evaluate("window.sent") == 1  # the second press sent nothing


def test_escape_closes_the_menu_on_a_phone_and_focus_returns_to_its_button(
    page, live_server, everyone
):
    page.set_viewport_size({"width": 390, "height": 800})
    log_in(page, live_server, everyone)
    toggler = page.get_by_role("button", name=re.compile("meny", re.I))
    toggler.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#main-menu")).to_have_class(re.compile(r"\bshow\b"))  # opened
    page.keyboard.press("Tab")

    page.keyboard.press("Escape")

    expect(page.get_by_role("link", name="Insatser")).to_be_hidden()
    expect(toggler).to_be_focused()
