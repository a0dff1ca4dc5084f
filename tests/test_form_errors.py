"""Forms that tell you what is wrong (WCAG 3.3.1, 3.3.2, 1.3.1): required
fields are marked before anything is sent, and a refused form comes back
with a summary that links each error to its field, its values kept."""

import re

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def _labels(html: str) -> dict[str, str]:
    """Each field's id and its label's text."""
    return {
        target: re.sub(r"<[^>]+>", "", text).strip()
        for target, text in re.findall(r'<label for="([^"]+)">(.*?)</label>', html, re.S)
    }


def test_every_required_field_of_a_new_insats_is_marked_before_it_is_sent(kansli):
    html = kansli.get(reverse("projects:create")).content.decode()

    assert "Fält markerade med" in html
    labels = _labels(html)
    assert labels["id_name"] == "Namn *"
    assert labels["id_start_date"] == "Startdatum *"
    # The group of radio buttons says so in its legend.
    assert re.search(r"<legend[^>]*>Inriktning <span[^>]*>\*</span></legend>", html)
    # An optional field is not marked.
    assert not labels["id_contact_phone"].endswith("*")


def test_a_refused_form_lists_each_error_as_a_link_to_its_field(kansli):
    response = kansli.post(reverse("projects:create"), {"name": "Nya vägar"})

    html = response.content.decode()
    assert response.status_code == 200
    summary = re.search(r'<div class="alert alert-danger error-summary"(.*?)</div>', html, re.S)
    assert summary, "no error summary"
    assert 'tabindex="-1"' in summary.group(1)  # it takes focus when the page opens
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary.group(1))
    assert ("id_start_date", "Startdatum: Detta fält måste fyllas i.") in links
    for target, _text in links:
        assert f'id="{target}"' in html
    # What was typed is still there.
    assert 'value="Nya vägar"' in html


def test_a_radio_group_s_error_is_tied_to_its_group(kansli):
    html = kansli.post(reverse("projects:create"), {"name": "Nya vägar"}).content.decode()

    fieldset = re.search(r'<fieldset aria-describedby="([^"]+)">\s*<legend[^>]*>Inriktning', html)
    assert fieldset, "the group of radio buttons is not described by its error"
    for described in fieldset.group(1).split():
        assert f'id="{described}"' in html
    assert "id_orientation_error" in fieldset.group(1)
    # And the summary's link leads to the group's first button.
    assert '<a href="#id_orientation_0">Inriktning:' in html


def test_a_field_s_error_is_read_with_the_field(kansli):
    html = kansli.post(reverse("projects:create"), {"name": "Nya vägar"}).content.decode()

    field = re.search(r"<input[^>]*id=\"id_start_date\"[^>]*>", html).group(0)
    assert 'aria-invalid="true"' in field
    assert 'aria-describedby="id_start_date_error"' in field or (
        "id_start_date_error" in re.search(r'aria-describedby="([^"]+)"', field).group(1)
    )


def test_the_login_s_refusal_is_a_summary_too(client):
    factories.federation()
    response = client.post(reverse("account:login"), {"username": "ingen", "password": "fel"})

    html = response.content.decode()
    assert 'class="alert alert-danger error-summary"' in html
