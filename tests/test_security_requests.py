"""Hostile requests get an answer, never a 500 (issue 13, item 3)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("year", ["-1", "0", "10000", "99999", "2147483648", "٢٠٢٦", "x"])
def test_the_public_archive_answers_any_year_in_the_address(federation, year):
    response = Client().get(reverse("public:archive"), {"ar": year})

    assert response.status_code == 200


def test_a_login_with_a_hundred_thousand_character_username_is_refused_calmly(federation):
    response = Client().post(reverse("account:login"), {"username": "a" * 100_000, "password": "x"})

    assert response.status_code in (200, 400)


def test_a_nul_byte_in_the_report_editor_is_refused_and_nothing_is_saved(persona_users):
    from projects.models import ProjectStatus, StaffRole
    from reports.models import ReportSection
    from tests import factories
    from tests.conftest import verified_client

    writer = persona_users["processledare_a"]
    project = factories.project(
        status=ProjectStatus.RUNNING, staff=[(writer, StaffRole.PROCESS_LEADER)]
    )
    report = factories.report(project, writer, written=False)
    client = verified_client(writer)

    response = client.post(
        reverse("reports:section", args=[report.pk, "sammanfattning"]), {"body": "Text\x00mer"}
    )

    assert response.status_code == 400
    assert "otillåtet tecken" in response.content.decode()
    assert not ReportSection.objects.filter(report=report, body__contains="mer").exists()


def test_the_django_admin_view_on_site_link_for_a_table_less_content_type_is_404(personas):
    from django.contrib.contenttypes.models import ContentType

    access = ContentType.objects.get_by_natural_key("finsam", "access")

    response = personas["admin"].get(f"/django-admin/r/{access.pk}/1/")

    assert response.status_code == 404


# --- Row locks and timeouts ------------------------------------------------------


def test_web_requests_run_with_a_statement_and_a_lock_timeout(db):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        statement = cursor.fetchone()[0]
        cursor.execute("SHOW lock_timeout")
        lock = cursor.fetchone()[0]

    assert (statement, lock) == ("25s", "5s")


@pytest.fixture
def report_locked_elsewhere(transactional_db, settings):
    """A draft report whose row another connection holds FOR UPDATE."""
    import threading

    import psycopg
    from django.db import connection

    from finsam.roles import EKONOMI, INSATSPERSONAL, KANSLI
    from projects.models import ProjectStatus, StaffRole
    from tests import factories

    factories.federation()
    writer = factories.user(username="skribent", roles=(INSATSPERSONAL,))
    other = factories.user(username="annan", roles=(INSATSPERSONAL,))
    kansli = factories.user(username="kanslist", roles=(KANSLI, EKONOMI))
    project = factories.project(
        status=ProjectStatus.RUNNING, staff=[(writer, StaffRole.PROCESS_LEADER)]
    )
    report = factories.report(project, writer)
    params = connection.get_connection_params()
    params.pop("options", None)
    held, release = threading.Event(), threading.Event()

    def hold():
        with psycopg.connect(**params) as other_connection:
            other_connection.execute(
                "SELECT id FROM reports_report WHERE id = %s FOR UPDATE", [report.pk]
            )
            held.set()
            release.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait(10)
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '300ms'")
    yield {"report": report, "writer": writer, "other": other, "kansli": kansli}
    release.set()
    thread.join()


def test_a_request_that_cannot_get_a_row_lock_is_told_to_try_again(report_locked_elsewhere):
    from reports.models import ReportStatus
    from tests.conftest import verified_client

    report = report_locked_elsewhere["report"]
    client = verified_client(report_locked_elsewhere["writer"])

    response = client.post(reverse("reports:submit", args=[report.pk]))

    assert response.status_code == 503
    assert "Försök igen om en stund" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_someone_refused_is_refused_at_once_without_waiting_for_the_lock(
    report_locked_elsewhere,
):
    from tests.conftest import verified_client

    report = report_locked_elsewhere["report"]

    response = verified_client(report_locked_elsewhere["other"]).post(
        reverse("reports:submit", args=[report.pk])
    )

    assert response.status_code in (403, 404)


# --- What the board sees, and what browsers keep ----------------------------------


def test_a_board_member_never_sees_a_meeting_whose_kallelse_was_not_sent(personas, persona_users):
    import datetime as dt

    from tests import factories

    minutes = factories.minutes(actor=persona_users["kansli"], date=dt.date(2026, 3, 12))
    meeting = minutes.meeting
    assert meeting.notice_sent_at is None

    member = personas["styrelseledamot"]
    detail = member.get(reverse("board:meeting", args=[meeting.pk]))
    calendar = member.get(reverse("board:meeting_ics", args=[meeting.pk]))
    listed = member.get(reverse("board:index")).content.decode()

    assert detail.status_code == 404 and calendar.status_code == 404
    assert reverse("board:meeting", args=[meeting.pk]) not in listed


def test_every_response_carries_a_permissions_policy(federation):
    response = Client().get(reverse("public:notice_board"))

    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_nothing_a_logged_in_user_is_shown_is_stored_by_the_browser(personas, persona_users):
    from projects.models import ProjectStatus, StaffRole
    from tests import factories

    writer = persona_users["processledare_a"]
    project = factories.project(
        status=ProjectStatus.RUNNING, staff=[(writer, StaffRole.PROCESS_LEADER)]
    )
    report = factories.report(project, writer)
    ordered = personas["processledare_a"].post(reverse("reports:pdf", args=[report.pk]))
    urls = [
        (personas["processledare_a"], reverse("reports:preview", args=[report.pk])),
        (personas["processledare_a"], ordered.url),
        (personas["processledare_a"], ordered.url + "ladda-ner/"),
        (personas["ekonomi"], reverse("overview:year_xlsx", args=[2026])),
        (personas["kansli"], reverse("dashboard")),
    ]
    for client, url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
