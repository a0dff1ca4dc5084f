"""Steps several browser tests share."""

from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests import factories


def log_in(page, live_server, user):
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(user.username)
    page.get_by_label("Lösenord").fill(factories.PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", name="Tvåstegsverifiering")).to_be_visible()
    device = TOTPDevice.objects.get(user=user)
    page.get_by_label("Engångskod").fill(factories.totp_code(device))
    page.get_by_role("button", name="Fortsätt").click()


def confirm_next(page) -> list[str]:
    """Accept the next confirmation the page asks; the list gets its question,
    so a test can assert that it was asked at all."""
    asked: list[str] = []

    def accept(dialog):
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    return asked
