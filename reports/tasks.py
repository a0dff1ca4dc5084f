"""Jobs of Rapporter: files that take a while to make."""

from __future__ import annotations

from procrastinate.contrib.django import app

from finsam.lib.jobs import in_worker


@app.task(name="reports.render_file", queue="files")
@in_worker
def render_file(rendering_id: int, html: str) -> None:
    """Make an ordered PDF (``reports.rendering.make_file``), on its own
    queue so that a burst of orders never holds up the mail."""
    from reports.rendering import make_file

    make_file(rendering_id, html)
