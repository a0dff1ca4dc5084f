"""Playwright against the live server, in Debian's Chromium.

Playwright cannot download its own browser here; the pinned Playwright
release (1.64.x) bundles the same Chromium major version as Debian's (156),
so it drives /usr/bin/chromium.
"""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls
# from the test body are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[2] / ".artifacts" / "screenshots"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "sv-SE", "timezone_id": "Europe/Stockholm"}


@pytest.fixture
def screenshot(page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str, on=None) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        (on or page).screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def axe_violations(page):
    """Run axe-core (WCAG 2.1 A and AA rules) on the current page.

    The script is evaluated rather than injected as a tag, which the page's
    Content-Security-Policy would rightly refuse.
    """
    source = AXE.read_text()

    def run(on=None) -> list[dict]:
        """``on``: another page than the test's own (a second user's)."""
        target = on or page
        target.evaluate(source)
        result = target.evaluate(
            """() => axe.run(document, {runOnly: {type: 'tag',
                 values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
        )
        return [
            {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]
        ]

    return run
