"""The accessibility walk: every page a persona can reach by following links,
checked with axe-core (WCAG 2.1 A/AA), for reflow (no sideways scrolling of
the page) and for a visible focus ring on every control, at each width.

The walk follows links as the permission matrix walks URLs: from a persona's
start pages, breadth first, one page of each shape (``/insatser/12/`` and
``/insatser/13/`` are one shape), never a download or the logout button.
It also opens each form's error state: a POST form with required fields,
sent empty, must come back with an error summary that takes focus and links
to each field.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()

# Not pages: downloads, the logout, Django's own admin (not Finsam's interface).
SKIP = re.compile(
    r"(/konto/logga-ut/|/django-admin/|\.(pdf|ics|xlsx|csv|zip)$|/export/|/excel/|"
    r"/ladda-ner/|/pdf/|/registerutdrag/|/uppfoljning-finsam/|/insatser/bilaga/|"
    r"/styrelsen/handlingar/\d+/$|/ping/)"
)

WIDTHS = (1280, 320)


@dataclass(frozen=True)
class Finding:
    persona: str
    width: int
    url: str
    kind: str
    detail: str

    def __str__(self):
        return f"{self.persona} @{self.width}px {self.url}: {self.kind}: {self.detail}"


def shape(url: str) -> str:
    parts = urlsplit(url)
    keys = sorted({key for key, _ in parse_qsl(parts.query)})
    return re.sub(r"\d+", "N", parts.path) + ("?" + "&".join(keys) if keys else "")


def crawl(page, base: str, starts: list[str], broken: list[str], *, limit: int = 400) -> list[str]:
    """The pages reachable from ``starts`` by links, one per shape; a link
    that answers an error is added to ``broken``."""
    queue = deque(base + path for path in starts)
    seen_shapes: set[str] = set()
    pages: list[str] = []
    found_on: dict[str, str] = {}
    while queue and len(pages) < limit:
        url = queue.popleft()
        if shape(url) in seen_shapes or SKIP.search(urlsplit(url).path):
            continue
        seen_shapes.add(shape(url))
        response = page.goto(url)
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        if not response.ok:
            broken.append(f"{url} answers {response.status} (linked from {found_on.get(url)})")
            continue
        pages.append(url)
        for href in page.eval_on_selector_all(
            "a[href]", "links => links.map(a => a.href.split('#')[0])"
        ):
            if href.startswith(base) and shape(href) not in seen_shapes:
                found_on.setdefault(href, url)
                queue.append(href)
    return pages


def prepare(context) -> None:
    """Load axe-core into every page the context opens (once, before the
    page's own scripts; the page's Content-Security-Policy does not apply)."""
    context.add_init_script(AXE_SOURCE)


def axe(page) -> list[str]:
    """axe-core's WCAG 2.1 A and AA violations on the page, in a line each."""
    return page.evaluate(
        """() => axe.run(document, {
             runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
             resultTypes: ['violations']}).then(result => result.violations.map(v => {
               const where = JSON.stringify(v.nodes.slice(0, 3).map(n => n.target));
               return `${v.id} (${v.help}) at ${where}`;
             }))"""
    )


def overflow(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


# For each visible control: focused as from the keyboard, does it show a ring
# (outline or box-shadow ring) of at least 2 px whose colour stands out at 3:1
# against the background behind the control (WCAG 2.4.7, 1.4.11)?
FOCUS_CHECK = """(limit) => {
  const lum = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const [r, g, b, a] = m[1].split(',').map(Number);
    if (a === 0) return null;
    const ch = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b);
  };
  const ratio = (a, b) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  const background = (el) => {
    for (let e = el.parentElement; e; e = e.parentElement) {
      const l = lum(getComputedStyle(e).backgroundColor); if (l !== null) return l;
    }
    return 1;
  };
  const controls = [...document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex="0"]'
  )].filter(e => !e.disabled && e.getClientRects().length
               && getComputedStyle(e).visibility !== 'hidden');
  const bad = [];
  for (const el of controls.slice(0, limit)) {
    el.focus();
    if (document.activeElement !== el) continue;
    const s = getComputedStyle(el);
    const bg = background(el);
    const rings = [];
    if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) rings.push(s.outlineColor);
    for (const m of s.boxShadow.matchAll(/(rgba?\\([^)]+\\))[^,]*?0px 0px 0px (\\d+)px/g)) {
      if (parseInt(m[2]) >= 2) rings.push(m[1]);
    }
    const best = Math.max(0, ...rings.map(c => {
      const l = lum(c); return l === null ? 0 : ratio(l, bg);
    }));
    if (best < 3) {
      const name = (el.innerText || el.name || '').trim().slice(0, 30);
      const id = el.id ? '#' + el.id : '';
      bad.push(`${el.tagName.toLowerCase()}${id} "${name}" ring ${best.toFixed(1)}:1`);
    }
  }
  document.activeElement.blur();
  return bad;
}"""


def unfocused_controls(page, limit: int = 60) -> list[str]:
    # One key press first: Chromium then treats the script's focus() calls
    # as keyboard focus and matches :focus-visible, as a Tab would.
    page.keyboard.press("Shift")
    return page.evaluate(FOCUS_CHECK, limit)


def check(page, persona: str, width: int, url: str, *, focus: bool = True) -> list[Finding]:
    found = [Finding(persona, width, url, "axe", v) for v in axe(page)]
    if (wider := overflow(page)) > 0:
        found.append(Finding(persona, width, url, "reflow", f"{wider} px wider than the screen"))
    if focus:
        found += [Finding(persona, width, url, "focus", c) for c in unfocused_controls(page)]
    return found


def error_forms(page) -> int:
    """How many POST forms on the page have a visible required field (and are
    not htmx forms, which answer in place)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('form[method=post], form[method=POST]')]
            .filter(f => !f.hasAttribute('hx-post') && [...f.elements].some(
              e => e.required && e.getClientRects().length)).length"""
    )


def check_error_state(page, persona: str, width: int, url: str, index: int) -> list[Finding]:
    """Send the page's ``index``-th required form empty and check its error page."""
    page.goto(url)
    page.once("dialog", lambda dialog: dialog.dismiss())
    with page.expect_navigation():
        page.evaluate(
            """(index) => {
              const form = [...document.querySelectorAll('form[method=post], form[method=POST]')]
                .filter(f => !f.hasAttribute('hx-post') && [...f.elements].some(
                  e => e.required && e.getClientRects().length))[index];
              for (const e of form.elements) {
                if (!e.required) continue;
                if (e.type === 'checkbox' || e.type === 'radio') e.checked = false;
                else if (e.tagName === 'SELECT') e.selectedIndex = -1;
                else if (e.type !== 'hidden') e.value = '';
              }
              HTMLFormElement.prototype.submit.call(form);
            }""",
            index,
        )
    where = f"{url} (form {index + 1} sent empty)"
    found = check(page, persona, width, where, focus=False)
    summary = page.evaluate(
        """() => {
          const s = document.querySelector('.error-summary');
          if (!s) return null;
          const links = [...s.querySelectorAll('a[href^="#"]')].map(a => a.getAttribute('href'));
          return {focused: document.activeElement === s, links: links,
                  targets: links.every(href => document.getElementById(href.slice(1)))};
        }"""
    )
    if summary is None:
        found.append(Finding(persona, width, where, "form", "no error summary"))
    elif not summary["focused"]:
        found.append(Finding(persona, width, where, "form", "the error summary has no focus"))
    elif not summary["targets"]:
        found.append(Finding(persona, width, where, "form", f"a link leads nowhere: {summary}"))
    return found
