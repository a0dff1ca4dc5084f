from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from finsam.models import Federation


@login_not_required
def statement(request):
    """Tillgänglighetsredogörelse, as the DOS-lagen (2018:1937) asks of
    public-sector digital services: linked from every page's footer."""
    return render(request, "accessibility.html", {"federation": Federation.objects.current()})
