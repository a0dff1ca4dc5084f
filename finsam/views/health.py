from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse


@login_not_required
def ping(request):
    """A trivial view: health checks, and the baseline for benchmarks."""
    return HttpResponse("ok", content_type="text/plain")
