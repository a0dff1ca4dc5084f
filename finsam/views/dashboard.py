from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from finsam import selectors
from finsam.roles import EKONOMI, INSATSPERSONAL, KANSLI, STYRELSE
from projects import selectors as project_selectors


@never_cache
def dashboard(request):
    """Översikt: cards for the roles the user has."""
    user = request.user
    roles = set(user.groups.values_list("name", flat=True))
    year = timezone.localdate().year
    context = {
        "roles": roles,
        "is_kansli": KANSLI in roles,
        "is_insatspersonal": INSATSPERSONAL in roles,
        "is_styrelse": STYRELSE in roles,
        "is_ekonomi": EKONOMI in roles,
        "year": year,
    }
    if user.has_perm("finsam.manage_applications"):
        context["inbox_counts"] = project_selectors.inbox_counts(user)
        context["decisions"] = project_selectors.decisions_in_year(user, year)
    if user.has_perm("finsam.view_all_projects"):
        context["budget_use"] = project_selectors.federation_year(year)
    if INSATSPERSONAL in roles:
        context["my_projects"] = project_selectors.my_projects(user)
    if user.has_perm("finsam.manage_federation"):
        context["contribution_total"] = selectors.contribution_total(year)
        context["member_count"] = selectors.contributions_for_year(year).count()
    return render(request, "dashboard.html", context)


@login_not_required
def ping(request):
    """A trivial view: health checks, and the baseline for benchmarks."""
    return HttpResponse("ok", content_type="text/plain")
