from django.contrib.auth.decorators import permission_required
from django.shortcuts import render


@permission_required("finsam.use_projects", raise_exception=True)
def index(request):
    return render(request, "projects/index.html")
