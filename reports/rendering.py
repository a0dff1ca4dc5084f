"""Files made off the request: a report, a draft protocol or the förbund's
year as PDF takes WeasyPrint seconds (see bench/), so the request only orders
it and answers with a page that shows the progress and, when it is done, the
file.

The work is a job of the task queue (``reports.tasks.render_file``), started
when the order commits; any worker on any machine makes it. An order that
has not moved for ten minutes (no worker took it, or it stopped) counts as
failed, and can be ordered again. A file is kept for the one who ordered it
for a day (KEPT_FOR), then the nightly clean-up removes it."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from finsam.lib.jobs import enqueue
from finsam.lib.pdf import PDF_OPTIONS, html_to_document
from finsam.lib.services import service
from finsam.models import AuditAction
from finsam.services import log_event
from reports.models import Rendering, RenderingStatus

log = logging.getLogger(__name__)
STALE_AFTER = dt.timedelta(minutes=10)


KEPT_FOR = dt.timedelta(days=1)


@service(None)
def rendering_order(
    *,
    actor,
    what: str,
    filename: str,
    html: str,
    params: dict | None = None,
    year: int | None = None,
    origin: tuple[str, str] = ("", ""),
    recheck: bool = False,
    obj=None,
) -> Rendering:
    """Order a PDF made from the HTML that the function at the dotted path
    ``html`` builds from the rendering's row (the slow part, done by a worker).
    The service that calls this one checks who may order it; this one logs
    the export and queues the work. The same order again while the first is
    still being made (a second click) answers with the first."""
    params = params or {}
    waiting = Rendering.objects.filter(
        requested_by=actor,
        what=what,
        params=params,
        status__in=(RenderingStatus.QUEUED, RenderingStatus.RUNNING),
        created_at__gt=timezone.now() - STALE_AFTER,
    ).first()
    if waiting is not None:
        return waiting
    rendering = Rendering.objects.create(
        requested_by=actor,
        what=what,
        year=year,
        params=params,
        filename=filename,
        origin_url=origin[0],
        origin_label=origin[1],
        recheck=recheck,
        step=_("Väntar på att börja"),
    )
    log_event(actor=actor, action=AuditAction.EXPORT, obj=obj, message=f"{rendering.what}")
    from reports.tasks import render_file

    enqueue(render_file, rendering_id=rendering.pk, html=html)
    rendering.refresh_from_db()
    return rendering


def _step(pk: int, step: str, status=RenderingStatus.RUNNING) -> None:
    Rendering.objects.filter(pk=pk).update(status=status, step=step)


def make_file(pk: int, html: str) -> None:
    """Render the ordered file, saying at each step how far it has come. A
    file already made (a job run twice) is left as it is."""
    rendering = Rendering.objects.get(pk=pk)
    if rendering.status == RenderingStatus.DONE:
        return
    try:
        _step(pk, _("Hämtar siffrorna"))
        page = import_string(html)(rendering)
        _step(pk, _("Sätter sidorna"))
        document = html_to_document(page)
        _step(pk, _("Skriver PDF:en (%(n)s sidor)") % {"n": len(document.pages)})
        content = document.write_pdf(**PDF_OPTIONS)
        Rendering.objects.filter(pk=pk).update(
            status=RenderingStatus.DONE,
            step=_("%(n)s sidor") % {"n": len(document.pages)},
            content=content,
            finished_at=timezone.now(),
        )
    except Exception:
        log.exception("Rendering %s failed", pk)
        Rendering.objects.filter(pk=pk).update(
            status=RenderingStatus.FAILED,
            step=_("Det gick inte att skapa filen. Försök igen, eller kontakta administratören."),
            finished_at=timezone.now(),
        )


def status_of(rendering: Rendering) -> Rendering:
    """The rendering, marked failed if it stopped moving (the process ended)."""
    unfinished = (RenderingStatus.QUEUED, RenderingStatus.RUNNING)
    if rendering.status in unfinished and timezone.now() - rendering.created_at > STALE_AFTER:
        Rendering.objects.filter(pk=rendering.pk, status__in=unfinished).update(
            status=RenderingStatus.FAILED,
            step=_("Filen blev aldrig klar. Beställ den igen."),
        )
        rendering.refresh_from_db()
    return rendering
