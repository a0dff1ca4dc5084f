"""The participant pages: enrolment, the htmx status log, scope, exports and import."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from finsam.models import AuditEntry
from participants.models import Participation, StatusKind
from projects.models import ProjectStatus, StaffRole
from tests import factories


@pytest.fixture
def setting(persona_users):
    """Insats A with processledare A and two participants; insats B with B."""
    a = factories.project(
        name="Insats Alfa",
        status=ProjectStatus.RUNNING,
        staff=[(persona_users["processledare_a"], StaffRole.PROCESS_LEADER)],
    )
    b = factories.project(
        name="Insats Beta",
        status=ProjectStatus.RUNNING,
        staff=[(persona_users["processledare_b"], StaffRole.PROCESS_LEADER)],
    )
    leader = persona_users["processledare_a"]
    return {
        "a": a,
        "b": b,
        "first": factories.participation(a, leader, sex="kvinna"),
        "second": factories.participation(a, leader),
        "theirs": factories.participation(b, persona_users["processledare_b"]),
    }


def test_a_processledare_enrols_a_participant_with_consent(personas, setting):
    client = personas["processledare_a"]
    factories.choice_lists_exist()
    source = factories.income("forsorjningsstod").source

    response = client.post(
        reverse("participants:enrol", args=[setting["a"].pk]),
        {
            "consent": "ja",
            "consent_given_on": "2026-11-02",
            "consent_written": "on",
            "consent_scope": "Uppföljning",
            "sex": "man",
            "start_date": "2026-11-02",
            "birth_year": "1999",
            f"fore_{source.pk}": "on",
            f"fore_{source.pk}_omf": "60",
        },
    )

    participation = Participation.objects.latest("id")
    assert response.status_code == 302
    assert response.url == reverse("participants:detail", args=[participation.pk])
    assert participation.consent.written and participation.birth_year == 1999
    assert participation.incomes.get().extent == 60
    page = client.get(response.url)
    assert participation.participant.code in page.content.decode()


def test_the_enrolment_form_leaves_consent_unanswered_and_asks_for_it(personas, setting):
    url = reverse("participants:enrol", args=[setting["a"].pk])
    form = personas["processledare_a"].get(url).content.decode()

    consent_inputs = [
        line for line in form.split("<input") if 'name="consent"' in line.split(">")[0]
    ]
    assert len(consent_inputs) == 2
    assert not any("checked" in line.split(">")[0] for line in consent_inputs)
    date_input = next(
        line.split(">")[0] for line in form.split("<input") if 'name="consent_given_on"' in line
    )
    assert "value=" not in date_input

    response = personas["processledare_a"].post(url, {"sex": "man", "start_date": "2026-11-02"})

    assert response.status_code == 200
    assert "Svara på om personen har lämnat samtycke till registrering." in (
        response.content.decode()
    )
    assert Participation.objects.count() == 3


def test_consent_without_a_date_is_a_clear_swedish_error(personas, setting):
    response = personas["processledare_a"].post(
        reverse("participants:enrol", args=[setting["a"].pk]),
        {"consent": "ja", "sex": "man", "start_date": "2026-11-02"},
    )

    assert response.status_code == 200
    assert "Ange när samtycket lämnades." in response.content.decode()
    assert Participation.objects.count() == 3


def test_a_status_is_logged_from_the_list_without_a_page_reload(personas, setting):
    kind = factories.choice(StatusKind, "kartlaggning-paborjad")
    first = setting["first"]

    response = personas["processledare_a"].post(
        reverse("participants:status_add", args=[first.pk]),
        {"kind": kind.pk, "date": "2026-11-20", "note": "Första mötet"},
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith(f'<tr id="deltagande-{first.pk}"')
    assert "Kartläggning påbörjad" in html and "Statusen är sparad." in html
    assert first.statuses.get().note == "Första mötet"


def test_a_bad_status_from_the_list_is_explained_in_the_row(personas, setting):
    response = personas["processledare_a"].post(
        reverse("participants:status_add", args=[setting["first"].pk]),
        {"kind": "", "date": "2026-11-20"},
        HTTP_HX_REQUEST="true",
    )

    assert 'role="alert"' in response.content.decode()
    assert not setting["first"].statuses.exists()


def test_pages_with_participant_data_are_never_cached(personas, setting):
    response = personas["processledare_a"].get(reverse("participants:index"))

    assert "no-store" in response["Cache-Control"]


# --- Processledare B never sees insats A's participants ------------------------


def test_b_does_not_see_as_participants_in_the_list_or_a_search(personas, setting):
    client = personas["processledare_b"]
    code = setting["first"].participant.code

    listed = client.get(reverse("participants:index"), {"visa": "alla"}).content.decode()
    searched = client.get(reverse("participants:index"), {"q": code}).content.decode()

    assert setting["theirs"].participant.code in listed
    assert code not in listed and setting["second"].participant.code not in listed
    detail = reverse("participants:detail", args=[setting["first"].pk])
    assert detail not in searched and "0 deltaganden" in searched
    assert "Insats Alfa" not in listed


def test_b_gets_404_when_guessing_the_address_of_as_participant(personas, setting):
    client = personas["processledare_b"]
    pk = setting["first"].pk

    for name in ("detail", "close", "withdraw", "register_extract"):
        assert client.get(reverse(f"participants:{name}", args=[pk])).status_code == 404
    assert client.post(reverse("participants:status_add", args=[pk])).status_code == 404
    assert client.get(reverse("participants:enrol", args=[setting["a"].pk])).status_code == 404


def test_b_filtering_statistics_by_as_insats_is_refused(personas, setting):
    client = personas["processledare_b"]

    mine = client.get(reverse("participants:statistics")).context["stats"]
    probing = client.get(reverse("participants:statistics"), {"insats": setting["a"].pk})

    assert mine.persons == 1
    assert probing.context["stats"].persons == 1  # the unknown insats is ignored
    assert "insats" in probing.context["form"].errors


def test_b_exports_contain_only_bs_insats(personas, setting):
    client = personas["processledare_b"]

    followup = load_workbook(
        io.BytesIO(client.get(reverse("participants:followup_export", args=[2026])).content)
    )
    statistics = load_workbook(
        io.BytesIO(client.get(reverse("participants:statistics_export")).content)
    )

    references = [row[0] for row in followup.active.iter_rows(min_row=2, values_only=True)]
    assert references == [setting["b"].reference]
    overview = {r[0]: r[1] for r in statistics["Översikt"].iter_rows(values_only=True)}
    assert overview["Deltaganden"] == "<5"
    assert AuditEntry.objects.filter(action="export", actor__username="pl_b").count() == 2


def test_the_kansli_sees_every_participation_but_not_as_one_who_may_log(personas, setting):
    html = personas["kansli"].get(reverse("participants:index")).content.decode()

    assert setting["first"].participant.code in html
    assert setting["theirs"].participant.code in html
    assert 'name="kind"' not in html  # no status forms: the kansli does not log


def test_the_followup_export_is_also_a_csv_for_swedish_excel(personas, setting):
    response = personas["kansli"].get(
        reverse("participants:followup_export", args=[2026]), {"format": "csv"}
    )

    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffDiarienummer;Insats;År;Kvinna;Man;")
    assert f"{setting['a'].reference};Insats Alfa;2026;<5;<5;0;<5" in text


# --- Import ----------------------------------------------------------------------


def _workbook(rows) -> bytes:
    return factories.xlsx_bytes(rows, sheet="Deltagare")


HEADER = [
    "Diarienummer",
    "Kön",
    "Startdatum",
    "Samtycke",
    "Samtycke datum",
    "Födelseår",
    "Försörjning före",
    "Slutdatum",
    "Avslutsorsak",
    "Sysselsättning efter",
]


def _upload(client, content, name="deltagare.xlsx", read_in=False, confirmed=()):
    upload = io.BytesIO(content)
    upload.name = name
    data = {"file": upload, ("las-in" if read_in else "kontrollera"): "1"}
    if confirmed:
        data["bekrafta"] = list(confirmed)
    return client.post(reverse("participants:import"), data)


def test_an_import_with_bad_rows_names_each_and_writes_nothing(personas, setting):
    a = setting["a"].reference
    content = _workbook(
        [
            HEADER,
            [
                a,
                "man",
                dt.date(2026, 3, 1),
                "ja",
                dt.date(2026, 3, 1),
                1990,
                "Försörjningsstöd 50 %",
            ],
            ["1999/9", "man", dt.date(2026, 3, 1), "ja", dt.date(2026, 3, 1)],
            [setting["b"].reference, "man", dt.date(2026, 3, 1), "nej"],
            [a, "okänt", "2026-13-01", "kanske"],
            [a, "kvinna", dt.date(2026, 3, 1), "ja", None, 1990, "Lotterivinst"],
            [
                a,
                "man",
                dt.date(2026, 3, 1),
                "ja",
                dt.date(2026, 3, 1),
                1990,
                None,
                dt.date(2026, 2, 1),
            ],
        ]
    )

    response = _upload(personas["processledare_a"], content, read_in=True)

    html = response.content.decode()
    assert "Filen innehåller fel och har inte lästs in." in html
    assert "Rad 3: Insatsen 1999/9 finns inte." in html
    assert f"Rad 4: Du kan inte registrera deltagare i {setting['b'].reference}" in html
    assert "Kön måste vara kvinna, man eller annat." in html
    assert "Startdatum saknas eller är inte ett datum" in html
    assert "Samtycke måste vara ja eller nej." in html
    assert "Rad 6: Datum för samtycke saknas" in html and "Okänd försörjning: Lotterivinst." in html
    assert "Slutdatum ligger före startdatum." in html
    assert "Ett avslutat deltagande behöver en avslutsorsak." in html
    assert Participation.objects.count() == 3


def test_a_valid_import_is_checked_first_then_read_in_whole(personas, setting):
    a = setting["a"].reference
    content = _workbook(
        [
            HEADER,
            [
                a,
                "kvinna",
                dt.date(2026, 3, 1),
                "ja",
                dt.date(2026, 3, 1),
                1990,
                "Försörjningsstöd 50 %, sjukpenning 50%",
                dt.date(2026, 8, 31),
                "Enligt plan",
                "Arbete",
            ],
            [a, "man", dt.date(2026, 4, 1), "nej", None, 1985, "A-kassa"],
        ]
    )
    client = personas["processledare_a"]

    checked = _upload(client, content)
    assert "Alla 2 rader är korrekta (1 anonyma, 1 avslutade)" in checked.content.decode()
    assert Participation.objects.count() == 3

    read_in = _upload(client, content, read_in=True)

    assert read_in.status_code == 302
    imported = Participation.objects.order_by("id")[3:]
    closed, anonymous = imported
    assert closed.end_date == dt.date(2026, 8, 31) and closed.occupation_after.code == "arbete"
    assert sorted(i.extent for i in closed.incomes.filter(phase="fore")) == [50, 50]
    assert anonymous.anonymous and anonymous.birth_year is None


def test_importing_the_same_file_twice_asks_for_each_matching_row(personas, setting):
    a = setting["a"].reference
    content = _workbook(
        [
            HEADER,
            [a, "kvinna", dt.date(2026, 3, 1), "ja", dt.date(2026, 3, 1), 1990, "A-kassa"],
            [a, "man", dt.date(2026, 4, 1), "ja", dt.date(2026, 4, 1), 1985, "A-kassa"],
        ]
    )
    client = personas["processledare_a"]
    assert _upload(client, content, read_in=True).status_code == 302
    assert Participation.objects.count() == 5

    checked = _upload(client, content).content.decode()
    assert "2 rader liknar deltaganden som redan finns" in checked
    assert 'name="bekrafta" value="2"' in checked and 'name="bekrafta" value="3"' in checked

    refused = _upload(client, content, read_in=True).content.decode()
    assert "Rad 2, 3 liknar deltaganden som redan finns" in refused
    assert Participation.objects.count() == 5

    partly = _upload(client, content, read_in=True, confirmed=["2"]).content.decode()
    assert "Rad 3 liknar" in partly and Participation.objects.count() == 5

    both = _upload(client, content, read_in=True, confirmed=["2", "3"])
    assert both.status_code == 302
    assert Participation.objects.count() == 7


def test_the_kansli_sets_the_gallringsfrist_on_the_federation_page(personas, federation):
    from finsam.models import Federation

    client = personas["kansli"]
    form = client.get(reverse("administration:federation")).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data["participant_retention_months"] = 36

    response = client.post(reverse("administration:federation"), data)

    assert response.status_code == 302
    assert Federation.objects.get().participant_retention_months == 36


def test_the_status_form_never_redirects_to_another_site(personas, setting):
    kind = factories.choice(StatusKind, "paus")

    response = personas["processledare_a"].post(
        reverse("participants:status_add", args=[setting["first"].pk]),
        {"kind": kind.pk, "date": "2026-11-20", "next": "https://example.org/"},
    )

    assert response.url == reverse("participants:detail", args=[setting["first"].pk])


def test_someone_coming_back_is_enrolled_again_as_the_same_person(personas, setting, persona_users):
    first = setting["first"]
    factories.close(first, persona_users["processledare_a"], end=dt.date(2026, 10, 1))
    client = personas["processledare_a"]
    detail = client.get(reverse("participants:detail", args=[first.pk])).content.decode()
    assert "Skriv in igen" in detail

    response = client.post(
        reverse("participants:enrol", args=[setting["a"].pk]),
        {
            "igen": first.pk,
            "consent": "ja",
            "consent_given_on": "2026-11-16",
            "sex": "kvinna",
            "start_date": "2026-11-16",
        },
    )

    again = Participation.objects.latest("id")
    assert response.status_code == 302
    assert again.participant == first.participant and again.pk != first.pk
    assert again.consent.given_on == dt.date(2026, 11, 16)


def test_the_kansli_removes_a_felregistrering_with_a_reason_and_the_person_goes_too(
    personas, setting, persona_users
):
    from finsam.models import AuditEntry
    from participants.models import Participant

    leader = persona_users["processledare_a"]
    mistake = factories.participation(setting["a"], leader, start=dt.date(2026, 3, 1))
    person = mistake.participant_id
    url = reverse("participants:delete_mistake", args=[mistake.pk])

    # Not yet a felregistrering: refused, nothing removed.
    personas["kansli"].post(url, {"reason": "Dubblett"})
    assert Participation.objects.filter(pk=mistake.pk).exists()

    factories.close(mistake, leader, end=dt.date(2026, 3, 2), reason="felregistrering")
    page = personas["kansli"].get(reverse("participants:detail", args=[mistake.pk]))
    assert "Ta bort felregistreringen" in page.content.decode()
    assert personas["processledare_a"].post(url, {"reason": "Dubblett"}).status_code == 403

    without_reason = personas["kansli"].post(url, {"reason": " "})
    assert without_reason.status_code == 302
    assert Participation.objects.filter(pk=mistake.pk).exists()

    response = personas["kansli"].post(url, {"reason": "Inskriven två gånger"}, follow=True)

    assert "Felregistreringen är borttagen." in response.content.decode()
    assert not Participation.objects.filter(pk=mistake.pk).exists()
    assert not Participant.objects.filter(pk=person).exists()
    logged = AuditEntry.objects.filter(message__contains="Felregistrering borttagen").get()
    assert "Inskriven två gånger" in logged.message
    assert logged.actor == persona_users["kansli"]


def test_the_statistics_filters_show_the_period_the_heading_names(personas, setting):
    import datetime as dt

    html = personas["processledare_a"].get(reverse("participants:statistics")).content.decode()
    year = dt.date.today().year

    assert f'value="{year}-01-01"' in html and f'value="{year}-12-31"' in html
    assert f"Uppföljning Finsam {year} (.csv)" in html
