"""Administration → Bakgrundsjobb: the task queue as its administrator sees it."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from finsam import housekeeping, selectors
from finsam.views.outcome import attempt
from finsam.views.scoped import area


@area("finsam.manage_users")
def job_queue(request):
    queues, failed, workers = selectors.queue_overview()
    return render(
        request,
        "administration/jobs.html",
        {
            "queues": queues,
            "states": selectors.JOB_STATES,
            "failed": failed,
            "workers": workers,
        },
    )


@require_POST
@area("finsam.manage_users")
def job_retry(request, pk):
    attempt(
        request,
        lambda: housekeeping.job_retry(actor=request.user, job_id=pk),
        _("Jobbet körs igen."),
    )
    return redirect("administration:jobs")
