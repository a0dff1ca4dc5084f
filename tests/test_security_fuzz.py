"""Every form on every page, posted with hostile values: never a 500, and
what must be refused writes nothing (issue 13, item 3).

The forms are found the way a user finds them: by opening every page of the
permission matrix as a persona who may use it and reading its <form>s.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import pytest
from django.urls import reverse

from finsam.models import AuditEntry
from tests.test_permissions import (  # noqa: F401 (the fixtures)
    MATRIX,
    objects,
    persona_users,
    personas,
    world,
)

# Who opens a page: the first of these the matrix lets in.
OPENERS = ("processledare_a", "kansli", "ekonomi", "styrelseledamot", "admin")

# Values no form may store, and values every form must answer calmly.
REFUSED = ["\x00", "a\x00b"]
HOSTILE = [
    "a" * 100_000,
    "-1",
    "2147483648",
    "1E+999999999999",
    "2026-02-30",
    "0000-01-01",
    "¹⁹⁹⁰",
    "٢٠٢٦-٠١-٠١",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\u202e\ufeff\U0001f600",
    "",
]
# Posting these would end the test's own session or send the form elsewhere.
SKIP_ACTIONS = ("/konto/logga-ut/",)


class FormReader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, set[str]]] = []
        self._current = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "get").lower() == "post":
            self._current = (attrs.get("action") or "", set())
            self.forms.append(self._current)
        elif tag in ("input", "select", "textarea") and self._current and attrs.get("name"):
            if attrs["name"] != "csrfmiddlewaretoken":
                self._current[1].add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def _opener(row):
    for persona in OPENERS:
        if row.statuses.get(persona) in (200, 302):
            return persona
    return None


@pytest.fixture
def forms(personas, objects):  # noqa: F811
    """(persona, action URL, field names) for every POST form on every page."""
    from tests import factories

    pages = []
    for name, row in sorted(MATRIX.items()):
        persona = _opener(row)
        if row.method == "get" and persona is not None and row.statuses[persona] == 200:
            pages.append((persona, reverse(name, args=row.args(objects))))
    # The matrix's protocol is out for justering; a draft shows the editing forms.
    draft = factories.minutes(actor=objects.persona_users["kansli"])
    pages.append(("kansli", reverse("board:minutes", args=[draft.pk])))
    pages.append(("kansli", reverse("board:paragraph", args=[draft.paragraphs.first().pk])))
    found = {}
    for persona, url in pages:
        response = personas[persona].get(url)
        if "text/html" not in response.get("Content-Type", ""):
            continue
        reader = FormReader()
        reader.feed(response.content.decode())
        for action, fields in reader.forms:
            target = urlparse(urljoin(url, action)).path if action else url
            if target.startswith(SKIP_ACTIONS):
                continue
            key = (persona, target)
            found[key] = found.get(key, set()) | fields
    assert len(found) > 40, "the crawl should find the app's forms"
    return found


def _post_everywhere(personas, forms, value, *, buttons=False):
    """Post value in every field of every form with fields, or (buttons) post
    every form that is a button alone (send, take back, make a PDF): those
    have nothing to refuse, and every value would post them the same."""
    failures = []
    for (persona, action), fields in sorted(forms.items()):
        if bool(fields) == buttons:
            continue
        data = {field: value for field in fields}
        response = personas[persona].post(action, data)
        if response.status_code >= 500:
            failures.append(f"{persona} POST {action}: {response.status_code}")
    return failures


def test_no_form_stores_a_nul_character_nor_fails_on_hostile_values(personas, forms):
    # One test, so the pages are crawled once (the objects cost a protocol's PDF).
    before = AuditEntry.objects.count()
    failures = []
    for value in REFUSED:
        failures += _post_everywhere(personas, forms, value)
    assert AuditEntry.objects.count() == before, "a form stored a NUL character"

    for value in HOSTILE:
        failures += [f"{value[:20]!r}: {f}" for f in _post_everywhere(personas, forms, value)]
    # The buttons last, on what the hostile values left stored: a report is
    # made into a PDF, a protocol sent. (One pasted 100 000-letter word in a
    # PDF: test_board_views, test_a_pasted_run_of_letters_….)
    failures += [f"button: {f}" for f in _post_everywhere(personas, forms, "", buttons=True)]

    assert not failures
