import datetime as dt

from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from finsam.models import AuditAction, AuditEntry, User
from finsam.roles import INSATSPERSONAL, STYRELSE
from tests import factories


def test_an_admin_adds_a_user_with_roles_and_the_user_gets_a_welcome_email(
    ekonomi, federation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ekonomi.post(
            reverse("administration:user_create"),
            {
                "username": "nyprocessledare",
                "full_name": "Nora Nyström",
                "title": "Processledare",
                "email": "nora@example.test",
                "roles": [Group.objects.get(name=INSATSPERSONAL).pk],
            },
            follow=True,
        )

    user = User.objects.get(username="nyprocessledare")
    assert list(user.groups.values_list("name", flat=True)) == [INSATSPERSONAL]
    assert "Nora Nyström har lagts till" in response.content.decode()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Välkommen till Finsam"
    assert "nyprocessledare" in mail.outbox[0].body
    assert AuditEntry.objects.filter(
        table_name="finsam_user", object_id=str(user.pk), action=AuditAction.INSERT
    ).exists()


def test_a_username_that_is_taken_gets_a_swedish_error(ekonomi, persona_users):
    response = ekonomi.post(
        reverse("administration:user_create"),
        {"username": "kansli", "full_name": "Dubblett", "email": "d@example.test"},
    )

    assert response.status_code == 200
    assert "En användare med det användarnamnet finns redan." in response.content.decode()
    assert User.objects.filter(full_name="Dubblett").count() == 0


def test_changing_roles_is_shown_in_the_users_history(ekonomi, persona_users):
    target = persona_users["processledare_a"]
    ekonomi.post(
        reverse("administration:user", args=[target.pk]),
        {
            "username": target.username,
            "full_name": target.full_name,
            "email": target.email,
            "roles": [Group.objects.get(name=STYRELSE).pk],
        },
    )

    page = ekonomi.get(reverse("administration:user", args=[target.pk])).content.decode()
    assert "Roller ändrade: Insatspersonal → Styrelse" in page


def test_an_admin_cannot_deactivate_themselves(ekonomi, persona_users):
    me = persona_users["ekonomi"]
    response = ekonomi.post(reverse("administration:user_deactivate", args=[me.pk]), follow=True)

    me.refresh_from_db()
    assert me.is_active
    assert "Du kan inte inaktivera dig själv." in response.content.decode()


ALL_AREAS = ("Översikt", "Insatser", "Deltagare", "Styrelsen", "Rapporter", "Administration")


def test_the_menu_shows_only_what_the_role_may_use(personas):
    def menu(persona):
        html = personas[persona].get(reverse("dashboard")).content.decode()
        nav = html.split('aria-label="Huvudmeny"', 1)[1].split("</nav>", 1)[0]
        return [label for label in ALL_AREAS if f">{label}</a>" in nav]

    assert menu("kansli") == list(ALL_AREAS)
    assert menu("processledare_a") == ["Översikt", "Insatser", "Deltagare", "Rapporter"]
    assert menu("styrelseledamot") == ["Översikt", "Styrelsen"]
    assert menu("ekonomi") == ["Översikt", "Insatser", "Rapporter", "Administration"]


def test_the_dashboard_shows_cards_for_the_users_role(personas):
    board = personas["styrelseledamot"].get(reverse("dashboard")).content.decode()
    staff = personas["processledare_a"].get(reverse("dashboard")).content.decode()

    assert "Protokoll att justera" in board and "Mina insatser" not in board
    assert "Mina insatser" in staff and "Protokoll att justera" not in staff


def test_pages_carry_a_strict_content_security_policy(personas):
    response = personas["kansli"].get(reverse("dashboard"))

    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert 'style="' not in response.content.decode()
    assert "<script>" not in response.content.decode()


def test_the_layout_has_landmarks_and_a_skip_link(personas):
    html = personas["kansli"].get(reverse("dashboard")).content.decode()

    assert 'href="#main"' in html and 'id="main"' in html
    assert "<header" in html and "<main" in html and "<footer" in html and "<nav" in html


def test_the_economists_dashboard_shows_this_years_contributions(ekonomi, persona_users):
    from django.utils import timezone

    from finsam import services
    from finsam.models import MemberKind
    from tests import factories

    factories.member(name="Försäkringskassan", kind=MemberKind.FORSAKRINGSKASSAN)
    factories.member(name="Region Test", kind=MemberKind.REGION)
    factories.member(name="Testby kommun")
    services.contributions_set_for_year(
        actor=persona_users["ekonomi"], year=timezone.localdate().year, total=3_800_000
    )

    html = ekonomi.get(reverse("dashboard")).content.decode().replace("\xa0", " ")

    assert "3 800 000 kr" in html
    assert "från 3 medlemmar" in html


def test_the_dashboard_and_user_list_cost_the_same_queries_for_few_and_many(ekonomi):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests import factories

    def queries(url):
        ekonomi.get(url)  # the session's renewal, at most once a minute, is not the page's
        with CaptureQueriesContext(connection) as captured:
            assert ekonomi.get(url).status_code == 200
        return len(captured)

    few = {url: queries(url) for url in (reverse("dashboard"), reverse("administration:users"))}
    for _ in range(30):
        factories.user(roles=("Kansli",), with_totp=False, member=factories.member())
    many = {url: queries(url) for url in few}

    assert many == few
    print(f"queries per page: {few}")


def test_the_kansli_keeps_the_choice_lists_in_the_app(personas, persona_users):
    from participants.forms import StatusForm
    from participants.models import StatusKind
    from projects.models import ProjectStatus, StaffRole

    kansli = personas["kansli"]
    factories.choice_lists_exist()
    index = kansli.get(reverse("administration:choice_lists")).content.decode()
    assert "Statustyper" in index and "Kostnadsslag" in index

    added = kansli.post(
        reverse("administration:choice_list", args=["statusar"]),
        {"label": "Arbetar mot uppsatta mål", "order": 55, "active": "on"},
        follow=True,
    ).content.decode()
    assert "”Arbetar mot uppsatta mål” är tillagd." in added
    kind = StatusKind.objects.get(label="Arbetar mot uppsatta mål")
    assert kind.code == "arbetar-mot-uppsatta-mal"
    assert kind in StatusForm().fields["kind"].queryset

    # In use, it cannot be removed, only taken out of use.
    leader = persona_users["processledare_a"]
    project = factories.project(
        status=ProjectStatus.RUNNING, staff=[(leader, StaffRole.PROCESS_LEADER)]
    )
    participation = factories.participation(project, leader)
    from participants import services as participant_services

    participant_services.status_add(
        actor=leader, participation=participation, kind=kind, date=participation.start_date
    )
    url = reverse("administration:choice", args=["statusar", kind.pk])
    refused = kansli.post(
        reverse("administration:choice_delete", args=["statusar", kind.pk]), follow=True
    ).content.decode()
    assert "används och kan inte tas bort" in refused
    assert StatusKind.objects.filter(pk=kind.pk).exists()

    kansli.post(url, {"label": "Arbetar mot uppsatta mål", "order": 55})  # active unticked
    kind.refresh_from_db()
    assert not kind.active
    assert kind not in StatusForm().fields["kind"].queryset

    unused = StatusKind.objects.create(code="oanvand", label="Oanvänd", order=99)
    kansli.post(reverse("administration:choice_delete", args=["statusar", unused.pk]))
    assert not StatusKind.objects.filter(pk=unused.pk).exists()


def test_historik_names_objects_in_swedish_with_links_and_keeps_logins_apart(
    personas, persona_users
):
    from django.utils import timezone

    from finsam.selectors import history_for
    from projects.models import ProjectStatus

    kansli = personas["kansli"]
    project = factories.project(status=ProjectStatus.RUNNING, name="Vägen framåt")
    from projects import services as project_services

    project.contact_name = "Ny kontakt"
    project_services.project_update(
        actor=persona_users["kansli"], project=project, partners=list(project.partners.all())
    )
    # A login writes only last_login.
    user = persona_users["ekonomi"]
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])

    page = kansli.get(reverse("administration:audit_log")).content.decode()
    shown = page.split("<tbody>")[1]
    assert "finsam_user" not in shown and "projects_project" not in shown
    assert "Insats" in page and f'href="{project.get_absolute_url()}"' in page
    assert "Ändrade:" in shown
    assert "Inloggning" not in shown

    logins = kansli.get(reverse("administration:audit_log") + "?visa=inloggningar").content
    assert "Eva Ekonomi" in logins.decode()

    mine = kansli.get(
        reverse("administration:audit_log"),
        {"person": persona_users["kansli"].pk, "objekt": "projects_project"},
    ).content.decode()
    assert "Vägen framåt" in mine
    other_day = kansli.get(
        reverse("administration:audit_log"), {"fran": "2001-01-01", "till": "2001-01-02"}
    ).content.decode()
    assert "Inga poster med de här villkoren." in other_day

    created = history_for(project)[-1]
    labels = [change.label for change in created.changes]
    assert "Singleton" not in labels and all(change.new != "–" for change in created.changes)


def test_an_empty_choice_reads_valj_not_dashes(db):
    from projects.forms import StaffForm

    html = str(StaffForm())  # a person and a role to choose, neither chosen

    assert "– välj –" in html and "---------" not in html


def test_every_page_links_to_the_accessibility_statement(personas, client):
    statement = reverse("accessibility")
    for page in (reverse("account:login"), reverse("public:notice_board")):
        assert f'href="{statement}"' in client.get(page).content.decode()
    assert f'href="{statement}"' in personas["kansli"].get(reverse("dashboard")).content.decode()

    text = client.get(statement).content.decode()
    for part in ("2018:1937", "WCAG 2.1 nivå AA", "Kända brister", "Digg", "kansli"):
        assert part in text


def test_the_audit_log_links_only_to_pages_its_reader_may_open(personas, persona_users):
    meeting = factories.meeting(actor=persona_users["kansli"], date=dt.date(2026, 5, 7))
    kansli_page = personas["kansli"].get(reverse("administration:audit_log")).content.decode()
    ekonomi_page = personas["ekonomi"].get(reverse("administration:audit_log")).content.decode()

    # The kansli holds the board's meetings; the ekonom may read that one was
    # made, but its page is not hers to open, nor a person's in the user
    # administration.
    assert f'href="{meeting.get_absolute_url()}"' in kansli_page
    assert f'href="{meeting.get_absolute_url()}"' not in ekonomi_page
    assert "Sammanträde" in ekonomi_page.split("<tbody>")[1]
    assert "/administration/anvandare/" not in kansli_page.split("<tbody>")[1]
