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
