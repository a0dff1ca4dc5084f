"""The secretary records a § as the law spells it out: a ledamot with jäv and
the ersättare in her place, two yrkanden, the propositionsordning, a named
vote and a written reservation. The protocol is justerat, and the public page
shows the § with its vote. Every new page is clean for axe-core."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from board import services
from board.models import AttendanceKind, DelegationRule, Paragraph
from finsam.roles import KANSLI
from tests import factories
from tests.browser.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def protocol(transactional_db):
    factories.federation()
    factories.cost_categories_exist()
    secretary = factories.user(username="sekr", full_name="Siri Sekreterare", roles=(KANSLI,))
    seats = factories.board()
    minutes = factories.minutes(actor=secretary, date=timezone.localdate() - dt.timedelta(days=1))
    chair, verifier = seats[0].user, seats[1].user
    services.signers_set(actor=secretary, minutes=minutes, chair=chair, verifiers=[verifier])
    paragraph = services.paragraph_add(
        actor=secretary,
        minutes=minutes,
        paragraph=Paragraph(title="Medel till gemensam utbildningsdag"),
    )
    rows = list(minutes.attendance.order_by("order", "id"))
    return {
        "secretary": secretary,
        "chair": chair,
        "verifier": verifier,
        "minutes": minutes,
        "paragraph": paragraph,
        "ledamoter": [a for a in rows if a.kind == AttendanceKind.VOTING],
        "deputies": [a for a in rows if a.kind == AttendanceKind.DEPUTY],
    }


def test_a_paragraph_with_jav_yrkanden_a_vote_and_a_reservation_is_justerat_and_public(
    page, live_server, protocol, screenshot, axe_violations
):
    ledamoter, deputies = protocol["ledamoter"], protocol["deputies"]
    chair_row, against, recused = ledamoter
    paragraph = protocol["paragraph"]
    log_in(page, live_server, protocol["secretary"])
    page.goto(f"{live_server.url}{paragraph.get_absolute_url()}")

    page.get_by_text("Anteckna jäv", exact=True).first.click()
    page.get_by_label("Vem anmäler jäv").select_option(label=recused.name)
    page.get_by_label("Ersättare som tjänstgör i stället").select_option(label=deputies[2].name)
    page.get_by_role("button", name="Anteckna jäv").click()
    expect(page.get_by_text("Jävet är antecknat.")).to_be_visible()
    expect(
        page.get_by_text(f"{deputies[2].name} tjänstgör i stället för {recused.name}.")
    ).to_be_visible()

    for maker, text in ((chair_row, "att bevilja 40 000 kr"), (against, "avslag")):
        motions = page.locator("#yrkanden").locator("..")
        if not motions.locator("details").evaluate("d => d.open"):
            motions.get_by_text("Anteckna förslag eller yrkande").click()
        motions.get_by_label("Typ").select_option(label="Yrkande")
        motions.get_by_label("Yrkande av").select_option(label=maker.name)
        motions.get_by_label("Innebörd").fill(text)
        motions.get_by_role("button", name="Anteckna", exact=True).click()
        expect(page.get_by_text("Förslaget är antecknat.")).to_be_visible()

    first_label = f"{chair_row.name}s yrkande"
    second_label = f"{against.name}s yrkande"
    page.get_by_label("Ordföranden ställer proposition på").select_option(label=first_label)
    page.get_by_label("mot", exact=True).select_option(label=second_label)
    page.get_by_label("och finner att styrelsen beslutar enligt").select_option(label=first_label)
    page.get_by_role("button", name="Anteckna propositionen").click()
    expect(page.get_by_text("Propositionen är antecknad.")).to_be_visible()

    page.get_by_text("Omröstning om proposition 1").click()
    for row, choice in ((chair_row, "Ja"), (against, "Nej"), (deputies[2], "Ja")):
        page.get_by_role("group", name=row.name, exact=True).get_by_label(choice).check()
    page.get_by_role("button", name="Spara omröstningen").click()
    expect(page.get_by_text("Omröstningen är sparad.")).to_be_visible()
    expect(page.get_by_text("Med 2 ja-röster mot 1 nej-röster beslutar styrelsen")).to_be_visible()

    page.get_by_text("Anteckna reservation", exact=True).click()
    page.get_by_label("Vem reserverar sig").select_option(label=chair_row.name)
    page.get_by_role("button", name="Anteckna reservationen").click()
    expect(page.get_by_text("röstade för beslutet och kan inte reservera sig")).to_be_visible()
    page.get_by_text("Anteckna reservation", exact=True).click()
    page.get_by_label("Vem reserverar sig").select_option(label=against.name)
    page.get_by_label("Skriftlig reservation").fill("Medlen behövs i insatserna.")
    page.get_by_role("button", name="Anteckna reservationen").click()
    expect(page.get_by_text("Reservationen är antecknad.")).to_be_visible()

    page.get_by_label("Beslut", exact=True).fill("Styrelsen beslutar att bevilja 40 000 kr.")
    page.get_by_role("button", name="Spara paragrafen").click()
    page.goto(f"{live_server.url}{paragraph.get_absolute_url()}")
    screenshot("paragraf-med-omrostning")
    assert axe_violations() == []
    page.set_viewport_size({"width": 320, "height": 800})
    screenshot("paragraf-med-omrostning-320")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1280, "height": 900})

    DelegationRule.objects.create(code="1.1", matter="Förstudier", delegate="Förbundschef")
    page.goto(f"{live_server.url}/styrelsen/delegationsbeslut/")
    expect(page.get_by_role("heading", name="Delegationsbeslut", level=1)).to_be_visible()
    assert axe_violations() == []

    minutes = protocol["minutes"]
    factories.ready_for_justering(
        protocol["secretary"], minutes, protocol["chair"], protocol["verifier"]
    )
    factories.sign(protocol["chair"], minutes)
    factories.sign(protocol["verifier"], minutes)

    page.goto(f"{live_server.url}/anslagstavla/protokoll/{minutes.pk}/")
    block = page.locator(f"#p{paragraph.number}")
    expect(block).to_contain_text(f"{recused.name} anmäler jäv")
    expect(block).to_contain_text("Ordföranden ställer proposition på")
    expect(block.get_by_role("table")).to_contain_text(deputies[2].name)
    expect(block).to_contain_text(
        f"{against.name} reserverar sig mot beslutet skriftligt, bilaga 1."
    )
    expect(page.get_by_text("Medlen behövs i insatserna.")).to_be_visible()
    screenshot("publik-paragraf-med-omrostning")
    assert axe_violations() == []

    for path in ("/anslagstavla/", "/anslagstavla/prenumerera/"):
        page.goto(f"{live_server.url}{path}")
        assert axe_violations() == [], path
    page.get_by_label("Din e-postadress").fill("foljare@example.org")
    page.get_by_role("button", name="Prenumerera").click()
    expect(page.get_by_text("Tack! Ett e-postmeddelande är på väg")).to_be_visible()
    from board.models import Subscription

    token = Subscription.objects.get().token
    for path in (
        f"/anslagstavla/prenumerera/bekrafta/{token}/",
        f"/anslagstavla/prenumerera/avsluta/{token}/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert axe_violations() == [], path


def test_the_pages_of_omedelbar_justering_rattelse_and_delegation_are_accessible(
    page, live_server, protocol, screenshot, axe_violations
):
    from board.models import DelegationDecision

    secretary, chair, verifier = protocol["secretary"], protocol["chair"], protocol["verifier"]
    paragraph = protocol["paragraph"]
    paragraph.immediate = True
    paragraph.decision_text = "Styrelsen beslutar att bevilja medlen och justera omedelbart."
    services.paragraph_update(actor=secretary, paragraph=paragraph)
    rule = DelegationRule.objects.create(
        code="3.1", matter="Yttranden över remisser", delegate="Förbundschef", reported=False
    )
    decision = services.delegation_decision_record(
        actor=secretary,
        decision=DelegationDecision(
            rule=rule,
            decided_on=timezone.localdate(),
            decided_by=secretary,
            matter="Yttrande över remiss om samverkan.",
        ),
    )

    log_in(page, live_server, chair)
    page.goto(f"{live_server.url}/styrelsen/paragrafer/{paragraph.pk}/justera/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("omedelbart")
    assert axe_violations() == []
    page.locator("#id_password").fill(factories.PASSWORD)
    device = chair.totpdevice_set.get()
    page.get_by_role("textbox", name="Engångskod").fill(factories.totp_code(device, offset_steps=1))
    page.get_by_role("button", name=f"Signera § {paragraph.number}").click()
    expect(page.get_by_text("Din signatur är registrerad.")).to_be_visible()
    services.paragraph_sign(
        actor=verifier,
        paragraph=paragraph,
        password=factories.PASSWORD,
        token=factories.totp_code(verifier.totpdevice_set.get()),
    )
    page.reload()
    expect(page.get_by_text("Paragrafen justerades")).to_be_visible()

    for path in (
        f"/anslagstavla/paragraf/{paragraph.pk}/",
        f"/anslagstavla/delegationsbeslut/{decision.pk}/",
        "/anslagstavla/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert axe_violations() == [], path
    screenshot("anslagstavla-paragraf-och-delegation")
    expect(page.locator(".posting")).to_have_count(2)
