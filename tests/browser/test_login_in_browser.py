import re

import pytest
from playwright.sync_api import expect

from finsam.roles import KANSLI
from tests import factories
from tests.browser.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def kansli_user(transactional_db):
    factories.federation()
    return factories.user(username="birgitta", full_name="Birgitta Bok", roles=(KANSLI,))


def test_a_kansli_user_logs_in_with_password_and_totp_and_sees_the_dashboard(
    page, live_server, kansli_user, screenshot
):
    csp_errors = []
    page.on(
        "console",
        lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None,
    )

    log_in(page, live_server, kansli_user)

    expect(page.get_by_role("heading", name="Välkommen, Birgitta")).to_be_visible()
    expect(page.get_by_role("navigation", name="Huvudmeny")).to_contain_text("Administration")
    assert screenshot("dashboard").stat().st_size > 10_000
    assert csp_errors == []


def test_a_wrong_code_keeps_the_user_out(page, live_server, kansli_user):
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill("birgitta")
    page.get_by_label("Lösenord").fill(factories.PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.get_by_label("Engångskod").fill("000000")
    page.get_by_role("button", name="Fortsätt").click()

    # The error summary takes focus and links to the code field.
    expect(page.locator(".error-summary")).to_be_focused()
    expect(
        page.get_by_role("link", name=re.compile("^Engångskod: Koden stämmer inte"))
    ).to_be_visible()
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/konto/verifiera/"))


def test_the_login_page_has_no_accessibility_violations(
    page, live_server, screenshot, axe_violations, transactional_db
):
    factories.federation()
    page.goto(f"{live_server.url}/konto/logga-in/")
    screenshot("login")

    assert axe_violations() == []


def test_the_dashboard_has_no_accessibility_violations(
    page, live_server, kansli_user, axe_violations
):
    log_in(page, live_server, kansli_user)
    expect(page.get_by_role("heading", name="Välkommen, Birgitta")).to_be_visible()

    assert axe_violations() == []


def test_the_two_factor_pages_have_no_accessibility_violations(
    page, live_server, axe_violations, screenshot, transactional_db
):
    factories.federation()
    newcomer = factories.user(username="nykomling", roles=(KANSLI,), with_totp=False)
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(newcomer.username)
    page.get_by_label("Lösenord").fill(factories.PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", name="Aktivera tvåstegsverifiering")).to_be_visible()
    screenshot("otp-setup")

    assert axe_violations() == []
