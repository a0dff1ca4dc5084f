"""A processledare writes a slutrapport in the browser (autosave), hands it
in, the kansli approves it and downloads the PDF."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from finsam.roles import INSATSPERSONAL, KANSLI
from projects.models import ApplicationStatus, GrantedAmount, ProjectStatus, StaffRole
from reports.models import Report, ReportStatus
from reports.sections import sections_for
from tests import factories
from tests.browser.helpers import confirm_next, log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def people(transactional_db):
    factories.federation()
    factories.cost_categories_exist()
    leader = factories.user(username="pl", full_name="Pia Processledare", roles=(INSATSPERSONAL,))
    kansli = factories.user(username="kans", full_name="Kalle Kansli", roles=(KANSLI,))
    project = factories.project(
        name="Vägen framåt",
        status=ProjectStatus.RUNNING,
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2025, 12, 31),
        staff=[(leader, StaffRole.PROCESS_LEADER)],
    )
    application = factories.application(
        project, status=ApplicationStatus.GRANTED, decided_on=dt.date(2024, 12, 5)
    )
    GrantedAmount.objects.create(application=application, year=2025, amount=300_000)
    for n in range(8):
        participation = factories.participation(
            project, leader, sex="kvinna" if n % 2 else "man", start=dt.date(2025, 2, 3 + n)
        )
        factories.close(participation, leader, end=dt.date(2025, 10, 1), after="arbete")
    project.status = ProjectStatus.FINISHED  # the insats has ended
    project.save(update_fields=["status"])
    return {"leader": leader, "kansli": kansli, "project": project}


def test_a_slutrapport_is_written_approved_and_downloaded(
    page, live_server, people, screenshot, axe_violations
):
    leader, kansli, project = people["leader"], people["kansli"], people["project"]

    log_in(page, live_server, leader)
    page.goto(f"{live_server.url}/rapporter/")
    page.get_by_role("link", name="Ny rapport").click()
    page.get_by_label("Insats").select_option(label=str(project))
    page.get_by_label("Typ av rapport").select_option(label="Slutrapport")
    page.get_by_role("button", name="Skapa rapporten").click()
    expect(page.get_by_text("Rapporten är skapad.")).to_be_visible()
    report = Report.objects.get(project=project)
    assert (report.period_start, report.period_end) == (project.start_date, project.end_date)

    # Every heading's text saves itself while the processledare writes.
    for heading in sections_for(report):
        box = page.locator(f"#text-{heading.key}")
        box.fill(f"Om {heading.heading.lower()} i insatsen.")
        expect(page.locator(f"#saved-{heading.key}")).to_contain_text("Sparat")
    goal = report.project.applications.get().goals.get()
    page.locator(f"#id_mal-{goal.pk}-value").fill("55")
    page.get_by_role("button", name="Spara utfallet").click()
    expect(page.get_by_text("Utfallet är sparat.")).to_be_visible()
    screenshot("rapport-editor")
    violations = axe_violations()
    assert violations == [], violations

    asked = confirm_next(page)
    page.get_by_role("button", name="Lämna in rapporten").click()
    assert asked
    expect(page.get_by_text("Rapporten är inlämnad.")).to_be_visible()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.figures["participants"]["totals"]["persons"] == 8
    page.get_by_role("button", name="Logga ut").click()

    log_in(page, live_server, kansli)
    page.goto(f"{live_server.url}/rapporter/")
    page.get_by_role("link", name=re.compile("Slutrapport Vägen framåt")).first.click()
    asked = confirm_next(page)
    page.get_by_role("button", name="Godkänn rapporten").click()
    assert asked
    expect(page.get_by_text("Rapporten är godkänd.")).to_be_visible()
    # The PDF is made off the request; its page says so and offers the file.
    page.get_by_role("button", name="Skapa PDF").click()
    expect(page.locator("#rendering-status")).to_contain_text("Filen är klar")
    screenshot("rapport-pdf-klar")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"Ladda ner .*\.pdf")).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    assert open(download.path(), "rb").read(5) == b"%PDF-"
    screenshot("rapport-godkand")
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
