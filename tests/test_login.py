import datetime as dt
import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from finsam import services
from finsam.middleware import LOGIN_AT_SESSION_KEY, RENEWED_AT_SESSION_KEY
from finsam.roles import KANSLI
from tests import factories
from tests.conftest import verified_client

LOGIN = reverse("account:login")
DASHBOARD = reverse("dashboard")


def log_in_with_password(client, username, password=factories.PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


@pytest.fixture
def staff(db, federation):
    return factories.user(username="anna", full_name="Anna Andersson", roles=(KANSLI,))


def test_the_login_page_is_swedish_and_public(db):
    response = Client().get(LOGIN)

    assert response.status_code == 200
    text = response.content.decode()
    assert '<html lang="sv">' in text
    assert "Logga in" in text and "Användarnamn" in text and "Lösenord" in text


def test_pages_send_anonymous_visitors_to_the_login_page(db):
    response = Client().get(DASHBOARD)

    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_password_then_totp_code_reaches_the_dashboard(staff):
    client = Client()
    response = log_in_with_password(client, "anna")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account:otp_verify"))

    # With only the password, the dashboard is still out of reach.
    assert client.get(DASHBOARD).url.startswith(reverse("account:otp_verify"))

    device = TOTPDevice.objects.get(user=staff)
    response = client.post(response.url, {"token": factories.totp_code(device)}, follow=True)

    assert response.redirect_chain[-1][0] == DASHBOARD
    assert "Välkommen, Anna" in response.content.decode()


def test_a_wrong_code_is_refused_with_a_swedish_message(staff):
    client = Client()
    log_in_with_password(client, "anna")

    response = client.post(reverse("account:otp_verify"), {"token": "000000"})

    assert response.status_code == 200
    assert "Koden stämmer inte" in response.content.decode()
    assert client.get(DASHBOARD).status_code == 302


def test_a_wrong_password_says_so_in_swedish(staff):
    response = log_in_with_password(Client(), "anna", "fel-losenord")

    assert response.status_code == 200
    assert "Ange ett korrekt användarnamn och lösenord" in response.content.decode()


def test_a_new_user_enrols_by_qr_code_and_gets_single_use_backup_codes(db, federation):
    newcomer = factories.user(
        username="ny", full_name="Ny Person", roles=(KANSLI,), with_totp=False
    )
    client = Client()
    response = log_in_with_password(client, "ny")
    assert response.url.startswith(reverse("account:otp_setup"))

    page = client.get(reverse("account:otp_setup"))
    assert 'src="data:image/svg+xml;base64,' in page.content.decode()
    device = TOTPDevice.objects.get(user=newcomer, confirmed=False)

    shown = client.post(reverse("account:otp_setup"), {"token": factories.totp_code(device)})

    device.refresh_from_db()
    assert device.confirmed
    codes = list(StaticToken.objects.filter(device__user=newcomer).values_list("token", flat=True))
    assert len(codes) == 10
    assert all(code in shown.content.decode() for code in codes)
    assert client.get(DASHBOARD).status_code == 200

    # A backup code works once, and only once.
    again = Client()
    log_in_with_password(again, "ny")
    response = again.post(reverse("account:otp_verify"), {"token": codes[0]})
    assert response.status_code == 302 and again.get(DASHBOARD).status_code == 200
    third = Client()
    log_in_with_password(third, "ny")
    response = third.post(reverse("account:otp_verify"), {"token": codes[0]})
    assert response.status_code == 200 and "Koden stämmer inte" in response.content.decode()


def test_repeated_failures_lock_the_account_with_a_swedish_message(staff):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in_with_password(client, "anna", "fel-losenord")

    response = log_in_with_password(client, "anna")  # even the right password

    assert response.status_code == 429
    assert "Inloggningen är tillfälligt spärrad" in response.content.decode()
    assert client.get(DASHBOARD).status_code == 302


def test_deactivating_a_user_ends_their_sessions_at_once(staff, persona_users):
    client = verified_client(staff)
    assert client.get(DASHBOARD).status_code == 200

    services.user_deactivate(actor=persona_users["admin"], user=staff)

    assert client.get(DASHBOARD).status_code == 302
    assert not [
        s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(staff.pk)
    ]


def test_a_deactivated_user_cannot_log_in_again(staff, persona_users):
    services.user_deactivate(actor=persona_users["admin"], user=staff)

    response = log_in_with_password(Client(), "anna")

    assert response.status_code == 200  # the form again, not a redirect onwards


def test_a_session_ends_after_the_absolute_limit_even_when_active(staff):
    client = verified_client(staff)
    session = client.session
    session[LOGIN_AT_SESSION_KEY] = int(time.time()) - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()

    response = client.get(DASHBOARD, follow=True)

    assert response.redirect_chain[-1][0] == LOGIN
    assert "har loggats ut" in response.content.decode()


def _expiry(client) -> dt.datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_an_idle_session_expires_and_activity_renews_it_at_most_once_a_minute(staff):
    assert 0 < settings.SESSION_COOKIE_AGE <= 60 * 60
    client = verified_client(staff)
    session = client.session
    session[RENEWED_AT_SESSION_KEY] = int(time.time()) - settings.SESSION_RENEW_SECONDS
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5)
    )

    client.get(DASHBOARD)  # a minute since the last renewal: the idle time starts again
    renewed = _expiry(client)
    client.get(DASHBOARD)  # within the minute: the session row is not written again

    assert renewed > dt.datetime.now(dt.UTC) + dt.timedelta(
        seconds=settings.SESSION_COOKIE_AGE - 60
    )
    assert _expiry(client) == renewed
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    )
    assert client.get(DASHBOARD).url.startswith(LOGIN)  # idle past the limit: logged out


def test_a_sensitive_act_asks_for_the_second_factor_again(staff):
    client = verified_client(staff, recent=False)
    target = reverse("account:backup_codes")

    response = client.get(target)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account:recheck"))

    device = TOTPDevice.objects.get(user=staff)
    response = client.post(
        reverse("account:recheck"), {"token": factories.totp_code(device), "next": target}
    )
    assert response.status_code == 302 and response.url == target
    assert client.get(target).status_code == 200


def test_password_reset_sends_a_swedish_email_with_a_working_link(staff):
    client = Client()
    client.post(reverse("account:password_reset"), {"email": staff.email})

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Återställ ditt lösenord i Finsam"
    link = next(line for line in message.body.splitlines() if "/konto/aterstall-losenord/" in line)
    # The link points at the site's address (SITE_URL), as every mail's links do.
    assert link.startswith(settings.SITE_URL)
    path = link[len(settings.SITE_URL) :]
    form_page = client.get(path, follow=True)
    assert "Välj nytt lösenord" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "ett-helt-nytt-losenord-7", "new_password2": "ett-helt-nytt-losenord-7"},
    )
    assert done.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password("ett-helt-nytt-losenord-7")


def test_logging_out_ends_the_session(staff):
    client = verified_client(staff)

    client.post(reverse("account:logout"))

    assert client.get(DASHBOARD).status_code == 302


# --- Attacks that go around the per-username-and-address lock ------------------


def _from(address, *, forwarded=None):
    extra = {"REMOTE_ADDR": address}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return Client(**extra)


def test_one_username_tried_from_many_addresses_is_slowed_more_and_more(staff):
    for n in range(settings.FINSAM_LOGIN_FREE_FAILURES):
        log_in_with_password(_from(f"198.51.100.{n + 1}"), "anna", "fel-losenord")

    slowed = log_in_with_password(_from("198.51.100.99"), "anna", "fel-losenord")
    first_wait = int(slowed["Retry-After"])

    assert slowed.status_code == 429
    assert "Vänta" in slowed.content.decode() and "sekunder" in slowed.content.decode()
    # Every further failure doubles the wait (here pretended past, to fail once more).
    from axes.models import AccessAttempt
    from django.utils import timezone

    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(seconds=first_wait))
    log_in_with_password(_from("198.51.100.100"), "anna", "fel-losenord")
    again = log_in_with_password(_from("198.51.100.101"), "anna", "fel-losenord")
    assert again.status_code == 429 and int(again["Retry-After"]) == 2 * first_wait


def test_many_usernames_tried_from_one_address_lock_that_address(staff):
    attacker = _from("203.0.113.7")
    for n in range(settings.FINSAM_LOGIN_IP_FAILURE_LIMIT):
        log_in_with_password(attacker, f"gissning{n}", "fel-losenord")

    blocked = log_in_with_password(attacker, "anna")  # even the right password
    colleague = log_in_with_password(_from("192.0.2.10"), "anna")

    assert blocked.status_code == 429
    assert colleague.status_code == 302


def test_x_forwarded_for_is_believed_only_from_a_trusted_proxy(staff, settings):
    from axes.models import AccessAttempt

    settings.FINSAM_TRUSTED_PROXIES = ["10.0.0.0/8"]
    log_in_with_password(_from("10.0.0.2", forwarded="203.0.113.50"), "anna", "fel")
    log_in_with_password(_from("198.51.100.3", forwarded="203.0.113.51"), "anna", "fel")

    addresses = set(AccessAttempt.objects.values_list("ip_address", flat=True))
    assert addresses == {"203.0.113.50", "198.51.100.3"}
