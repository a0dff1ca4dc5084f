from django.contrib.auth.decorators import permission_required
from django.shortcuts import render


@permission_required("finsam.use_reports", raise_exception=True)
def index(request):
    return render(request, "reports/index.html")
