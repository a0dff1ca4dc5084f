"""The Insatser screens as the kansli, processledare and ekonomi use them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from finsam.models import AuditEntry
from projects.models import (
    Application,
    ApplicationStatus,
    Attachment,
    BudgetLine,
    CostEntry,
    Project,
    ProjectStatus,
    StaffRole,
)
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_kansli_registers_a_new_insats_and_continues_to_its_application(kansli):
    owner, partner = factories.member(name="Ågesta kommun"), factories.member()

    response = kansli.post(
        reverse("projects:create"),
        {
            "name": "Nya vägar",
            "orientation": "individinriktad",
            "form": "projekt",
            "owner": owner.pk,
            "partners": [partner.pk],
            "contact_name": "Kim Kontakt",
            "start_date": "2027-01-01",
            "end_date": "2027-12-31",
        },
    )

    application = Application.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("projects:application", args=[application.pk])
    assert application.project.reference == f"{dt.date.today().year}/1"


def test_registering_without_a_partner_explains_the_rule(kansli):
    owner = factories.member()
    response = kansli.post(
        reverse("projects:create"),
        {
            "name": "Ensam",
            "orientation": "individinriktad",
            "form": "projekt",
            "owner": owner.pk,
            "contact_name": "K",
            "start_date": "2027-01-01",
            "end_date": "2027-12-31",
        },
    )

    assert response.status_code == 200
    assert "Minst två av förbundets medlemmar" in response.content.decode()
    assert not Project.objects.exists()


@pytest.fixture
def draft(federation):
    return factories.application(factories.project(), complete=False)


def test_a_section_is_saved_as_a_draft_and_checked_on_its_own(kansli, draft):
    url = reverse("projects:application_section", args=[draft.pk, "grunduppgifter"])

    bad = kansli.post(
        url, {"title": "Titel", "period_start": "2027-05-01", "period_end": "2027-01-01"}
    )
    assert "Periodens slut kan inte ligga före dess början." in bad.content.decode()

    good = kansli.post(
        url, {"title": "Ny titel", "period_start": "2026-01-01", "period_end": "2026-12-31"}
    )
    assert good.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Ny titel"
    assert draft.status == ApplicationStatus.DRAFT


def test_the_registration_facts_of_a_paper_application_are_kept_and_printed(kansli, draft):
    from board.pdf import application_pdf

    url = reverse("projects:application_section", args=[draft.pk, "grunduppgifter"])
    response = kansli.post(
        url,
        {
            "title": draft.title,
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
            "received_on": "2026-02-03",
            "applicant_reference": "SN 2026/118",
            "signed_for_applicant": "Enhetschef, för styrgruppen",
        },
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.received_on == dt.date(2026, 2, 3)
    page = kansli.get(draft.get_absolute_url()).content.decode()
    for shown in ("Ankomstdatum", "2026-02-03", "SN 2026/118", "Enhetschef, för styrgruppen"):
        assert shown in page
    pdf = factories.pdf_text(application_pdf(draft))
    assert "Ankomstdatum 2026-02-03" in pdf and "SN 2026/118" in pdf
    assert "Huvudman" in pdf


def test_submitting_an_incomplete_application_lists_what_is_missing(kansli, draft):
    response = kansli.post(reverse("projects:application_submit", args=[draft.pk]), follow=True)

    page = response.content.decode()
    assert "Ange minst ett mätbart mål." in page
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.DRAFT


def test_a_personnel_budget_line_is_computed_from_the_formula(kansli, draft):
    category = factories.category("Personal")
    response = kansli.post(
        reverse("projects:application_section", args=[draft.pk, "budget"]),
        {
            "year": 2026,
            "category": category.pk,
            "monthly_cost": "22000",
            "months": "9",
            "uplift_percent": "1,2",
            "overhead_percent": "42,8",
        },
        follow=True,
    )

    assert draft.budget_lines.get().amount == 286_137
    assert "22\xa0000\xa0kr × 9 mån × 1,012 × 1,428 = 286\xa0137\xa0kr" in response.content.decode()


class TestAttachments:
    def upload(self, client, application, name, content):
        from django.core.files.uploadedfile import SimpleUploadedFile

        return client.post(
            reverse("projects:application_section", args=[application.pk, "bilagor"]),
            {"file": SimpleUploadedFile(name, content)},
            follow=True,
        )

    def test_a_pdf_is_stored_and_can_be_downloaded_with_the_download_logged(self, kansli, draft):
        self.upload(kansli, draft, "budget.pdf", b"%PDF-1.7\n%%EOF\n")
        attachment = Attachment.objects.get()

        response = kansli.get(reverse("projects:attachment", args=[attachment.pk]))

        assert b"".join(response.streaming_content).startswith(b"%PDF")
        assert AuditEntry.objects.filter(action="view", message="budget.pdf").exists()

    @pytest.mark.parametrize(
        "name, content, message",
        [
            ("program.exe", b"MZ", "har fel typ"),
            ("falsk.pdf", b"hello", "är inte en giltig PDF-fil"),
            ("falsk.docx", b"PK\x03\x04 not a zip", "är inte en giltig Word (DOCX)-fil"),
        ],
    )
    def test_a_wrong_file_gets_a_swedish_error_and_is_not_stored(
        self, kansli, draft, name, content, message
    ):
        response = self.upload(kansli, draft, name, content)

        assert message in response.content.decode()
        assert not Attachment.objects.exists()


@pytest.fixture
def running(federation):
    project = factories.project(
        status=ProjectStatus.RUNNING, start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31)
    )
    BudgetLine.objects.create(
        project=project, year=2026, category=factories.category("Personal"), amount=500_000
    )
    return project


def test_the_budget_export_downloads_a_workbook_and_is_logged(ekonomi, running):
    response = ekonomi.get(reverse("projects:export_project", args=[running.pk]))

    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Budget", "Utfall", "Översikt"]
    assert book["Budget"]["G2"].value == 500_000
    assert 'filename="budget-' in response["Content-Disposition"]
    assert AuditEntry.objects.filter(action="export").exists()


def test_the_budget_workbook_has_the_pages_table_with_kvar_prognos_and_totals(
    ekonomi, running, persona_users
):
    from projects import services
    from projects.models import CostEntry

    personnel = factories.category("Personal")
    premises = factories.category("Lokaler")
    BudgetLine.objects.create(project=running, year=2026, category=premises, amount=40_000)
    CostEntry.objects.create(
        project=running, month=dt.date(2026, 2, 1), category=personnel, amount=120_000
    )
    services.forecasts_set(
        actor=persona_users["ekonomi"],
        project=running,
        year=2026,
        amounts={personnel: 480_000, premises: 40_000},
    )

    for url in (
        reverse("projects:export_project", args=[running.pk]),
        reverse("projects:export_year", args=[2026]),
    ):
        book = load_workbook(io.BytesIO(ekonomi.get(url).content))
        rows = list(book["Översikt"].iter_rows(values_only=True))
        assert rows[0][4:] == (
            "Budget (kr)",
            "Utfall (kr)",
            "Kvar (kr)",
            "Prognos (kr)",
            "Budget − prognos (kr)",
        )
        table = {r[3]: r[4:] for r in rows[1:] if r[0] == running.reference}
        assert table["Personal"] == (500_000, 120_000, 380_000, 480_000, 20_000)
        assert table["Lokaler"] == (40_000, 0, 40_000, 40_000, 0)
        assert table["Totalt 2026"] == (540_000, 120_000, 420_000, 520_000, 20_000)
        assert book["Översikt"]["E2"].number_format.endswith('"kr"')


def test_the_year_export_as_csv_is_semicolon_separated(ekonomi, running):
    response = ekonomi.get(reverse("projects:export_year", args=[2026]) + "?format=csv")

    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert text.splitlines()[0].startswith("Diarienummer;Insats;År")


def test_the_import_previews_then_writes_on_confirmation(ekonomi, running):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = (
        f"Diarienummer;Period;Kostnadsslag;Belopp\n{running.reference};2026-02;Personal;41 000\n"
    ).encode()
    preview = ekonomi.post(
        reverse("projects:import"), {"file": SimpleUploadedFile("u.csv", content)}
    )
    assert (
        "Alla 1 rader är korrekta" in preview.content.decode()
        or "1 rad är korrekt" in preview.content.decode()
    )
    assert not CostEntry.objects.exists()

    digest = preview.context["digest"]
    ekonomi.post(reverse("projects:import"), {"bekrafta": "1", "digest": digest})

    assert CostEntry.objects.get().amount == 41_000


def test_a_processledare_sees_only_their_own_insatser(personas, persona_users):
    mine = factories.project(
        name="Min insats", staff=[(persona_users["processledare_a"], StaffRole.PROCESS_LEADER)]
    )
    factories.project(name="Någon annans insats")

    page = personas["processledare_a"].get(reverse("projects:index")).content.decode()

    assert mine.name in page
    assert "Någon annans insats" not in page


def test_the_list_filters_by_status_and_searches(kansli, federation):
    factories.project(name="Arbetsträning", status=ProjectStatus.RUNNING)
    factories.project(name="Förstudie om unga", status=ProjectStatus.APPLIED)

    running = kansli.get(reverse("projects:index"), {"status": "pagaende"}).content.decode()
    found = kansli.get(reverse("projects:index"), {"q": "förstudie"}).content.decode()

    assert "Arbetsträning" in running and "Förstudie om unga" not in running
    assert "Förstudie om unga" in found and "Arbetsträning" not in found


def _many_projects(n: int):
    owner, partner = factories.member(), factories.member()
    start = Project.objects.count()
    projects = Project.objects.bulk_create(
        Project(
            reference=f"2020/{start + i + 1}",
            reference_year=2020,
            reference_number=start + i + 1,
            name=f"Insats {i}",
            orientation="individinriktad",
            form="projekt",
            owner=owner,
            contact_name="K",
            start_date=dt.date(2026, 1, 1),
            end_date=dt.date(2026, 12, 31),
            status=ProjectStatus.RUNNING,
        )
        for i in range(n)
    )
    Project.partners.through.objects.bulk_create(
        Project.partners.through(project=p, member=partner) for p in projects
    )
    Application.objects.bulk_create(
        Application(project=p, kind="ny", title=p.name, status="inlamnad") for p in projects
    )
    return projects


LIST_PAGES = [
    reverse("projects:index"),
    reverse("projects:index") + "?status=pagaende&q=insats",
    reverse("projects:inbox"),
    reverse("projects:federation_year", args=[2026]),
    reverse("dashboard"),
]


def test_list_pages_use_as_many_queries_for_1000_insatser_as_for_10(kansli):
    # One test for every page, so the thousand insatser are written (and their
    # audit rows sealed) once.
    _many_projects(10)
    few = {}
    for url in LIST_PAGES:
        kansli.get(url)  # warm caches (content types, permissions)
        with CaptureQueriesContext(connection) as queries:
            assert kansli.get(url).status_code == 200
        few[url] = len(queries)
    _many_projects(990)
    for url in LIST_PAGES:
        with CaptureQueriesContext(connection) as many:
            assert kansli.get(url).status_code == 200

        assert len(many) == few[url], (url, [q["sql"][:120] for q in many.captured_queries])


def test_the_django_admin_exports_budget_lines_with_the_same_writer(personas, running):
    admin = personas["admin"]
    url = reverse("admin:projects_budgetline_export")

    response = admin.post(
        url,
        {
            "format": "0",
            "resource": "0",
            **{
                f"budgetlineresource_{f}": "on"
                for f in (
                    "reference",
                    "project_name",
                    "year",
                    "category",
                    "description",
                    "formula",
                    "amount",
                )
            },
        },
    )

    assert response.status_code == 200, response.content[:500]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["G2"].value == 500_000
    assert sheet["G2"].number_format.endswith('"kr"')


def test_no_follow_up_application_can_be_started_for_an_insats_still_under_application(
    kansli, federation
):
    project = factories.project(status=ProjectStatus.APPLIED)

    page = kansli.get(reverse("projects:detail", args=[project.pk])).content.decode()

    assert "Ny ansökan för insatsen" not in page
    assert kansli.get(reverse("projects:application_new", args=[project.pk])).status_code == 403


def test_the_application_pdf_holds_everything_the_application_page_shows(kansli, persona_users):
    import re
    from html import unescape

    from board.pdf import application_pdf
    from projects import services
    from projects.models import ApplicationBudgetLine, Phase

    application = factories.application(
        factories.project(), working_group="Handläggare från parterna och processledaren."
    )
    Phase.objects.create(
        application=application,
        name="Uppstart",
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 3, 31),
    )
    services.application_item_save(
        actor=persona_users["kansli"],
        item=ApplicationBudgetLine(
            application=application,
            year=2026,
            category=factories.category("Personal"),
            description="Processledare 100 %",
            amount=0,
            monthly_cost=36_500,
            months=12,
            uplift_percent=0,
            overhead_percent=0,
        ),
    )

    page = kansli.get(application.get_absolute_url()).content.decode()
    start = page.index(">", page.index('class="application-text"')) + 1
    article = page[start : page.index("</article>")]
    # What a screen reader alone hears (a table's caption) is not printed.
    article = re.sub(r'<(\w+) class="visually-hidden">.*?</\1>', " ", article)
    text = re.sub(r"<[^>]+>", " ", unescape(article)).replace("\xa0", " ")
    pdf = factories.pdf_text(application_pdf(application)).replace("\xa0", " ")

    assert set(text.split()) - set(pdf.split()) == set()
    for part in ("Arbetsgrupp:", "Beräkning", "Sökt totalt", "målvärde 60 %", "Uppstart"):
        assert part in pdf


def test_each_tab_of_an_insats_has_its_own_title(kansli, running):
    import re

    titles = set()
    for name in ("detail", "applications", "goals", "budget", "documents", "history"):
        html = kansli.get(reverse(f"projects:{name}", args=[running.pk])).content.decode()
        (title,) = re.findall(r"<title>(.*?)</title>", html, re.S)
        assert running.reference in title
        titles.add(title)

    assert len(titles) == 6
